import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { connect as connectHttp2 } from 'node:http2';
import { Agent, get } from 'node:https';
import { after, before, describe, it } from 'node:test';
import type { GeneratedCertificate } from '../../pki/ca.js';
import { makeCa, makeLeaf, sdkGetSystemInfo, setMtls } from '../gateway/test-support.js';
import type { Emulator } from '../index.js';
import { connectOfficialClient, parseExposition, startTestEmulator, type OfficialClient } from '../test-support.js';
import { scrape, type ScrapeResult } from './test-support.js';

const NS = 'myns.acct';

describe('the account metrics endpoint', () => {
  let emulator: Emulator;
  let official: OfficialClient;
  let serverCa: Buffer;
  let metricsCa: GeneratedCertificate;
  let metricsLeaf: GeneratedCertificate;
  let namespaceCa: GeneratedCertificate;
  let namespaceLeaf: GeneratedCertificate;
  const lines: string[] = [];

  before(async () => {
    emulator = await startTestEmulator({ namespaces: [NS], accountMetricsPort: 0, log: (line) => lines.push(line) });
    official = await connectOfficialClient(emulator);
    serverCa = readFileSync(emulator.gateway.caPath);
    [metricsCa, namespaceCa] = await Promise.all([makeCa('metrics'), makeCa('workers')]);
    [metricsLeaf, namespaceLeaf] = await Promise.all([makeLeaf(metricsCa, { commonName: 'prometheus' }), makeLeaf(namespaceCa, { commonName: 'worker' })]);
    await setMtls(official, NS, { cas: [namespaceCa] });
  });
  after(async () => {
    official.close();
    await emulator.close();
  });

  const setMetricsCas = async (cas: readonly GeneratedCertificate[]) => {
    const current = (await official.cloud.getAccount({})).account!;
    await official.cloud.updateAccount({ spec: { metrics: { acceptedClientCa: Buffer.from(cas.map((ca) => ca.certificatePem).join('')) } }, resourceVersion: current.resourceVersion! });
  };
  const uri = () => emulator.accountMetrics!.uri;
  const refusedLines = () => lines.filter((line) => line.startsWith('account metrics: refused'));

  it('refuses every client while the account has no metrics CA: the endpoint is off, though it listens', async () => {
    const result = await scrape(uri(), serverCa, metricsLeaf);
    assert.ok('refused' in result, `expected a refusal, got ${JSON.stringify(result)}`);
    assert.match(refusedLines().at(-1)!, /^account metrics: refused CN=prometheus,O=myco: the account metrics endpoint is off: account local has no metrics CA/);
  });

  it("serves the namespaces' series to a client of the account's metrics CA, once that CA is added", async () => {
    await setMetricsCas([metricsCa]);
    assert.equal(await sdkGetSystemInfo(emulator, NS, namespaceLeaf), `tcld dev-server ${(await import('../../version.js')).VERSION}`);
    const result = await scrape(uri(), serverCa, metricsLeaf);
    assert.ok('status' in result, JSON.stringify(result));
    assert.equal(result.status, 200);
    assert.match(result.contentType, /^text\/plain; version=0\.0\.4/);
    const samples = parseExposition(result.text);
    const requests = samples.find((s) => s.name === 'tcld_namespace_requests_total' && s.labels['namespace'] === NS && s.labels['method'] === 'GetSystemInfo');
    assert.deepEqual(requests?.labels, { namespace: NS, method: 'GetSystemInfo', code: 'OK' });
    assert.ok(requests.value >= 1);
    const expiry = samples.find((s) => s.name === 'tcld_namespace_ca_expiry_timestamp_seconds' && s.labels['namespace'] === NS);
    assert.equal(expiry?.value, Math.floor(Date.parse(new (await import('node:crypto')).X509Certificate(namespaceCa.certificatePem).validTo) / 1000));
    assert.ok(samples.some((s) => s.name === 'tcld_gateway_connections_total' && s.labels['namespace'] === NS && s.labels['result'] === 'admitted'));
    assert.ok(!samples.some((s) => s.name === 'tcld_cloud_requests_total'), "the emulator's own API calls are not the account's metrics");
    assert.match(lines.filter((line) => line.startsWith('account metrics: admitted')).at(-1)!, /CN=prometheus,O=myco$/);
  });

  it('labels a call to a path that is no Temporal API method `other`, so that clients cannot grow the label set', async () => {
    for (const path of ['/made.Up/Method1', '/made.Up/Method2']) assert.equal(await rawCall(emulator, NS, namespaceLeaf, path), String(12 /* UNIMPLEMENTED */));
    const result = await scrape(uri(), serverCa, metricsLeaf);
    const samples = 'status' in result ? parseExposition(result.text) : [];
    const methods = samples.filter((s) => s.name === 'tcld_namespace_requests_total' && s.labels['namespace'] === NS).map((s) => `${s.labels['method']} ${s.labels['code']}`);
    // The SDK's connect calls GetSystemInfo too: its count is not this test's business.
    assert.deepEqual(methods.sort(), ['GetSystemInfo OK', 'other UNIMPLEMENTED']);
    assert.equal(samples.find((s) => s.name === 'tcld_namespace_requests_total' && s.labels['method'] === 'other')?.value, 2);
  });

  it("refuses a namespace's client certificate, no certificate, and any path but /prometheus", async () => {
    const stranger = await scrape(uri(), serverCa, namespaceLeaf);
    assert.ok('refused' in stranger, JSON.stringify(stranger));
    assert.match(refusedLines().at(-1)!, /^account metrics: refused CN=worker,O=myco: .*issuer/);
    assert.ok('refused' in (await scrape(uri(), serverCa)));
    assert.match(refusedLines().at(-1)!, /^account metrics: refused -: no client certificate/);
    const other = await scrape(uri().replace('/prometheus', '/metrics'), serverCa, metricsLeaf);
    assert.deepEqual('status' in other && [other.status, other.text], [404, "not found: the account's metrics are at GET /prometheus\n"]);
  });

  it('refuses the next connection once the CA is removed, and closes a kept-alive one', async () => {
    const kept = await openKeptAlive(uri(), serverCa, metricsLeaf);
    await setMetricsCas([]);
    assert.ok('refused' in (await scrape(uri(), serverCa, metricsLeaf)));
    assert.equal(await kept.closed, true, 'the open connection was closed');
    assert.ok(lines.some((line) => /^account metrics: closed CN=prometheus,O=myco: no longer admitted: the account metrics endpoint is off/.test(line)), 'closed for the change, not by a keep-alive timeout');
    await setMetricsCas([metricsCa]);
    assert.equal(((await scrape(uri(), serverCa, metricsLeaf)) as Extract<ScrapeResult, { status: number }>).status, 200, 'and admitted again once the CA is back');
  });
});

