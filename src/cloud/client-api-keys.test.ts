import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { status } from '@grpc/grpc-js';
import { UserError } from '../errors.js';
import { connectCloud } from './client.js';
import { CloudError } from './errors.js';
import { scriptedServer, type Reply } from './test-support.js';

describe('connectCloud with a login, and the API key methods', () => {
  const script: Reply[] = [];
  let fake: Awaited<ReturnType<typeof scriptedServer>>;
  before(async () => {
    fake = await scriptedServer(script);
  });
  after(() => fake.stop());

  const withKey = () => connectCloud({ server: fake.address, apiKey: 'k', insecure: true });

  it("asks the login for its access token before every call and sends it as the bearer (a refreshed token takes over)", async () => {
    const tokens = ['at-1', 'at-2'];
    script.push({ response: { asyncOperation: { id: 'a' } } }, { response: { asyncOperation: { id: 'b' } } });
    const cloud = await connectCloud({ server: fake.address, insecure: true, accessToken: async () => tokens.shift()! });
    await cloud.getAsyncOperation('a');
    await cloud.getAsyncOperation('b');
    cloud.close();
    assert.deepEqual(fake.seen.slice(-2).map((s) => s.metadata.get('authorization')), [['Bearer at-1'], ['Bearer at-2']]);
  });

  it('says to log in again when the server refuses the login, and passes on "not logged in" before any call', async () => {
    script.push({ code: status.UNAUTHENTICATED, details: 'token expired' });
    const cloud = await connectCloud({ server: fake.address, insecure: true, accessToken: async () => 'at' });
    await assert.rejects(cloud.getNamespace('a.b'), (e: unknown) => e instanceof CloudError && e.message === `${fake.address} refused the login (UNAUTHENTICATED: token expired); run tcld login, or pass --api-key`);
    const before = fake.seen.length;
    const none = await connectCloud({ server: fake.address, insecure: true, accessToken: async () => Promise.reject(new UserError('not logged in')) });
    await assert.rejects(none.getNamespace('a.b'), /^UserError: not logged in$/);
    assert.equal(fake.seen.length, before, 'nothing was sent');
    cloud.close();
    none.close();
  });

  it('creates a key with the spec and request id given, and answers its id, secret and operation', async () => {
    script.push({ response: { keyId: 'key-1', token: 'secret-1', asyncOperation: { id: 'op-1', state: 1 } } });
    const cloud = await withKey();
    const created = await cloud.createApiKey({ spec: { displayName: 'ci', ownerId: 'u-1', ownerType: 1, expiryTime: { seconds: 1_900_000_000, nanos: 0 } as never }, asyncOperationId: 'op-1' });
    cloud.close();
    assert.deepEqual({ keyId: created.keyId, token: created.token, op: created.asyncOperation.id }, { keyId: 'key-1', token: 'secret-1', op: 'op-1' });
    const sent = fake.seen.at(-1)!;
    assert.equal(sent.method, 'CreateApiKey');
    const request = sent.request as { spec: { displayName: string; ownerId: string; ownerType: number; expiryTime: { seconds: { toString(): string } } }; asyncOperationId: string };
    assert.deepEqual([request.spec.displayName, request.spec.ownerId, request.spec.ownerType, String(request.spec.expiryTime.seconds), request.asyncOperationId], ['ci', 'u-1', 1, '1900000000', 'op-1']);
  });

  it('reads every page of keys, passing the owner filter on each', async () => {
    script.push({ response: { apiKeys: [{ id: 'k1' }], nextPageToken: 'p2' } }, { response: { apiKeys: [{ id: 'k2' }], nextPageToken: '' } });
    const cloud = await withKey();
    const keys = await cloud.getApiKeys({ ownerId: 'u-1', ownerType: 2 });
    cloud.close();
    assert.deepEqual(keys.map((k) => k.id), ['k1', 'k2']);
    const [first, second] = fake.seen.slice(-2).map((s) => s.request as { pageToken: string; ownerId: string; ownerType: number });
    assert.deepEqual([first!.pageToken, second!.pageToken, second!.ownerId, second!.ownerType], ['', 'p2', 'u-1', 2]);
  });

  it('names the key that was not found, and calls GetCurrentIdentity, UpdateApiKey and DeleteApiKey', async () => {
    script.push({ code: status.NOT_FOUND, details: 'no such key' });
    script.push({ response: { user: { id: 'u-1' } } });
    script.push({ response: { asyncOperation: { id: 'op-u' } } }, { response: { asyncOperation: { id: 'op-d' } } });
    const cloud = await withKey();
    await assert.rejects(cloud.getApiKey('k9'), (e: unknown) => e instanceof CloudError && e.message === `apikey k9 not found at ${fake.address}`);
    assert.equal((await cloud.getCurrentIdentity()).user?.id, 'u-1');
    assert.equal((await cloud.updateApiKey({ keyId: 'k1', spec: { disabled: true }, resourceVersion: 'v1', asyncOperationId: 'op-u' })).id, 'op-u');
    assert.equal((await cloud.deleteApiKey({ keyId: 'k1', resourceVersion: 'v2', asyncOperationId: 'op-d' })).id, 'op-d');
    cloud.close();
    assert.deepEqual(fake.seen.slice(-4).map((s) => s.method), ['GetApiKey', 'GetCurrentIdentity', 'UpdateApiKey', 'DeleteApiKey']);
  });
});
