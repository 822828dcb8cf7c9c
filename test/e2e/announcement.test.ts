/** The announcement's examples, typed as written, work: exit 0 and the named files exist. */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { assertExit, freshFolder, listing, makeCa, readCertificate, removeFolders, tcld, type RunResult } from './helpers.js';

const CA_EXAMPLE = 'gen ca --org myco -d 1y --ca-cert ca.pem --ca-key ca.key'.split(' ');
const LEAF_EXAMPLE = 'gen leaf --org myco --ca-cert ca.pem --ca-key ca.key --cert client.pem --key client.key'.split(' ');
const LONG_CA_EXAMPLE = [
  'generate-certificates',
  'certificate-authority-certificate',
  '--org',
  'myco',
  '-d',
  '1y',
  '--ca-cert',
  'ca.crt',
  '--ca-key',
  'ca.key',
];
const LONG_LEAF_EXAMPLE = [
  'generate-certificates',
  'end-entity-certificate',
  '--org',
  'myco',
  '--ca-cert',
  'ca.crt',
  '--ca-key',
  'ca.key',
  '--cert',
  'client-and-worker.crt',
  '--key',
  'client-and-worker.key',
];

function assertWrote(folder: string, result: RunResult, certificate: string, key: string, isCa: boolean): void {
  assertExit(result, 0);
  assert.ok(existsSync(join(folder, certificate)), `${certificate} was not written; files: ${listing(folder).join(', ')}`);
  assert.ok(existsSync(join(folder, key)), `${key} was not written; files: ${listing(folder).join(', ')}`);
  assert.match(result.stdout, new RegExp(`generated at: ${certificate.replace('.', '\\.')}\\n`));
  assert.match(result.stdout, new RegExp(`key generated at: ${key.replace('.', '\\.')}\\n`));
  assert.equal(readCertificate(join(folder, certificate)).ca, isCa);
  assert.match(readFileSync(join(folder, key), 'utf8'), /^-----BEGIN PRIVATE KEY-----\n/);
}

describe('announcement examples', { concurrency: 4 }, () => {
  after(removeFolders);

  it(`tcld ${CA_EXAMPLE.join(' ')} works when the user answers y`, async () => {
    const folder = freshFolder();
    const result = await tcld(CA_EXAMPLE, { cwd: folder, input: 'y\n' });
    assertWrote(folder, result, 'ca.pem', 'ca.key', true);
    assert.match(result.stderr, /storing the certificate authority \(private\) key at ca\.key.*\[y\/n\]/);
  });

  it(`tcld ${LEAF_EXAMPLE.join(' ')} works when the user answers y`, async () => {
    const folder = freshFolder();
    await makeCa(folder, 'ca.pem', 'ca.key');
    const result = await tcld(LEAF_EXAMPLE, { cwd: folder, input: 'y\n' });
    assertWrote(folder, result, 'client.pem', 'client.key', false);
    assert.match(result.stderr, /storing the end entity certificate \(private\) key at client\.key.*\[y\/n\]/);
  });

  it('tcld generate-certificates certificate-authority-certificate … --ca-cert ca.crt --ca-key ca.key works', async () => {
    const folder = freshFolder();
    const result = await tcld(LONG_CA_EXAMPLE, { cwd: folder, input: 'y\n' });
    assertWrote(folder, result, 'ca.crt', 'ca.key', true);
  });

  it('tcld generate-certificates end-entity-certificate … --cert client-and-worker.crt --key client-and-worker.key works', async () => {
    const folder = freshFolder();
    await makeCa(folder, 'ca.crt', 'ca.key');
    const result = await tcld(LONG_LEAF_EXAMPLE, { cwd: folder, input: 'y\n' });
    assertWrote(folder, result, 'client-and-worker.crt', 'client-and-worker.key', false);
  });

  it('the gen ca example needs no answer with --auto_confirm before the command', async () => {
    const folder = freshFolder();
    const result = await tcld(['--auto_confirm', ...CA_EXAMPLE], { cwd: folder });
    assertWrote(folder, result, 'ca.pem', 'ca.key', true);
    assert.doesNotMatch(result.stderr, /\[y\/n\]/);
  });

  it('the gen ca example needs no answer with --auto_confirm after the command', async () => {
    const folder = freshFolder();
    const result = await tcld([...CA_EXAMPLE, '--auto_confirm'], { cwd: folder });
    assertWrote(folder, result, 'ca.pem', 'ca.key', true);
    assert.doesNotMatch(result.stderr, /\[y\/n\]/);
  });

  it('the gen leaf example needs no answer with --auto-confirm (hyphenated)', async () => {
    const folder = freshFolder();
    await makeCa(folder, 'ca.pem', 'ca.key');
    const result = await tcld([...LEAF_EXAMPLE, '--auto-confirm'], { cwd: folder });
    assertWrote(folder, result, 'client.pem', 'client.key', false);
    assert.doesNotMatch(result.stderr, /\[y\/n\]/);
  });

  it('the gen ca example needs no answer with AUTO_CONFIRM=true in the environment', async () => {
    const folder = freshFolder();
    const result = await tcld(CA_EXAMPLE, { cwd: folder, env: { AUTO_CONFIRM: 'true' } });
    assertWrote(folder, result, 'ca.pem', 'ca.key', true);
    assert.doesNotMatch(result.stderr, /\[y\/n\]/);
  });

  it('the gen ca example still asks with AUTO_CONFIRM=false, and fails writing nothing on end of input', async () => {
    const folder = freshFolder();
    const result = await tcld(CA_EXAMPLE, { cwd: folder, env: { AUTO_CONFIRM: 'false' } });
    assertExit(result, 1);
    assert.match(result.stderr, /\[y\/n\]/);
    assert.deepEqual(listing(folder), []);
  });
});
