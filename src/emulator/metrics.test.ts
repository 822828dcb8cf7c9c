import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import type { GeneratedCertificate } from '../pki/ca.js';
import { DAY_MS, makeCa, makeLeaf, rawConnect, setMtls } from './gateway/test-support.js';
import type { Emulator } from './index.js';
import { connectOfficialClient, grpcError, parseExposition, startTestEmulator, status, type OfficialClient, type Sample } from './test-support.js';

const NS = 'myns.acct';

async function scrape(emulator: Emulator): Promise<Sample[]> {
  const response = await fetch(`http://${emulator.metrics!.address}/metrics`);
  assert.equal(response.status, 200);
  assert.match(response.headers.get('content-type') ?? '', /^text\/plain; version=0\.0\.4/);
  return parseExposition(await response.text());
}

function find(samples: Sample[], name: string, labels: Record<string, string> = {}): Sample[] {
  return samples.filter((s) => s.name === name && Object.entries(labels).every(([k, v]) => s.labels[k] === v));
}

/** The fingerprint as `tcld n ca l` prints it, and notAfter in seconds, read with node:crypto. */
function expected(ca: GeneratedCertificate): { fingerprint: string; expiry: number } {
  const x509 = new X509Certificate(ca.certificatePem);
  return { fingerprint: x509.fingerprint.replace(/:/g, '').toLowerCase(), expiry: Math.floor(Date.parse(x509.validTo) / 1000) };
}

