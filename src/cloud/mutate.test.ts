import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { CloudClient, UpdateNamespaceRequest } from './client.js';
import { CloudError, Status } from './errors.js';
import { mutateNamespace } from './mutate.js';
import type { INamespace } from './proto.js';

/** A namespace held in memory whose version moves on each write; `interfere` writes in between, like another user. */
function fakeClient(options: { interfere?: number; answer?: CloudError } = {}) {
  let version = 1;
  let retention = 30;
  let interfere = options.interfere ?? 0;
  const updates: UpdateNamespaceRequest[] = [];
  const client: CloudClient = {
    server: 'fake',
    async getNamespaces() {
      return [];
    },
    async getNamespacesPage() {
      return { namespaces: [], nextPageToken: '' };
    },
    async getNamespace(namespace) {
      const current: INamespace = { namespace, resourceVersion: `v${version}`, spec: { retentionDays: retention } };
      if (interfere-- > 0) version++; // someone else writes right after our read
      return current;
    },
    async updateNamespace(request) {
      updates.push(request);
      if (options.answer) throw options.answer;
      if (request.resourceVersion !== `v${version}`) throw new CloudError('stale', Status.FAILED_PRECONDITION, 'stale');
      version++;
      retention = Number(request.spec.retentionDays);
      return { id: request.asyncOperationId, state: 1 };
    },
    async getAsyncOperation() {
      return {};
    },
    close() {},
  };
  return { client, updates, retention: () => retention };
}

const addOneDay = (current: INamespace) => ({ spec: { retentionDays: Number(current.spec?.retentionDays) + 1 }, summary: '+1 day' });
let ids = 0;
const newId = () => `id-${++ids}`;

describe('mutateNamespace', () => {
  it('re-reads and re-applies the change after a conflict, so the change is applied once to the latest spec', async () => {
    const fake = fakeClient({ interfere: 2 });
    const result = await mutateNamespace(fake.client, { namespace: 'n', change: addOneDay, newId });
    assert.equal(result.changed, true);
    assert.equal(fake.updates.length, 3);
    assert.equal(fake.retention(), 31);
    assert.equal(new Set(fake.updates.map((u) => u.asyncOperationId)).size, 3, 'each round is a new request');
  });

  it('keeps the user request id in every round', async () => {
    const fake = fakeClient({ interfere: 1 });
    await mutateNamespace(fake.client, { namespace: 'n', change: addOneDay, newId, requestId: 'mine' });
    assert.deepEqual(fake.updates.map((u) => u.asyncOperationId), ['mine', 'mine']);
  });

  it('does not retry a pinned resource version: the conflict is the user\'s to resolve', async () => {
    const fake = fakeClient();
    await assert.rejects(mutateNamespace(fake.client, { namespace: 'n', change: addOneDay, newId, resourceVersion: 'v0' }), /resource version v0 is stale/);
    assert.equal(fake.updates.length, 1);
  });

  it('gives up after its rounds when the namespace keeps changing', async () => {
    const fake = fakeClient({ interfere: 100 });
    await assert.rejects(mutateNamespace(fake.client, { namespace: 'n', change: addOneDay, newId, maxRounds: 3 }), /kept changing under this update \(3 tries\)/);
  });

  it("reports the server's nothing to change as no change, and a change function's no-op without sending", async () => {
    const nothing = fakeClient({ answer: new CloudError('nothing to change', Status.INVALID_ARGUMENT, 'nothing to change') });
    assert.deepEqual((await mutateNamespace(nothing.client, { namespace: 'n', change: addOneDay, newId })).changed, false);
    const fake = fakeClient();
    const result = await mutateNamespace(fake.client, { namespace: 'n', change: () => ({ unchanged: 'already so' }), newId });
    assert.deepEqual([result.changed, fake.updates.length], [false, 0]);
  });
});
