import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Emulator } from '../index.js';
import { connectOfficialClient, grpcError, manualClock, startTestEmulator, status } from '../test-support.js';
import type { IApiKeySpec } from './api-key-spec.js';

type Client = Awaited<ReturnType<typeof connectOfficialClient>>;

const DELAY = 2000;
const DAY = 24 * 3600 * 1000;
const USER = 1; // OWNER_TYPE_USER
const SERVICE_ACCOUNT = 2; // OWNER_TYPE_SERVICE_ACCOUNT
const ACTIVE = 3;
const EXPIRED = 10;

type Timestamp = NonNullable<IApiKeySpec['expiryTime']>;
/** The client takes a number for a Timestamp's int64 seconds, though its types say Long. */
const timestamp = (ms: number) => ({ seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1_000_000 }) as unknown as Timestamp;

describe('API keys, through the official @temporalio/cloud client', () => {
  const clock = manualClock();
  let emulator: Emulator;
  let c: Client;
  before(async () => {
    emulator = await startTestEmulator({ account: 'acct', asyncDelayMs: DELAY, now: clock.now });
    c = await connectOfficialClient(emulator, { retries: false });
  });
  after(async () => {
    c.close();
    await emulator.close();
  });

  function spec(overrides: Record<string, unknown> = {}): IApiKeySpec {
    return { ownerId: emulator.admin.id, ownerType: USER, displayName: 'ci', description: 'for CI', expiryTime: timestamp(clock.now().getTime() + 30 * DAY), ...overrides };
  }

  async function createKey(overrides: Record<string, unknown> = {}) {
    const created = await c.cloud.createApiKey({ spec: spec(overrides) });
    return { id: created.keyId!, token: created.token!, operation: created.asyncOperation! };
  }

  /** Calls GetNamespaces with `secret` as the bearer: OK, or the gRPC error. */
  async function callWith(secret: string): Promise<{ code: status; details: string }> {
    try {
      await c.client.connection.withApiKey(secret, () => c.cloud.getNamespaces({}));
      return { code: status.OK, details: '' };
    } catch (error) {
      const { code, details } = error as { code: status; details: string };
      return { code, details };
    }
  }

  async function getKey(id: string) {
    return (await c.cloud.getApiKey({ keyId: id })).apiKey!;
  }

  it('CreateApiKey › returns the key ID, its secret once and a pending operation; the secret is admitted at once', async () => {
    const { id, token, operation } = await createKey();
    assert.match(id, /^[0-9a-f]{32}$/);
    assert.match(token, /^tcld_dev_ak_[\w-]{43}$/);
    assert.equal(operation.operationType, 'create-api-key');
    assert.equal(operation.stateDeprecated, 'pending');
    assert.deepEqual(await callWith(token), { code: status.OK, details: '' });

    const activating = await getKey(id);
    assert.equal(activating.stateDeprecated, 'activating');
    assert.equal(activating.asyncOperationId, operation.id);
    assert.equal(activating.spec?.ownerId, emulator.admin.id);
    assert.equal(activating.spec?.ownerType, USER);
    assert.equal(activating.spec?.ownerTypeDeprecated, 'user');
    assert.equal(activating.spec?.displayName, 'ci');
    assert.equal(activating.spec?.description, 'for CI');
    assert.equal(Number(activating.spec?.expiryTime?.seconds), Math.floor((clock.now().getTime() + 30 * DAY) / 1000));
    assert.ok(!JSON.stringify(activating).includes(token), 'GetApiKey never returns the secret');
    clock.advance(DELAY);
    const active = await getKey(id);
    assert.equal(active.state, ACTIVE);
    assert.equal((await c.cloud.getAsyncOperation({ asyncOperationId: operation.id! })).asyncOperation?.stateDeprecated, 'fulfilled');
  });

  it('UpdateApiKey › disabling refuses the key at its next call, naming the key; enabling admits it again', async () => {
    const { id, token } = await createKey();
    const key = await getKey(id);
    const disabled = await c.cloud.updateApiKey({ keyId: id, spec: { ...key.spec, disabled: true }, resourceVersion: key.resourceVersion! });
    assert.equal(disabled.asyncOperation?.operationType, 'update-api-key');
    const refused = await callWith(token);
    assert.equal(refused.code, status.UNAUTHENTICATED);
    assert.equal(refused.details, `API key ${id} is disabled: enable it (UpdateApiKey, tcld apikey enable) or use another key`);

    const now = await getKey(id);
    assert.equal(now.spec?.disabled, true);
    assert.notEqual(now.resourceVersion, key.resourceVersion);
    await c.cloud.updateApiKey({ keyId: id, spec: { ...now.spec, disabled: false }, resourceVersion: now.resourceVersion! });
    assert.deepEqual(await callWith(token), { code: status.OK, details: '' });
  });

  it('DeleteApiKey › refuses the key at its next call; GetApiKey answers NOT_FOUND', async () => {
    const { id, token } = await createKey();
    const key = await getKey(id);
    const deleted = await c.cloud.deleteApiKey({ keyId: id, resourceVersion: key.resourceVersion! });
    assert.equal(deleted.asyncOperation?.operationType, 'delete-api-key');
    const refused = await callWith(token);
    assert.equal(refused.code, status.UNAUTHENTICATED);
    assert.equal(refused.details, 'invalid API key: it was deleted or is unknown to this dev-server');
    assert.equal((await grpcError(() => c.cloud.getApiKey({ keyId: id }))).code, status.NOT_FOUND);
    assert.equal((await grpcError(() => c.cloud.deleteApiKey({ keyId: id }))).code, status.NOT_FOUND);
  });

  it('refuses a key once its expiry time passes, naming the key and when it expired; GetApiKey says EXPIRED', async () => {
    const expiry = clock.now().getTime() + 3600_000;
    const { id, token } = await createKey({ expiryTime: timestamp(expiry) });
    clock.advance(3600_000 - 1);
    assert.equal((await callWith(token)).code, status.OK);
    clock.advance(1);
    const refused = await callWith(token);
    assert.equal(refused.code, status.UNAUTHENTICATED);
    assert.equal(refused.details, `API key ${id} expired at ${new Date(expiry).toISOString()}: create a new key`);
    assert.equal((await getKey(id)).state, EXPIRED);
  });

  it('CreateApiKey › accepts an expiry exactly 2 years away and refuses one a second later, one in the past and none, with INVALID_ARGUMENT', async () => {
    const now = clock.now();
    const twoYears = Date.UTC(now.getUTCFullYear() + 2, now.getUTCMonth(), now.getUTCDate(), now.getUTCHours(), now.getUTCMinutes(), now.getUTCSeconds());
    await createKey({ expiryTime: timestamp(twoYears) });
    const cases: Array<[Record<string, unknown>, RegExp]> = [
      [{ expiryTime: timestamp(twoYears + 1000) }, /^spec\.expiry_time .* is more than 2 years away \(the latest allowed now is /],
      [{ expiryTime: timestamp(now.getTime() - 1000) }, /^spec\.expiry_time .* is not in the future$/],
      [{ expiryTime: timestamp(now.getTime()) }, /is not in the future/],
      [{ expiryTime: null }, /^spec\.expiry_time is required/],
      [{ displayName: '  ' }, /^spec\.display_name is required$/],
      [{ ownerId: '' }, /^spec\.owner_id is required/],
      [{ ownerType: 0 }, /^spec\.owner_type is required/],
      [{ ownerType: 0, ownerTypeDeprecated: 'robot' }, /^spec\.owner_type must be OWNER_TYPE_USER or OWNER_TYPE_SERVICE_ACCOUNT$/],
    ];
    for (const [overrides, message] of cases) {
      const error = await grpcError(() => c.cloud.createApiKey({ spec: spec(overrides) }));
      assert.equal(error.code, status.INVALID_ARGUMENT, JSON.stringify(overrides));
      assert.match(error.details, message);
    }
    const all = await grpcError(() => c.cloud.createApiKey({ spec: { ownerType: USER } }));
    assert.equal(all.details.split('; ').length, 3, 'every problem is named at once');
    assert.equal((await grpcError(() => c.cloud.createApiKey({}))).details, 'spec is required');
  });

  it('CreateApiKey › answers NOT_FOUND for an owner that is no user, and for any service account (the dev-server has none)', async () => {
    const user = await grpcError(() => c.cloud.createApiKey({ spec: spec({ ownerId: 'nobody' }) }));
    assert.equal(user.code, status.NOT_FOUND);
    assert.match(user.details, /^user "nobody" not found/);
    const account = await grpcError(() => c.cloud.createApiKey({ spec: spec({ ownerId: 'sa-1', ownerType: SERVICE_ACCOUNT }) }));
    assert.equal(account.code, status.NOT_FOUND);
    assert.match(account.details, /^service account "sa-1" not found: tcld dev-server has no service accounts/);
  });

  it('UpdateApiKey › refuses a stale resource_version (FAILED_PRECONDITION), a new owner and a change of nothing (INVALID_ARGUMENT)', async () => {
    const { id } = await createKey();
    const key = await getKey(id);
    const stale = await grpcError(() => c.cloud.updateApiKey({ keyId: id, spec: { ...key.spec, displayName: 'new' }, resourceVersion: 'old-version' }));
    assert.equal(stale.code, status.FAILED_PRECONDITION);
    assert.match(stale.details, /^resource_version "old-version" is stale: API key "[0-9a-f]{32}" is at "/);
    const staleDelete = await grpcError(() => c.cloud.deleteApiKey({ keyId: id, resourceVersion: 'old-version' }));
    assert.equal(staleDelete.code, status.FAILED_PRECONDITION);

    const owner = await grpcError(() => c.cloud.updateApiKey({ keyId: id, spec: { ...key.spec, ownerId: 'someone-else' }, resourceVersion: key.resourceVersion! }));
    assert.equal(owner.code, status.INVALID_ARGUMENT);
    assert.match(owner.details, /^spec\.owner_id and spec\.owner_type cannot change/);
    const nothing = await grpcError(() => c.cloud.updateApiKey({ keyId: id, spec: key.spec!, resourceVersion: key.resourceVersion! }));
    assert.equal(nothing.code, status.INVALID_ARGUMENT);
    assert.equal(nothing.details, 'nothing to change');
    const farExpiry = await grpcError(() =>
      c.cloud.updateApiKey({ keyId: id, spec: { ...key.spec, expiryTime: timestamp(clock.now().getTime() + 3 * 365 * DAY) }, resourceVersion: key.resourceVersion! }),
    );
    assert.match(farExpiry.details, /is more than 2 years away/);
    assert.equal((await grpcError(() => c.cloud.updateApiKey({ keyId: 'missing', spec: key.spec! }))).code, status.NOT_FOUND);
    assert.equal((await getKey(id)).resourceVersion, key.resourceVersion, 'nothing was changed');
  });

  it('a repeated async_operation_id returns the first operation (CreateApiKey: the same key, without its secret); reused by another request, ALREADY_EXISTS', async () => {
    const first = await c.cloud.createApiKey({ spec: spec({ displayName: 'retried' }), asyncOperationId: 'op-create-1' });
    assert.equal(first.asyncOperation?.id, 'op-create-1');
    const retry = await c.cloud.createApiKey({ spec: spec({ displayName: 'retried' }), asyncOperationId: 'op-create-1' });
    assert.equal(retry.keyId, first.keyId);
    assert.equal(retry.token, '');
    assert.equal(retry.asyncOperation?.id, 'op-create-1');
    const other = await grpcError(() => c.cloud.createApiKey({ spec: spec({ displayName: 'another' }), asyncOperationId: 'op-create-1' }));
    assert.equal(other.code, status.ALREADY_EXISTS);

    const key = await getKey(first.keyId!);
    const update = { keyId: key.id!, spec: { ...key.spec, description: 'changed' }, resourceVersion: key.resourceVersion!, asyncOperationId: 'op-update-1' };
    const updated = await c.cloud.updateApiKey(update);
    // The retry carries the version the first request saw, now stale: it still gets its operation.
    assert.equal((await c.cloud.updateApiKey(update)).asyncOperation?.id, updated.asyncOperation?.id);
    assert.equal((await grpcError(() => c.cloud.deleteApiKey({ keyId: key.id!, asyncOperationId: 'op-update-1' }))).code, status.ALREADY_EXISTS);
    assert.equal((await grpcError(() => c.cloud.updateNamespace({ namespace: 'x.acct', spec: {}, asyncOperationId: 'op-update-1' }))).code, status.ALREADY_EXISTS);
  });

  it('GetApiKeys › pages in ID order with page_size and page_token, filtered by owner ID and owner type', async () => {
    const made = new Set<string>();
    for (let i = 0; i < 3; i++) made.add((await createKey({ displayName: `page-${i}` })).id);
    const listed: string[] = [];
    let pageToken = '';
    do {
      const page = await c.cloud.getApiKeys({ pageSize: 2, pageToken });
      assert.ok(page.apiKeys!.length <= 2);
      listed.push(...page.apiKeys!.map((key) => key.id!));
      pageToken = page.nextPageToken ?? '';
    } while (pageToken !== '');
    assert.deepEqual(listed, [...listed].sort());
    for (const id of made) assert.ok(listed.includes(id));
    assert.equal((await c.cloud.getApiKeys({ ownerId: emulator.admin.id, ownerType: USER })).apiKeys!.length, listed.length);
    assert.equal((await c.cloud.getApiKeys({ ownerTypeDeprecated: 'user' })).apiKeys!.length, listed.length);
    assert.deepEqual((await c.cloud.getApiKeys({ ownerId: 'nobody' })).apiKeys, []);
    assert.deepEqual((await c.cloud.getApiKeys({ ownerType: SERVICE_ACCOUNT })).apiKeys, []);
    assert.equal((await grpcError(() => c.cloud.getApiKeys({ pageToken: '!!' }))).code, status.INVALID_ARGUMENT);
    assert.equal((await grpcError(() => c.cloud.getApiKeys({ pageSize: -1 }))).code, status.INVALID_ARGUMENT);
  });

  it('GetCurrentIdentity › names the admin user for the bootstrap key, and the key as well for a key made by CreateApiKey', async () => {
    const asBootstrap = await c.cloud.getCurrentIdentity({});
    assert.equal(asBootstrap.user?.id, emulator.admin.id);
    assert.equal(asBootstrap.user?.spec?.email, 'admin@acct.tmprl.local');
    assert.equal(asBootstrap.user?.spec?.access?.accountAccess?.role, 2 /* ROLE_ADMIN */);
    assert.equal(asBootstrap.principalApiKey, null);
    const { id, token } = await createKey({ displayName: 'whoami' });
    const asKey = await c.client.connection.withApiKey(token, () => c.cloud.getCurrentIdentity({}));
    assert.equal(asKey.user?.id, emulator.admin.id);
    assert.equal(asKey.principalApiKey?.id, id);
    assert.equal(asKey.principalApiKey?.spec?.displayName, 'whoami');
  });

  it('GetUsers and GetUser › list the admin (by email, by namespace) and answer NOT_FOUND for an unknown user', async () => {
    const users = (await c.cloud.getUsers({})).users!;
    assert.deepEqual(users.map((user) => user.id), [emulator.admin.id]);
    assert.deepEqual((await c.cloud.getUsers({ email: 'admin@acct.tmprl.local' })).users!.length, 1);
    assert.deepEqual((await c.cloud.getUsers({ email: 'someone@else' })).users, []);
    assert.deepEqual((await c.cloud.getUsers({ namespace: 'missing.acct' })).users, []);
    assert.equal((await c.cloud.getUser({ userId: emulator.admin.id })).user?.spec?.email, 'admin@acct.tmprl.local');
    assert.equal((await grpcError(() => c.cloud.getUser({ userId: 'nobody' }))).code, status.NOT_FOUND);
  });
});

describe('API keys, logging', () => {
  it('logs one line per call with no secret in it: neither the key a call sends nor the one CreateApiKey returns', async () => {
    const lines: string[] = [];
    const emulator = await startTestEmulator({ log: (line) => lines.push(line) });
    const c = await connectOfficialClient(emulator, { retries: false });
    let token = '';
    try {
      const created = await c.cloud.createApiKey({
        spec: { ownerId: emulator.admin.id, ownerType: USER, displayName: 'logged', expiryTime: timestamp(Date.now() + DAY) },
      });
      token = created.token!;
      await c.client.connection.withApiKey(token, () => c.cloud.getCurrentIdentity({}));
      await c.client.connection.withApiKey(`${token}x`, () => grpcError(() => c.cloud.getApiKeys({})));
    } finally {
      c.close();
      await emulator.close();
    }
    assert.equal(lines.length, 3);
    assert.match(lines[0]!, /^CreateApiKey - OK \d+\.\dms$/);
    assert.match(lines[1]!, /^GetCurrentIdentity - OK \d+\.\dms$/);
    assert.match(lines[2]!, /^GetApiKeys - UNAUTHENTICATED \d+\.\dms$/);
    assert.ok(token.length > 0 && lines.every((line) => !line.includes(token.slice('tcld_dev_ak_'.length))));
  });
});