describe('emulator metrics', () => {
  let emulator: Emulator;
  let c: OfficialClient;
  let caA: GeneratedCertificate;
  let caB: GeneratedCertificate;
  let leafA: GeneratedCertificate;
  let stranger: GeneratedCertificate;
  let expiredLeaf: GeneratedCertificate;

  before(async () => {
    const now = Date.now();
    [caA, caB] = await Promise.all([makeCa('myco', new Date(now - 60 * DAY_MS)), makeCa('otherco')]);
    const strangerCa = await makeCa('myco');
    [leafA, stranger, expiredLeaf] = await Promise.all([
      makeLeaf(caA),
      makeLeaf(strangerCa),
      makeLeaf(caA, { now: new Date(now - 40 * DAY_MS), validityMs: DAY_MS }),
    ]);
    emulator = await startTestEmulator({ namespaces: [NS], metricsPort: 0 });
    c = await connectOfficialClient(emulator);
  });
  after(async () => {
    c.close();
    await emulator.close();
  });

  it('serves GET /metrics on the emulator host and answers 404 elsewhere', async () => {
    assert.equal(emulator.metrics!.address, `127.0.0.1:${emulator.metrics!.port}`);
    assert.notEqual(emulator.metrics!.port, emulator.port);
    assert.equal((await fetch(`http://${emulator.metrics!.address}/`)).status, 404);
    assert.equal((await fetch(`http://${emulator.metrics!.address}/metrics`, { method: 'POST' })).status, 404);
    const text = await (await fetch(`http://${emulator.metrics!.address}/metrics`)).text();
    for (const [name, type] of [['tcld_namespace_ca_expiry_timestamp_seconds', 'gauge'], ['tcld_cloud_requests_total', 'counter'], ['tcld_gateway_connections_total', 'counter']]) {
      assert.ok(text.includes(`# TYPE ${name} ${type}\n`), text);
    }
    parseExposition(text);
  });

  it("shows each CA of a namespace's bundle added through the API, with its fingerprint and notAfter in seconds; a removed CA disappears", async () => {
    assert.deepEqual(find(await scrape(emulator), 'tcld_namespace_ca_expiry_timestamp_seconds'), [], 'a seeded namespace has no CA');
    await setMtls(c, NS, { cas: [caA, caB] });
    const a = expected(caA);
    const b = expected(caB);
    const shown = find(await scrape(emulator), 'tcld_namespace_ca_expiry_timestamp_seconds').sort((x, y) => x.value - y.value);
    assert.deepEqual(shown, [
      { name: 'tcld_namespace_ca_expiry_timestamp_seconds', labels: { namespace: NS, fingerprint: a.fingerprint }, value: a.expiry },
      { name: 'tcld_namespace_ca_expiry_timestamp_seconds', labels: { namespace: NS, fingerprint: b.fingerprint }, value: b.expiry },
    ]);
    await setMtls(c, NS, { cas: [caB] });
    assert.deepEqual(
      find(await scrape(emulator), 'tcld_namespace_ca_expiry_timestamp_seconds').map((s) => s.labels),
      [{ namespace: NS, fingerprint: b.fingerprint }],
    );
  });

  it('drops the CAs of a deleted namespace', async () => {
    const created = await c.cloud.createNamespace({ spec: { name: 'brief', regions: ['local'], retentionDays: 1, mtlsAuth: { enabled: true, acceptedClientCa: Buffer.from(caA.certificatePem) } } });
    const id = created.namespace!;
    assert.equal(find(await scrape(emulator), 'tcld_namespace_ca_expiry_timestamp_seconds', { namespace: id }).length, 1);
    await c.cloud.deleteNamespace({ namespace: id });
    assert.deepEqual(find(await scrape(emulator), 'tcld_namespace_ca_expiry_timestamp_seconds', { namespace: id }), []);
  });

  it('counts Cloud Ops API calls by method and gRPC status name', async () => {
    const count = async (method: string, code: string) => find(await scrape(emulator), 'tcld_cloud_requests_total', { method, code })[0]?.value ?? 0;
    const [ok, notFound] = [await count('GetNamespace', 'OK'), await count('GetNamespace', 'NOT_FOUND')];
    await c.cloud.getNamespace({ namespace: NS });
    await c.cloud.getNamespace({ namespace: NS });
    assert.equal((await grpcError(() => c.cloud.getNamespace({ namespace: 'missing.acct' }))).code, status.NOT_FOUND);
    assert.equal(await count('GetNamespace', 'OK'), ok + 2);
    assert.equal(await count('GetNamespace', 'NOT_FOUND'), notFound + 1);
    const anonymous = await connectOfficialClient(emulator, { apiKey: 'wrong', retries: false });
    try {
      await grpcError(() => anonymous.cloud.getNamespaces({}));
    } finally {
      anonymous.close();
    }
    assert.equal(await count('GetNamespaces', 'UNAUTHENTICATED'), 1);
  });

  it('counts gateway admissions, and refusals by reason category', async () => {
    await setMtls(c, NS, { cas: [caA] });
    const host = emulator.namespaceHost(NS);
    assert.equal(await rawConnect(emulator, { servername: host, client: leafA }), 'forwarded');
    assert.equal(await rawConnect(emulator, { servername: host, client: leafA }), 'forwarded');
    assert.equal(await rawConnect(emulator, { servername: host, client: stranger }), 'refused');
    assert.equal(await rawConnect(emulator, { servername: host, client: expiredLeaf }), 'refused');
    assert.equal(await rawConnect(emulator, { servername: host }), 'refused');
    assert.equal(await rawConnect(emulator, { servername: 'nope.acct.tmprl.local', client: leafA }), 'refused');
    const connections = find(await scrape(emulator), 'tcld_gateway_connections_total')
      .map((s) => `${s.labels['namespace']} ${s.labels['result']} ${s.labels['reason']} ${s.value}`)
      .sort();
    assert.deepEqual(connections, [
      ' refused unknown-namespace 1',
      `${NS} admitted  2`,
      `${NS} refused expired 1`,
      `${NS} refused no-client-certificate 1`,
      `${NS} refused untrusted-issuer 1`,
    ]);
  });

  it('keeps two emulators in one process apart (a registry each), and serves none without metricsPort', async () => {
    const other = await startTestEmulator({ metricsPort: 0 });
    const none = await startTestEmulator();
    try {
      assert.equal(none.metrics, undefined);
      const samples = await scrape(other);
      assert.deepEqual(find(samples, 'tcld_cloud_requests_total'), []);
      assert.deepEqual(find(samples, 'tcld_gateway_connections_total'), []);
      assert.ok(find(await scrape(emulator), 'tcld_cloud_requests_total').length > 0);
    } finally {
      await Promise.all([other.close(), none.close()]);
    }
  });
});
