import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderMutation, renderPrintable } from '../../cli/render.js';
import type { IApiKey } from '../../cloud/proto.js';
import { UserError } from '../../errors.js';
import { protoTime } from '../namespace/fake-cloud.js';
import { run as remove } from './delete.js';
import { run as disable } from './disable.js';
import { run as enable } from './enable.js';
import { depsWithKeys, fakeKeys } from './fake-keys.js';
import { run as get } from './get.js';
import { run as list } from './list.js';

const KEY: IApiKey = {
  id: 'key-a',
  resourceVersion: 'v1',
  state: 3,
  asyncOperationId: 'op-0',
  spec: { ownerId: 'user-1', ownerType: 1, displayName: 'ci', description: 'deploys', expiryTime: protoTime(1_900_000_000), disabled: false },
  createdTime: protoTime(1_714_557_600),
  lastModifiedTime: protoTime(1_714_557_601, 500_000_000),
};
const SERVICE_KEY: IApiKey = { ...KEY, id: 'key-b', spec: { ...KEY.spec, ownerId: 'sa-1', ownerType: 2, disabled: true } };

const TCLD_KEY = {
  id: 'key-a',
  owner: { ownerId: 'user-1', ownerType: 'ApikeyOwnerTypeUser' },
  spec: { accessType: 'ApikeyAccessTypeInheritOwnerAccess', displayName: 'ci', description: 'deploys', expiryTime: '2030-03-17T17:46:40Z', disabled: false },
  resourceVersion: 'v1',
  state: 'ApikeyStateActive',
  requestId: 'op-0',
  createdTime: '2024-05-01T10:00:00Z',
  lastModifiedTime: '2024-05-01T10:00:01.500Z',
};

describe('tcld apikey get and list', () => {
  it("get prints the key as tcld's JSON, tab-indented", async () => {
    const { client } = fakeKeys([KEY]);
    const printed = renderPrintable(await get({ id: 'key-a' }, depsWithKeys(client).deps));
    assert.equal(printed.stdout, JSON.stringify(TCLD_KEY, null, '\t'));
  });

  it('get names the key that does not exist', async () => {
    const { client } = fakeKeys([]);
    await assert.rejects(get({ id: 'nope' }, depsWithKeys(client).deps), /apikey nope not found/);
  });

  it("list prints every key as tcld's {apiKeys, nextPageToken}, filtered by owner id and type", async () => {
    const { client, calls } = fakeKeys([KEY, SERVICE_KEY]);
    const all = JSON.parse(renderPrintable(await list({}, depsWithKeys(client).deps)).stdout);
    assert.deepEqual(all.apiKeys.map((k: { id: string }) => k.id), ['key-a', 'key-b']);
    assert.equal(all.nextPageToken, '');
    const services = JSON.parse(renderPrintable(await list({ ownerType: 'service-account', ownerId: 'sa-1' }, depsWithKeys(client).deps)).stdout);
    assert.deepEqual(services.apiKeys.map((k: { owner: { ownerType: string } }) => k.owner.ownerType), ['ApikeyOwnerTypeServiceAccount']);
    assert.deepEqual(calls.at(-1)!.request, { ownerId: 'sa-1', ownerType: 2 });
  });
});

describe('tcld apikey delete, disable and enable', () => {
  it("delete sends the key's current resource version when none is given, and prints tcld's requestStatus", async () => {
    const { client, calls, held } = fakeKeys([KEY]);
    const outcome = await remove({ id: 'key-a', requestId: 'req-d' }, depsWithKeys(client).deps);
    assert.deepEqual(calls.map((c) => c.method), ['GetApiKey', 'DeleteApiKey']);
    assert.deepEqual(calls[1]!.request, { keyId: 'key-a', resourceVersion: 'v1', asyncOperationId: 'req-d' });
    assert.ok(!held.has('key-a'));
    const rendered = renderMutation(outcome);
    const status = JSON.parse(rendered.stdout).requestStatus;
    assert.deepEqual([status.requestId, status.state, status.resourceId, status.resourceType], ['req-d', 'Pending', 'key-a', 'apikey']);
    assert.deepEqual(rendered.notes, ['apikey key-a: delete requested (request req-d, Pending)']);
  });

  it('delete takes --resource-version as given, without reading the key, and --wait waits for the request', async () => {
    const { client, calls } = fakeKeys([KEY]);
    const outcome = await remove({ id: 'key-a', resourceVersion: 'v1', wait: true }, depsWithKeys(client).deps);
    assert.deepEqual(calls.map((c) => c.method), ['DeleteApiKey', 'GetAsyncOperation']);
    assert.equal(outcome.code === 'requested' && outcome.response.requestStatus.state, 'Fulfilled');
  });

  it('disable sends the whole spec with disabled set, at the current version, and enable undoes it', async () => {
    const { client, calls, held } = fakeKeys([KEY]);
    await disable({ id: 'key-a', requestId: 'req-1' }, depsWithKeys(client).deps);
    assert.deepEqual(calls.at(-1)!.request, { keyId: 'key-a', spec: { ...KEY.spec, disabled: true }, resourceVersion: 'v1', asyncOperationId: 'req-1' });
    assert.equal(held.get('key-a')!.spec!.disabled, true);
    await enable({ id: 'key-a', requestId: 'req-2' }, depsWithKeys(client).deps);
    assert.deepEqual(calls.at(-1)!.request, { keyId: 'key-a', spec: { ...KEY.spec, disabled: false }, resourceVersion: 'v1+', asyncOperationId: 'req-2' });
  });

  it("refuses to disable a disabled key or enable an enabled one with tcld's words; --idempotent makes that a success with nothing sent", async () => {
    const { client, calls } = fakeKeys([KEY, SERVICE_KEY]);
    await assert.rejects(enable({ id: 'key-a' }, depsWithKeys(client).deps), (e: unknown) => e instanceof UserError && e.message === 'apikey is already enabled');
    await assert.rejects(disable({ id: 'key-b' }, depsWithKeys(client).deps), (e: unknown) => e instanceof UserError && e.message === 'apikey is already disabled');
    const outcome = await disable({ id: 'key-b', idempotent: true }, depsWithKeys(client).deps);
    assert.deepEqual(outcome, { code: 'unchanged', reason: 'apikey key-b is already disabled' });
    assert.ok(!calls.some((c) => c.method === 'UpdateApiKey'));
  });

  it('passes a stale --resource-version on to the server, which refuses it', async () => {
    const { client } = fakeKeys([KEY]);
    await assert.rejects(disable({ id: 'key-a', resourceVersion: 'v0' }, depsWithKeys(client).deps), /stale resource version/);
  });
});
