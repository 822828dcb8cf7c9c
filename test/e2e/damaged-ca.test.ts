/**
 * A CA file damaged in a way that still parses (a key's private value changed, a byte of the CA's
 * subject changed after signing) makes gen leaf refuse with one line and exit 2, writing nothing:
 * it would otherwise write a leaf that no verifier accepts.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { damagePrivateValue, damageSubject } from '../../src/pki/test-damage.js';
import { assertExit, assertOneLineError, freshFolder, listing, makeCa, removeFolders, tcld } from './helpers.js';

const YES = { AUTO_CONFIRM: 'true' };
const DAMAGED = {
  key: { files: ['--ca-cert', 'ca.pem', '--ca-key', 'damaged.key'], refusal: /^error: CA key's signatures do not verify against the CA certificate's public key: the key file is damaged$/ },
  certificate: { files: ['--ca-cert', 'damaged.pem', '--ca-key', 'ca.key'], refusal: /^error: CA certificate's signature does not verify against its own key or another certificate in its file/ },
};
const OUTPUTS = {
  'gen leaf': ['--org', 'myco', '--cert', 'leaf.pem', '--key', 'leaf.key'],
  'gen leaf --pkcs12': ['--org', 'myco', '--cert', 'leaf.pem', '--key', 'leaf.key', '--pkcs12', 'leaf.p12', '--pkcs12-password-file', 'p12.pass'],
  'gen leaf --csr': ['--csr', 'w.csr', '--cert', 'leaf.pem'],
};

describe('gen leaf with a damaged CA', () => {
  let folder: string;
  before(async () => {
    folder = freshFolder();
    await makeCa(folder, 'ca.pem', 'ca.key');
    writeFileSync(join(folder, 'damaged.key'), damagePrivateValue(readFileSync(join(folder, 'ca.key'), 'utf8')), { mode: 0o600 });
    writeFileSync(join(folder, 'damaged.pem'), damageSubject(readFileSync(join(folder, 'ca.pem'), 'utf8')));
    writeFileSync(join(folder, 'p12.pass'), 'secret\n');
    assertExit(await tcld(['gen', 'csr', '--org', 'myco', '--csr', 'w.csr', '--key', 'w.key'], { cwd: folder, env: YES }), 0);
  });
  after(() => removeFolders());

  for (const [damage, { files, refusal }] of Object.entries(DAMAGED)) {
    for (const [command, outputs] of Object.entries(OUTPUTS)) {
      it(`${command} refuses a CA ${damage} damaged after signing, exit 2, nothing written`, async () => {
        const before = listing(folder);
        const result = await tcld(['gen', 'leaf', ...files, ...outputs], { cwd: folder, env: YES });
        assertOneLineError(result, refusal);
        assertExit(result, 2);
        assert.deepEqual(listing(folder), before);
      });
    }
  }

  it('issues from the undamaged files', async () => {
    const result = await tcld(['gen', 'leaf', '--ca-cert', 'ca.pem', '--ca-key', 'ca.key', ...OUTPUTS['gen leaf --csr']], { cwd: folder, env: YES });
    assertExit(result, 0);
  });
});
