/**
 * `tcld connectivity test` as a user runs it, against the emulator's mTLS gateway on 127.0.0.1:
 * success, and each diagnosis the issue lists.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Emulator } from '../../src/emulator/index.js';
import { connectOfficialClient, startTestEmulator, type OfficialClient } from '../../src/emulator/test-support.js';
import { generateCertificateAuthority } from '../../src/pki/ca.js';
import { generateEndEntityCertificate } from '../../src/pki/leaf.js';
import { DAY, assertExit, freshFolder, removeFolders, tcld, type RunResult } from './helpers.js';

const NS = 'ct.acct';

describe('tcld connectivity test against the dev-server gateway', () => {
  let emulator: Emulator;
  let official: OfficialClient;
  let folder: string;

  async function issue(name: string, caName: string, options: { validityMs?: number; now?: Date } = {}) {
    const ca = cas.get(caName)!;
    const leaf = await generateEndEntityCertificate({ ca: { certificate: ca.certificatePem, privateKey: ca.privateKeyPem }, organization: caName, ...options });
    writeFileSync(join(folder, `${name}.pem`), leaf.certificatePem);
    writeFileSync(join(folder, `${name}.key`), leaf.privateKeyPem);
  }
  const cas = new Map<string, { certificatePem: string; privateKeyPem: string }>();

  before(async () => {
    folder = freshFolder();
    emulator = await startTestEmulator({ namespaces: [NS], asyncDelayMs: 10 });
    official = await connectOfficialClient(emulator);
    for (const name of ['registered', 'stranger']) {
      const ca = await generateCertificateAuthority({ organization: name, validityMs: 90 * DAY, now: new Date(Date.now() - 10 * DAY) });
      cas.set(name, ca);
      writeFileSync(join(folder, `${name}-ca.pem`), ca.certificatePem);
    }
    const current = (await official.cloud.getNamespace({ namespace: NS })).namespace!;
    await official.cloud.updateNamespace({
      namespace: NS,
      resourceVersion: current.resourceVersion,
      spec: { ...current.spec, mtlsAuth: { ...current.spec?.mtlsAuth, enabled: true, acceptedClientCa: Buffer.from(cas.get('registered')!.certificatePem) } },
    });
    await issue('good', 'registered');
    await issue('foreign', 'stranger');
    await issue('expired', 'registered', { now: new Date(Date.now() - 5 * DAY), validityMs: DAY });
    writeFileSync(join(folder, 'other.key'), generateKeyPairSync('ec', { namedCurve: 'P-384' }).privateKey.export({ type: 'pkcs8', format: 'pem' }));
    writeFileSync(join(folder, 'wrong-root.pem'), cas.get('stranger')!.certificatePem);
  });
  after(async () => {
    official.close();
    await emulator.close();
    removeFolders();
  });

  const test = (cert: string, key: string, ...extra: string[]): Promise<RunResult> =>
    tcld(
      [
        'connectivity', 'test',
        '--address', emulator.gateway.address,
        '--tls-server-name', emulator.namespaceHost(NS),
        '--tls-ca-path', emulator.gateway.caPath,
        '--tls-cert-path', cert,
        '--tls-key-path', key,
        ...extra,
      ],
      { cwd: folder, timeoutMs: 30_000 },
    );

  it('reports success for a leaf of the namespace\'s CA (exit 0)', async () => {
    const result = await test('good.pem', 'good.key');
    assertExit(result, 0);
    assert.match(result.stdout, /^connected to 127\.0\.0\.1:\d+ \(server name ct\.acct\.tmprl\.local\) as CN=client\.endentity\.registered\.\w{4},O=registered: GetSystemInfo answered/);
  });

  it('says the server refused a leaf from another CA, and with --ca-bundle why', async () => {
    const result = await test('foreign.pem', 'foreign.key', '--ca-bundle', 'registered-ca.pem');
    assertExit(result, 1);
    assert.match(result.stderr, /client certificate: the server refused it .*accepted CA bundle/);
    assert.match(result.stderr, /--ca-bundle: .*not issued by any CA|--ca-bundle: .*issuer/);
    assert.match(result.stderr, /raw error: /);
    assert.doesNotMatch(result.stderr, /server name:/);
  });

  /** ct test with the address and root CA of the gateway, and the server name arguments given. */
  const testName = (...serverName: string[]): Promise<RunResult> =>
    tcld(
      ['ct', 'test', '--address', emulator.gateway.address, '--tls-ca-path', emulator.gateway.caPath, '--tls-cert-path', 'good.pem', '--tls-key-path', 'good.key', ...serverName],
      { cwd: folder, timeoutMs: 30_000 },
    );

  it('says that no server name was sent to 127.0.0.1, shows the endpoint forms, and gives no CA bundle advice', async () => {
    const result = await testName();
    assertExit(result, 1);
    assert.match(result.stderr, /^server name: none was sent \(127\.0\.0\.1 is an IP address\), and the server refused the connection before it looked at the client certificate: .*\(ERR_SSL_TLSV1_UNRECOGNIZED_NAME: tlsv1 unrecognized name\)$/m);
    assert.match(result.stderr, /^server name: pass the namespace's endpoint host with --tls-server-name: <namespace>\.<account>\.tmprl\.cloud for Temporal Cloud, <namespace>\.<account>\.tmprl\.local for tcld dev-server$/m);
    assert.doesNotMatch(result.stderr, /accepted CA bundle|^client certificate:/m);
  });

  it('says that a wrong server name is not a namespace endpoint, and with --namespace which name to pass', async () => {
    const result = await testName('--tls-server-name', 'ct.acct.example.com', '--namespace', NS);
    assertExit(result, 1);
    assert.match(result.stderr, /^server name: ct\.acct\.example\.com is not a namespace endpoint: the server refused that TLS server name before it looked at the client certificate \(ERR_SSL_TLSV1_UNRECOGNIZED_NAME: tlsv1 unrecognized name\)$/m);
    assert.match(result.stderr, /^server name: pass the namespace's endpoint host with --tls-server-name: ct\.acct\.tmprl\.cloud for Temporal Cloud, ct\.acct\.tmprl\.local for tcld dev-server$/m);
    assert.doesNotMatch(result.stderr, /accepted CA bundle|^client certificate:/m);
  });

  it("says that a namespace the server does not know is not a namespace endpoint", async () => {
    const result = await testName('--tls-server-name', emulator.namespaceHost('nope.acct'));
    assertExit(result, 1);
    assert.match(result.stderr, /^server name: nope\.acct\.tmprl\.local is not a namespace endpoint/m);
    assert.doesNotMatch(result.stderr, /accepted CA bundle/);
  });

  it('says the key does not match the certificate', async () => {
    const result = await test('good.pem', 'other.key');
    assertExit(result, 1);
    assert.match(result.stderr, /the key does not match the certificate/);
  });

  it('says the certificate has expired', async () => {
    const result = await test('expired.pem', 'expired.key');
    assertExit(result, 1);
    assert.match(result.stderr, /client certificate: the certificate expired on/);
  });

  it('says the certificate is a CA', async () => {
    const ca = cas.get('registered')!;
    writeFileSync(join(folder, 'ca-as-client.key'), ca.privateKeyPem);
    const result = await test('registered-ca.pem', 'ca-as-client.key');
    assertExit(result, 1);
    assert.match(result.stderr, /the certificate is a CA/);
  });

  it("says the server's certificate is not trusted", async () => {
    const result = await test('good.pem', 'good.key', '--tls-ca-path', 'wrong-root.pem');
    assertExit(result, 1);
    assert.match(result.stderr, /server certificate: not trusted/);
  });

  it('says nothing listens at the address', async () => {
    const result = await tcld(['ct', 'test', '--address', '127.0.0.1:1', '--tls-cert-path', 'good.pem', '--tls-key-path', 'good.key'], { cwd: folder, timeoutMs: 30_000 });
    assertExit(result, 1);
    assert.match(result.stderr, /connection: nothing accepts connections at 127\.0\.0\.1:1/);
  });

  it('says a host name does not resolve', async () => {
    const result = await tcld(['ct', 'test', '--address', 'no-such-host.invalid:7233', '--tls-cert-path', 'good.pem', '--tls-key-path', 'good.key'], { cwd: folder, timeoutMs: 30_000 });
    assertExit(result, 1);
    assert.match(result.stderr, /DNS: the host of no-such-host\.invalid:7233 does not resolve/);
  });

  it('refuses an unreadable key file with one line', async () => {
    const result = await test('good.pem', 'missing.key');
    assertExit(result, 2);
    assert.equal(result.stderr.trim(), 'error: cannot read client key file missing.key: no such file or folder');
  });
});