/** One gRPC call to `path` through the gateway, as an admitted client of `namespace`; resolves the grpc-status answered. */
function rawCall(emulator: Emulator, namespace: string, client: GeneratedCertificate, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const session = connectHttp2(`https://${emulator.gateway.address}`, {
      servername: emulator.namespaceHost(namespace),
      ca: readFileSync(emulator.gateway.caPath),
      cert: client.certificatePem,
      key: client.privateKeyPem,
    });
    session.on('error', reject);
    const stream = session.request({ ':method': 'POST', ':path': path, 'content-type': 'application/grpc', te: 'trailers' });
    let grpcStatus = '';
    stream.on('response', (headers) => (grpcStatus = String(headers['grpc-status'] ?? '')));
    stream.on('trailers', (trailers) => (grpcStatus = String(trailers['grpc-status'] ?? grpcStatus)));
    stream.on('close', () => {
      session.close();
      resolve(grpcStatus);
    });
    stream.resume();
    stream.end(Buffer.from([0, 0, 0, 0, 0]));
  });
}

/** A scrape on a kept-alive connection; `closed` resolves true once the server closes it. */
function openKeptAlive(uri: string, serverCa: Buffer, client: GeneratedCertificate): Promise<{ closed: Promise<boolean> }> {
  const agent = new Agent({ keepAlive: true, ca: serverCa, cert: client.certificatePem, key: client.privateKeyPem });
  return new Promise((resolve, reject) => {
    const call = get(uri, { agent }, (response) => {
      response.resume();
      const socket = response.socket;
      const closed = new Promise<boolean>((settle) => socket.once('close', () => settle(true))).finally(() => agent.destroy());
      response.once('end', () => resolve({ closed }));
    });
    call.on('error', reject);
  });
}
