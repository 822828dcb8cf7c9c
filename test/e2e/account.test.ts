/**
 * The account metrics endpoint's CA bundle end to end: tcld's account commands run as a user runs them
 * (./bin/tcld) against the emulator on 127.0.0.1, checked through the official @temporalio/cloud
 * client and by scraping the endpoint over mTLS with node:https.
 */
import assert from 'node:assert/strict';
import { X509Certificate, createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { scrape } from '../../src/emulator/account/test-support.js';
import { makeCa, makeLeaf, sdkGetSystemInfo, setMtls } from '../../src/emulator/gateway/test-support.js';
import type { Emulator } from '../../src/emulator/index.js';
import { connectOfficialClient, parseExposition, startTestEmulator, TEST_KEY, type OfficialClient } from '../../src/emulator/test-support.js';
import type { GeneratedCertificate } from '../../src/pki/ca.js';
import { generateCertificateAuthority } from '../../src/pki/ca.js';
import { DAY, assertExit, assertOneLineError, freshFolder, removeFolders, tcld, type RunResult } from './helpers.js';

const NS = 'myns.acct';

describe("tcld account: the metrics endpoint's CA bundle against the dev-server", () => {
  let emulator: Emulator;
  let official: OfficialClient;
  let folder: string;
  let serverCa: Buffer;
  let metricsCa: GeneratedCertificate;
  let metricsLeaf: GeneratedCertificate;
  let namespaceLeaf: GeneratedCertificate;

  before(async () => {
    emulator = await startTestEmulator({ namespaces: [NS], account: 'acct', accountMetricsPort: 0, asyncDelayMs: 50 });
    official = await connectOfficialClient(emulator);
    folder = freshFolder();
    serverCa = readFileSync(emulator.gateway.caPath);
    const namespaceCa = await makeCa('workers');
    [metricsCa, namespaceLeaf] = await Promise.all([makeCa('metrics'), makeLeaf(namespaceCa, { commonName: 'worker' })]);
    metricsLeaf = await makeLeaf(metricsCa, { commonName: 'prometheus' });
    writeFileSync(join(folder, 'metrics-ca.pem'), metricsCa.certificatePem);
    writeFileSync(join(folder, 'metrics-leaf.pem'), metricsLeaf.certificatePem);
    await setMtls(official, NS, { cas: [namespaceCa] });
  });
  after(async () => {
    official.close();
    await emulator.close();
    removeFolders();
  });

  const run = (...args: string[]): Promise<RunResult> =>
    tcld(['--server', emulator.address, '--insecure', '--api-key', TEST_KEY, ...args], { cwd: folder, env: { AUTO_CONFIRM: 'true' } });
  const account = async () => (await official.cloud.getAccount({})).account!;
  const bundle = async () => Buffer.from((await account()).spec?.metrics?.acceptedClientCa ?? []).toString();
  const fingerprint = (pem: string) => createHash('sha1').update(new X509Certificate(pem).raw).digest('hex');

  it('a m enable is refused until the account has a metrics CA, as tcld refuses it', async () => {
    const version = (await account()).resourceVersion;
    const result = await run('account', 'metrics', 'enable');
    assertOneLineError(result, /^error: metrics endpoint cannot be enabled until ca certificates have been configured/);
    assert.equal(result.code, 1);
    assert.equal((await account()).resourceVersion, version);
    assert.equal((await account()).metrics, null, 'the official client sees no metrics URI');
  });

  it('a m ca a adds the CA, which turns the endpoint on: GetAccount reports its URI, and a m enable says so', async () => {
    const added = await run('a', 'm', 'ca', 'a', '--ca-certificate-file', 'metrics-ca.pem');
    assertExit(added, 0);
    const status = (JSON.parse(added.stdout) as { requestStatus: { requestId: string; resourceType: string; resourceId: string; operationType: string } }).requestStatus;
    assert.deepEqual([status.resourceType, status.resourceId, status.operationType], ['account', 'acct', 'update-account']);
    assert.match(status.requestId, /^[0-9a-f-]{36}$/);
    assert.equal(added.stderr, '', 'off a terminal a mutation writes only its JSON, as tcld');
    assert.equal(await bundle(), metricsCa.certificatePem);
    assert.equal((await account()).metrics?.uri, emulator.accountMetrics!.uri);

    const enabled = await run('a', 'm', 'enable');
    assertExit(enabled, 0);
    assert.equal(enabled.stdout, '');
    assert.equal(enabled.stderr.trim(), `nothing to change: the metrics endpoint is already enabled at ${emulator.accountMetrics!.uri}: it is on while the account has a metrics CA (it has 1)`);
  });

  it('a g prints the account as tcld does: its metrics URI and base64 bundle', async () => {
    const result = await run('a', 'g');
    assertExit(result, 0);
    const printed = JSON.parse(result.stdout) as { id: string; resourceVersion: string; spec: { metrics: { enabled: boolean; acceptedClientCa: string } }; metrics: { uri: string } };
    assert.equal(printed.id, 'acct');
    assert.equal(printed.resourceVersion, (await account()).resourceVersion);
    assert.deepEqual(printed.spec.metrics, { enabled: true, acceptedClientCa: Buffer.from(metricsCa.certificatePem).toString('base64') });
    assert.match(printed.metrics.uri, /^https:\/\/127\.0\.0\.1:\d+\/prometheus$/);
    const listed = JSON.parse((await run('a', 'm', 'ca', 'l')).stdout) as Array<{ fingerprint: string }>;
    assert.deepEqual(listed.map((c) => c.fingerprint), [fingerprint(metricsCa.certificatePem)]);
  });

  it("serves the namespaces' Prometheus text to a leaf of the metrics CA, and refuses a namespace's leaf", async () => {
    await sdkGetSystemInfo(emulator, NS, namespaceLeaf);
    const uri = JSON.parse((await run('a', 'g')).stdout).metrics.uri as string;
    const admitted = await scrape(uri, serverCa, metricsLeaf);
    assert.ok('status' in admitted, JSON.stringify(admitted));
    assert.equal(admitted.status, 200);
    const samples = parseExposition(admitted.text);
    assert.ok(
      samples.some((s) => s.name === 'tcld_namespace_requests_total' && s.labels['namespace'] === NS && s.labels['method'] === 'GetSystemInfo' && s.labels['code'] === 'OK' && s.value >= 1),
      admitted.text,
    );
    assert.ok(samples.some((s) => s.name === 'tcld_namespace_ca_expiry_timestamp_seconds' && s.labels['namespace'] === NS));
    const refused = await scrape(uri, serverCa, namespaceLeaf);
    assert.ok('refused' in refused, `a namespace's leaf was served: ${JSON.stringify(refused)}`);
  });

  it('refuses, with one line and nothing changed, an expired CA, a certificate that is not a CA, and more than 16 CAs', async () => {
    const expired = await generateCertificateAuthority({ organization: 'old', validityMs: 8 * DAY, now: new Date(Date.now() - 20 * DAY) });
    writeFileSync(join(folder, 'expired.pem'), expired.certificatePem);
    const many = await Promise.all(Array.from({ length: 17 }, (_, i) => generateCertificateAuthority({ organization: `many-${i}`, validityMs: 30 * DAY })));
    writeFileSync(join(folder, 'many.pem'), many.map((ca) => ca.certificatePem).join(''));
    const version = (await account()).resourceVersion;
    assertOneLineError(await run('a', 'm', 'ca', 'a', '-f', 'expired.pem'), /expired/);
    assertOneLineError(await run('a', 'm', 'ca', 'a', '-f', 'metrics-leaf.pem'), /not a CA/);
    assertOneLineError(await run('a', 'm', 'ca', 's', '-f', 'many.pem'), /17 .*more than the 16/);
    assertOneLineError(await run('a', 'm', 'ca', 'a', '-f', 'metrics-ca.pem'), /already exists/);
    assertExit(await run('a', 'm', 'ca', 'a', '-f', 'metrics-ca.pem', '--idempotent'), 0);
    assert.equal((await account()).resourceVersion, version);
    assert.equal(await bundle(), metricsCa.certificatePem);
  });

  it('a m ca r asks first (a no changes nothing), and once removed the next connection is refused', async () => {
    const version = (await account()).resourceVersion;
    const declined = await tcld(['-s', emulator.address, '--insecure', '--api-key', TEST_KEY, 'a', 'm', 'ca', 'r', '-f', 'metrics-ca.pem'], { cwd: folder, input: 'n\n' });
    assertExit(declined, 0);
    assert.match(declined.stderr, /removing 1 CA certificate\(s\) from the account's metrics endpoint; .*which turns the metrics endpoint off\. confirm: \[y\/n\]/);
    assert.equal((await account()).resourceVersion, version);

    const uri = emulator.accountMetrics!.uri;
    assertExit(await run('a', 'm', 'ca', 'r', '--fp', fingerprint(metricsCa.certificatePem)), 0);
    assert.equal(await bundle(), '');
    assert.equal((await account()).metrics, null);
    const refused = await scrape(uri, serverCa, metricsLeaf);
    assert.ok('refused' in refused, `served after the CA was removed: ${JSON.stringify(refused)}`);
  });

  it('a m disable removes every CA after a yes, and is nothing to change once off', async () => {
    assertExit(await run('a', 'm', 'ca', 'a', '-f', 'metrics-ca.pem'), 0);
    assert.equal(((await scrape(emulator.accountMetrics!.uri, serverCa, metricsLeaf)) as { status?: number }).status, 200);
    const disabled = await run('a', 'm', 'disable', '--wait');
    assertExit(disabled, 0);
    assert.equal((JSON.parse(disabled.stdout) as { requestStatus: { state: string } }).requestStatus.state, 'Fulfilled');
    assert.equal(await bundle(), '');
    assert.ok('refused' in (await scrape(emulator.accountMetrics!.uri, serverCa, metricsLeaf)));
    assertOneLineError(await run('a', 'm', 'disable'), /^error: nothing to change: the metrics endpoint is already disabled/);
    assertExit(await run('a', 'm', 'disable', '--idempotent'), 0);
  });
});
