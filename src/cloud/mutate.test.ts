import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CloudClient, UpdateAccountRequest, UpdateNamespaceRequest } from './client.js';
import { CloudError, Status } from './errors.js';
import { accountResource, conflictBackoffMs, mutateNamespace, mutateResource, type RetryClock } from './mutate.js';
import type { IAccount, INamespace } from './proto.js';
import { NO_API_KEYS } from './test-support.js';

/**
 * A namespace and the account held in memory, whose versions move on each write; `interfere` writes in
 * between, like another user (to the namespace and to the account alike).
 */
function fakeClient(options: { interfere?: number; answer?: CloudError; onCall?: () => void } = {}) {
  let version = 1;
  let retention = 30;
  let interfere = options.interfere ?? 0;
  const updates: UpdateNamespaceRequest[] = [];
  let accountVersion = 1;
  let accountCa = '';
  const accountUpdates: UpdateAccountRequest[] = [];
  const client: CloudClient = {
    server: 'fake',
    ...NO_API_KEYS,
    async getNamespaces() {
      return [];
    },
    async getNamespacesPage() {
      return { namespaces: [], nextPageToken: '' };
    },
    async getNamespace(namespace) {
      options.onCall?.();
      const current: INamespace = { namespace, resourceVersion: `v${version}`, spec: { retentionDays: retention } };
      if (interfere-- > 0) version++; // someone else writes right after our read
      return current;
    },
    createNamespace: notCalled,
    deleteNamespace: notCalled,
    async updateNamespace(request) {
      options.onCall?.();
      updates.push(request);
      if (options.answer) throw options.answer;
      if (request.resourceVersion !== `v${version}`) throw new CloudError('stale', Status.FAILED_PRECONDITION, 'stale');
      version++;
      retention = Number(request.spec.retentionDays);
      return { id: request.asyncOperationId, state: 1 };
    },
    async getAccount() {
      options.onCall?.();
      const current: IAccount = { id: 'acct', resourceVersion: `a${accountVersion}`, spec: { metrics: { acceptedClientCa: Buffer.from(accountCa) } } };
      if (interfere-- > 0) accountVersion++;
      return current;
    },
    async updateAccount(request) {
      options.onCall?.();
      accountUpdates.push(request);
      if (options.answer) throw options.answer;
      if (request.resourceVersion !== `a${accountVersion}`) throw new CloudError('stale', Status.FAILED_PRECONDITION, 'stale');
      accountVersion++;
      accountCa = Buffer.from(request.spec.metrics?.acceptedClientCa ?? []).toString();
      return { id: request.asyncOperationId, state: 1 };
    },
    async getAsyncOperation() {
      return {};
    },
    close() {},
  };
  return { client, updates, accountUpdates, retention: () => retention, accountCa: () => accountCa };
}

/** A clock that moves only when told: each sleep moves it by the time slept, and each call costs `callMs`. */
function fakeClock(options: { random?: number; callMs?: number } = {}) {
  let ms = 1_000_000;
  const sleeps: number[] = [];
  const clock: RetryClock = {
    now: () => ms,
    async sleep(delay) {
      sleeps.push(delay);
      ms += delay;
    },
    random: () => options.random ?? 0.5,
  };
  return { clock, sleeps, started: ms, now: () => ms, call: () => (ms += options.callMs ?? 5) };
}

const addOneDay = (current: INamespace) => ({ spec: { retentionDays: Number(current.spec?.retentionDays) + 1 }, summary: '+1 day' });
let ids = 0;
const newId = () => `id-${++ids}`;

