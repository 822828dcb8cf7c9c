/** An in-memory Cloud Ops API for the apikey commands' tests: keys, the caller's identity, and operations. */
import type { CloudClient, CurrentIdentity } from '../../cloud/client.js';
import { CloudError, Status } from '../../cloud/errors.js';
import type { IApiKey } from '../../cloud/proto.js';
import { NO_NAMESPACES } from '../../cloud/test-support.js';
import type { Deps } from '../deps.js';
import { protoTime } from '../namespace/fake-cloud.js';
import { fakeDeps } from '../test-support.js';

export function fakeKeys(keys: IApiKey[] = [], identity: CurrentIdentity = { user: { id: 'user-1' } }) {
  const held = new Map(keys.map((key) => [String(key.id), { ...key }]));
  const calls: Array<{ method: string; request: unknown }> = [];
  let created = 0;
  const missing = (id: string) => new CloudError(`apikey ${id} not found at fake`, Status.NOT_FOUND, 'not found');
  const client: CloudClient = {
    server: 'fake',
    ...NO_NAMESPACES,
    async getCurrentIdentity() {
      calls.push({ method: 'GetCurrentIdentity', request: {} });
      return identity;
    },
    async createApiKey(request) {
      calls.push({ method: 'CreateApiKey', request });
      const keyId = `key-${++created}`;
      held.set(keyId, { id: keyId, spec: request.spec, resourceVersion: 'v1', state: 1, asyncOperationId: request.asyncOperationId });
      return { keyId, token: `tmprl_secret_${created}_abcdef`, asyncOperation: { id: request.asyncOperationId, state: 1, operationType: 'create-api-key', startedTime: protoTime(1_714_557_600) } };
    },
    async getApiKey(keyId) {
      calls.push({ method: 'GetApiKey', request: { keyId } });
      const key = held.get(keyId);
      if (!key) throw missing(keyId);
      return key;
    },
    async getApiKeys(filter) {
      calls.push({ method: 'GetApiKeys', request: filter });
      return [...held.values()].filter((key) => (!filter.ownerId || key.spec?.ownerId === filter.ownerId) && (!filter.ownerType || key.spec?.ownerType === filter.ownerType));
    },
    async updateApiKey(request) {
      calls.push({ method: 'UpdateApiKey', request });
      const key = held.get(request.keyId);
      if (!key) throw missing(request.keyId);
      if (key.resourceVersion !== request.resourceVersion) throw new CloudError('stale resource version', Status.FAILED_PRECONDITION, 'stale');
      held.set(request.keyId, { ...key, spec: request.spec, resourceVersion: `${key.resourceVersion}+` });
      return { id: request.asyncOperationId, state: 1, operationType: 'update-api-key' };
    },
    async deleteApiKey(request) {
      calls.push({ method: 'DeleteApiKey', request });
      if (!held.delete(request.keyId)) throw missing(request.keyId);
      return { id: request.asyncOperationId, state: 1, operationType: 'delete-api-key' };
    },
    async getAsyncOperation(id) {
      calls.push({ method: 'GetAsyncOperation', request: { id } });
      return { id, state: 5, operationType: 'update-api-key', startedTime: protoTime(1_714_557_600), finishedTime: protoTime(1_714_557_601) };
    },
    close() {},
  };
  return { client, calls, held };
}

/** fakeDeps whose Cloud Ops API is `client`, counting the connections made. */
export function depsWithKeys(client: CloudClient) {
  const faked = fakeDeps();
  let connections = 0;
  const deps: Deps = {
    ...faked.deps,
    cloud: async () => {
      connections++;
      return client;
    },
  };
  return { ...faked, deps, connections: () => connections };
}
