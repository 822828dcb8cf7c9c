import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { status } from '@grpc/grpc-js';
import { connectCloud, grpcTarget } from './client.js';
import { CloudError } from './errors.js';
import { scriptedServer, type Reply } from './test-support.js';

describe('connectCloud', () => {
  const script: Reply[] = [];
  let fake: Awaited<ReturnType<typeof scriptedServer>>;
  before(async () => {
    fake = await scriptedServer(script);
  });
  after(() => fake.stop());

  const client = (extra: { debug?: (line: string) => void; maxAttempts?: number } = {}) =>
    connectCloud({ server: fake.address, apiKey: 'secret-key', insecure: true, backoffMs: 1, random: () => 0.5, ...extra });

  it('sends the API key as a bearer token and the API version header', async () => {
    script.push({ response: { namespace: { namespace: 'a.b', resourceVersion: 'v1' } } });
    const cloud = await client();
    const namespace = await cloud.getNamespace('a.b');
    cloud.close();
    assert.equal(namespace.resourceVersion, 'v1');
    const last = fake.seen.at(-1)!;
    assert.equal(last.method, 'GetNamespace');
    assert.deepEqual(last.metadata.get('authorization'), ['Bearer secret-key']);
    assert.deepEqual(last.metadata.get('temporal-cloud-api-version'), ['v0.10.0']);
  });

  it('reaches an IPv4 address through grpc-js\'s ipv4 resolver and a name through DNS, the same server either way', async () => {
    assert.equal(grpcTarget('127.0.0.1:7233'), 'ipv4:127.0.0.1:7233');
    for (const name of ['saas-api.tmprl.cloud:443', 'localhost:7233', '[::1]:7233', '256.0.0.1:7233', 'ipv4:127.0.0.1:1']) assert.equal(grpcTarget(name), name);
    for (const server of [fake.address, fake.address.replace('127.0.0.1', 'localhost')]) {
      script.push({ response: { namespace: { namespace: 'a.b', resourceVersion: server } } });
      const cloud = await connectCloud({ server, apiKey: 'secret-key', insecure: true });
      assert.equal((await cloud.getNamespace('a.b')).resourceVersion, server);
      cloud.close();
    }
  });

  it('retries UNAVAILABLE and RESOURCE_EXHAUSTED, then succeeds', async () => {
    script.push({ code: status.UNAVAILABLE }, { code: status.RESOURCE_EXHAUSTED }, { response: { namespaces: [{ namespace: 'x.y' }] } });
    const lines: string[] = [];
    const cloud = await client({ debug: (line) => lines.push(line) });
    const namespaces = await cloud.getNamespaces();
    cloud.close();
    assert.deepEqual(namespaces.map((n) => n.namespace), ['x.y']);
    assert.equal(lines.filter((l) => /try \d of 5/.test(l)).length, 2);
    assert.ok(lines.every((l) => !l.includes('secret-key')));
  });

  it('gives up after the last try with a message saying what to check', async () => {
    script.push({ code: status.UNAVAILABLE }, { code: status.UNAVAILABLE }, { code: status.UNAVAILABLE });
    const cloud = await client({ maxAttempts: 3 });
    const before = fake.seen.length;
    await assert.rejects(cloud.getAsyncOperation('op'), (error: unknown) => {
      assert.ok(error instanceof CloudError);
      assert.equal(error.code, status.UNAVAILABLE);
      assert.match(error.message, /cannot reach 127\.0\.0\.1:\d+ .*--insecure/);
      return true;
    });
    cloud.close();
    assert.equal(fake.seen.length - before, 3);
  });

  it('does not retry other failures, and names the namespace that is not found', async () => {
    script.push({ code: status.NOT_FOUND, details: 'no such namespace' });
    const cloud = await client();
    const before = fake.seen.length;
    await assert.rejects(cloud.getNamespace('gone.acct'), /namespace gone\.acct not found at 127\.0\.0\.1/);
    assert.equal(fake.seen.length - before, 1);
    script.push({ code: status.FAILED_PRECONDITION, details: 'stale' });
    await assert.rejects(cloud.updateNamespace({ namespace: 'a', spec: {}, resourceVersion: 'v0', asyncOperationId: 'op' }), (error: unknown) => {
      assert.ok(error instanceof CloudError && error.isConflict);
      return true;
    });
    cloud.close();
  });

  it('cancels a call still unanswered when closed, so that a hung server does not hold the process', async () => {
    script.push({ hang: true });
    const cloud = await client();
    const before = fake.seen.length;
    const pending = cloud.getAsyncOperation('op');
    while (fake.seen.length === before) await new Promise((settle) => setTimeout(settle, 5));
    cloud.close();
    await assert.rejects(pending, (error: unknown) => error instanceof CloudError && error.code === status.CANCELLED);
  });

  it('refuses to start without an API key', async () => {
    await assert.rejects(connectCloud({ server: fake.address, apiKey: '', insecure: true }), /no API key: pass --api-key or set TEMPORAL_CLOUD_API_KEY/);
  });
});
