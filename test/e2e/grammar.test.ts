/**
 * tcld's command-line grammar, run as scripts run it (./bin/tcld): Go's flag syntax, tcld's global flags
 * before any command, its environment variables, and mistakes that exit 2 with a suggestion.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Emulator } from '../../src/emulator/index.js';
import { startTestEmulator, TEST_KEY } from '../../src/emulator/test-support.js';
import { generateCertificateAuthority } from '../../src/pki/ca.js';
import { DAY, assertExit, assertOneLineError, freshFolder, listing, readCertificate, removeFolders, tcld } from './helpers.js';

const NS = 'grammar.acct';

describe("tcld's command-line grammar", () => {
  let emulator: Emulator;
  let folder: string;
  before(async () => {
    emulator = await startTestEmulator({ namespaces: [NS], asyncDelayMs: 10 });
    folder = freshFolder();
  });
  after(async () => {
    await emulator.close();
    removeFolders();
  });

  it('takes every tcld global flag before gen and ignores those that do not apply', async () => {
    const dir = freshFolder();
    const globals = ['--server', 'h:1', '-s', 'h:2', '--api-key', 'K', '--insecure', '--tls-server-name', 'x', '--enable-debug-logs', '--idempotent', '--config-dir', dir, '--auto_confirm'];
    const result = await tcld([...globals, 'gen', 'ca', '--org', 'myco', '-d', '30d', '--ca-cert', 'ca.pem', '--ca-key', 'ca.key'], { cwd: dir });
    assertExit(result, 0);
    assert.equal(readCertificate(join(dir, 'ca.pem')).ca, true);
  });

  it("reads Go's flag syntax: -org, --flag=value, --auto_confirm=true, a value that starts with -", async () => {
    const dir = freshFolder();
    const result = await tcld(['gen', 'ca', '-org', '-myco', '-d=30d', '-ca-cert', 'ca.pem', '--ca-key=ca.key', '--auto_confirm=true'], { cwd: dir });
    assertExit(result, 0);
    assert.match(readCertificate(join(dir, 'ca.pem')).subject, /^O=-myco$/m);
  });

  it('refuses to take a flag as the value of the one before it, and says how to give such a value', async () => {
    const dir = freshFolder();
    const result = await tcld(['gen', 'ca', '--org', '--ca-cert', 'ca.pem', '-d', '30d', '--ca-key', 'ca.key', '--auto_confirm'], { cwd: dir });
    assertOneLineError(result, /flag needs an argument: --org \(for a value that starts with -, write --org=--ca-cert\)/);
    assertExit(result, 2);
    assert.deepEqual(listing(dir), []);
  });

  it('--auto_confirm=false asks even with AUTO_CONFIRM=true in the environment', async () => {
    const dir = freshFolder();
    const result = await tcld(['gen', 'ca', '--org', 'myco', '-d', '30d', '--ca-cert', 'ca.pem', '--ca-key', 'ca.key', '--auto_confirm=false'], { cwd: dir, env: { AUTO_CONFIRM: 'true' }, input: 'n\n' });
    assertExit(result, 0);
    assert.match(result.stderr, /\[y\/n\]\n/);
    assert.deepEqual(listing(dir), []);
  });

  it('reaches a plaintext dev-server with TEMPORAL_CLOUD_INSECURE_CONNECTION and the other environment variables alone', async () => {
    const env = {
      TEMPORAL_CLOUD_API_SERVER: emulator.address,
      TEMPORAL_CLOUD_API_KEY: TEST_KEY,
      TEMPORAL_CLOUD_INSECURE_CONNECTION: 'true',
      TEMPORAL_CLOUD_NAMESPACE: NS,
      TEMPORAL_CLOUD_IDEMPOTENT: '1',
      AUTO_CONFIRM: 'T',
    };
    const ca = await generateCertificateAuthority({ organization: 'env', validityMs: 30 * DAY });
    writeFileSync(join(folder, 'env.pem'), ca.certificatePem);
    assertExit(await tcld(['n', 'ca', 'a', '-f', 'env.pem'], { cwd: folder, env }), 0);
    // Again: nothing to change, which TEMPORAL_CLOUD_IDEMPOTENT accepts.
    assertExit(await tcld(['n', 'ca', 'a', '-f', 'env.pem'], { cwd: folder, env }), 0);
    const listed = await tcld(['n', 'ca', 'l'], { cwd: folder, env });
    assertExit(listed, 0);
    assert.match(listed.stdout, /O=env/);
    const tls = await tcld(['n', 'ca', 'l'], { cwd: folder, env: { ...env, TEMPORAL_CLOUD_INSECURE_CONNECTION: 'false' } });
    assert.equal(tls.code, 1, 'TLS against a plaintext server must fail');
  });

  it('tcld ct is tcld connectivity test: a bad flag is a usage error, not help', async () => {
    const bogus = await tcld(['ct', '--bogus'], { cwd: folder });
    assertOneLineError(bogus, /flag provided but not defined: --bogus/);
    assertExit(bogus, 2);
    const missing = await tcld(['ct', '--address', '127.0.0.1:1'], { cwd: folder });
    assertOneLineError(missing, /required flag --tls-cert-path not set \(see 'tcld connectivity test --help'\)/);
    assertExit(missing, 2);
  });

  it('a group given flags but no command is a usage error (exit 2); alone it prints help (exit 0)', async () => {
    const flagged = await tcld(['gen', '--org', 'x'], { cwd: folder });
    assertOneLineError(flagged, /tcld generate-certificates needs a command: certificate-authority-certificate or ca, end-entity-certificate or leaf/);
    assertExit(flagged, 2);
    const alone = await tcld(['gen'], { cwd: folder });
    assertExit(alone, 0);
    assert.match(alone.stdout, /^NAME:\n {3}tcld generate-certificates/);
    assertExit(await tcld(['--auto_confirm', 'namespace'], { cwd: folder }), 0);
  });

  it('suggests the closest command or flag', async () => {
    const command = await tcld(['namspace', 'list'], { cwd: folder });
    assertOneLineError(command, /unknown command "namspace" for "tcld" \(did you mean namespace\?\)/);
    assertExit(command, 2);
    const sub = await tcld(['n', 'ca', 'lst'], { cwd: folder });
    assertOneLineError(sub, /unknown command "lst" for "tcld namespace accepted-client-ca" \(did you mean list\?\)/);
    const flag = await tcld(['gen', 'ca', '--organisation', 'x'], { cwd: folder });
    assertOneLineError(flag, /flag provided but not defined: --organisation \(did you mean --organization\?\)/);
    assertExit(flag, 2);
  });

  it('refuses a value outside a flag\'s allowed values and a boolean Go would not parse, with exit 2', async () => {
    const output = await tcld(['cert', 'inspect', 'x.pem', '-o', 'yaml'], { cwd: folder });
    assertOneLineError(output, /--output must be text or json, not "yaml"/);
    assertExit(output, 2);
    const insecure = await tcld(['n', 'l'], { cwd: folder, env: { TEMPORAL_CLOUD_INSECURE_CONNECTION: 'yes' } });
    assertOneLineError(insecure, /TEMPORAL_CLOUD_INSECURE_CONNECTION=yes is not a boolean/);
    assertExit(insecure, 2);
  });

  it('tcld --version prints the version', async () => {
    const result = await tcld(['--version'], { cwd: folder });
    assertExit(result, 0);
    assert.match(result.stdout, /^tcld version \d+\.\d+\.\d+/);
  });
});