describe('mutateNamespace', () => {
  it('re-reads and re-applies the change after a conflict, so the change is applied once to the latest spec', async () => {
    const fake = fakeClient({ interfere: 2 });
    const result = await mutateNamespace(fake.client, { namespace: 'n', change: addOneDay, newId, clock: fakeClock().clock });
    assert.equal(result.changed, true);
    assert.equal(fake.updates.length, 3);
    assert.equal(fake.retention(), 31);
    assert.equal(new Set(fake.updates.map((u) => u.asyncOperationId)).size, 3, 'each round is a new request');
  });

  it('keeps the user request id in every round', async () => {
    const fake = fakeClient({ interfere: 1 });
    await mutateNamespace(fake.client, { namespace: 'n', change: addOneDay, newId, requestId: 'mine', clock: fakeClock().clock });
    assert.deepEqual(fake.updates.map((u) => u.asyncOperationId), ['mine', 'mine']);
  });

  it('does not retry a pinned resource version: the conflict is the user\'s to resolve', async () => {
    const fake = fakeClient();
    const time = fakeClock();
    await assert.rejects(mutateNamespace(fake.client, { namespace: 'n', change: addOneDay, newId, resourceVersion: 'v0', clock: time.clock }), /resource version v0 is stale/);
    assert.deepEqual([fake.updates.length, time.sleeps.length], [1, 0]);
  });

  it('keeps retrying past any fixed number of rounds while its time budget lasts', async () => {
    const time = fakeClock();
    const fake = fakeClient({ interfere: 40, onCall: time.call });
    const rounds: number[] = [];
    const result = await mutateNamespace(fake.client, { namespace: 'n', change: addOneDay, newId, clock: time.clock, onConflict: (round) => rounds.push(round) });
    assert.equal(result.changed, true);
    assert.equal(fake.updates.length, 41);
    assert.equal(fake.retention(), 31);
    assert.deepEqual(rounds, Array.from({ length: 40 }, (_, i) => i + 1), 'onConflict before each retry');
    assert.ok(time.now() - time.started < 30_000);
  });

  it('gives up once its budget is spent, saying how long it tried and how many rounds', async () => {
    const time = fakeClock({ callMs: 7 });
    const fake = fakeClient({ interfere: Infinity, onCall: time.call });
    const failed = await mutateNamespace(fake.client, { namespace: 'n', change: addOneDay, newId, clock: time.clock }).then(
      () => assert.fail('expected it to give up'),
      (error: Error) => error,
    );
    const elapsed = time.now() - time.started;
    assert.ok(elapsed >= 30_000, `gave up after only ${elapsed} ms`);
    assert.ok(time.sleeps.reduce((a, b) => a + b, 0) <= 30_000, 'it never sleeps past its budget');
    assert.equal(failed.message, `the namespace kept changing under this update: gave up after ${(elapsed / 1000).toFixed(1)} s and ${fake.updates.length} rounds; try again`);
    assert.ok(fake.updates.length > 8);
  });

  it('takes a budget of its own', async () => {
    const time = fakeClock();
    const fake = fakeClient({ interfere: Infinity, onCall: time.call });
    await assert.rejects(mutateNamespace(fake.client, { namespace: 'n', change: addOneDay, newId, clock: time.clock, retry: { budgetMs: 100 } }), /gave up after 0\.1 s/);
    assert.ok(time.now() - time.started < 200);
  });

  it('backs off with full jitter under a ceiling that starts at 20 ms and doubles up to 1 s', async () => {
    assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 8, 60].map((round) => conflictBackoffMs(round, 0.99999)), [20, 40, 80, 160, 320, 640, 1000, 1000, 1000]);
    assert.equal(conflictBackoffMs(5, 0), 0);
    assert.equal(conflictBackoffMs(3, 0.5, { firstDelayMs: 100, maxDelayMs: 300 }), 150);
    const time = fakeClock({ random: 0.5 });
    await mutateNamespace(fakeClient({ interfere: 8, onCall: time.call }).client, { namespace: 'n', change: addOneDay, newId, clock: time.clock });
    assert.deepEqual(time.sleeps, [10, 20, 40, 80, 160, 320, 500, 500]);
  });

  it("reports the server's nothing to change as no change, and a change function's no-op without sending", async () => {
    const nothing = fakeClient({ answer: new CloudError('nothing to change', Status.INVALID_ARGUMENT, 'nothing to change') });
    assert.deepEqual((await mutateNamespace(nothing.client, { namespace: 'n', change: addOneDay, newId })).changed, false);
    const fake = fakeClient();
    const result = await mutateNamespace(fake.client, { namespace: 'n', change: () => ({ unchanged: 'already so' }), newId });
    assert.deepEqual([result.changed, fake.updates.length], [false, 0]);
  });
});

async function notCalled(): Promise<never> {
  throw new Error('not called by these tests');
}
describe('mutateResource', () => {
  const appendX = (current: IAccount) => ({
    spec: { metrics: { acceptedClientCa: Buffer.concat([Buffer.from(current.spec?.metrics?.acceptedClientCa ?? []), Buffer.from('x')]) } },
    summary: '+x',
  });

  it("retries the account's conflicts with the namespace's loop: the change is applied once, to the latest spec", async () => {
    const time = fakeClock();
    const fake = fakeClient({ interfere: 3, onCall: time.call });
    const rounds: number[] = [];
    const result = await mutateResource(accountResource(fake.client), { change: appendX, newId, clock: time.clock, onConflict: (round) => rounds.push(round) });
    assert.equal(result.changed, true);
    assert.deepEqual([fake.accountUpdates.length, fake.accountCa(), rounds], [4, 'x', [1, 2, 3]]);
    assert.deepEqual(time.sleeps, [10, 20, 40], 'the same backoff as for a namespace');
  });

  it("names the account and how to read it again when a pinned version is stale, and when it gives up", async () => {
    const pinned = fakeClient();
    await assert.rejects(
      mutateResource(accountResource(pinned.client), { change: appendX, newId, resourceVersion: 'a0', clock: fakeClock().clock }),
      { message: 'resource version a0 is stale: the account is now at a1 or later; read it again (tcld account get) or leave out --resource-version' },
    );
    const time = fakeClock();
    const busy = fakeClient({ interfere: Infinity, onCall: time.call });
    await assert.rejects(mutateResource(accountResource(busy.client), { change: appendX, newId, clock: time.clock, retry: { budgetMs: 100 } }), /the account kept changing under this update: gave up after 0\.1 s/);
  });
});
