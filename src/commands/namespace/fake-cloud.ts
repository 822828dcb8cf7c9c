/** An in-memory Cloud Ops API for the namespace commands' tests: namespaces, pages, updates and operations. */
import type { CloudClient, CreateNamespaceRequest, DeleteNamespaceRequest, UpdateAccountRequest, UpdateNamespaceRequest } from '../../cloud/client.js';
import { CloudError, Status } from '../../cloud/errors.js';
import type { IAccount, IAsyncOperation, INamespace } from '../../cloud/proto.js';
import type { Deps } from '../deps.js';
import { fakeDeps } from '../test-support.js';
import { NO_API_KEYS } from '../../cloud/test-support.js';

/** A google.protobuf.Timestamp or Duration as the client decodes one (its seconds typed as a Long). */
export function protoTime(seconds: number, nanos = 0): NonNullable<IAsyncOperation['startedTime']> {
  return { seconds, nanos } as unknown as NonNullable<IAsyncOperation['startedTime']>;
}

const STARTED = 1_714_557_600; // 2024-05-01T10:00:00Z

/** `account`: the account GetAccount answers with (default: `acct`, version a1, no metrics CA). */
export function fakeCloud(namespaces: INamespace[], account: IAccount = { id: 'acct', resourceVersion: 'a1', spec: {} }) {
  const held = new Map(namespaces.map((n) => [String(n.namespace), { ...n, resourceVersion: n.resourceVersion ?? 'v1' }]));
  let heldAccount = structuredClone(account);
  const updates: UpdateNamespaceRequest[] = [];
  const creates: CreateNamespaceRequest[] = [];
  const deletes: DeleteNamespaceRequest[] = [];
  const accountUpdates: UpdateAccountRequest[] = [];
  const pageRequests: Array<{ pageSize?: number; pageToken?: string }> = [];
  const client: CloudClient = {
    server: 'fake',
    ...NO_API_KEYS,
    async getNamespaces() {
      return [...held.values()];
    },
    async getNamespacesPage(request) {
      pageRequests.push(request);
      const all = [...held.values()];
      const start = Number(request.pageToken || 0);
      const size = request.pageSize || 100;
      const end = Math.min(start + size, all.length);
      return { namespaces: all.slice(start, end), nextPageToken: end < all.length ? String(end) : '' };
    },
    async getNamespace(namespace) {
      const found = held.get(namespace);
      if (!found) throw new CloudError(`namespace ${namespace} not found at fake`, Status.NOT_FOUND, 'not found');
      return structuredClone(found);
    },
    async updateNamespace(request) {
      const current = held.get(request.namespace)!;
      if (request.resourceVersion !== current.resourceVersion) throw new CloudError('stale', Status.FAILED_PRECONDITION, 'stale');
      updates.push(request);
      held.set(request.namespace, { ...current, spec: request.spec, resourceVersion: `v${updates.length + 1}` });
      return { id: request.asyncOperationId, state: 1, operationType: 'update-namespace', startedTime: protoTime(STARTED), checkDuration: protoTime(0, 150_000_000) };
    },
    async createNamespace(request) {
      const id = `${request.spec.name}.acct`;
      if (held.has(id)) throw new CloudError(`namespace "${id}" already exists`, Status.ALREADY_EXISTS, `namespace "${id}" already exists`);
      creates.push(request);
      held.set(id, { namespace: id, spec: request.spec, resourceVersion: 'v1', tags: request.tags ?? {}, endpoints: { mtlsGrpcAddress: `${id}.tmprl.local:7233`, grpcAddress: `${id}.tmprl.local:7233` } });
      return { namespace: id, operation: { id: request.asyncOperationId, state: 1, operationType: 'create-namespace', startedTime: protoTime(STARTED) } };
    },
    async deleteNamespace(request) {
      deletes.push(request);
      held.delete(request.namespace);
      return { id: request.asyncOperationId, state: 1, operationType: 'delete-namespace', startedTime: protoTime(STARTED) };
    },
    async getAccount() {
      return structuredClone(heldAccount);
    },
    async updateAccount(request) {
      if (request.resourceVersion !== heldAccount.resourceVersion) throw new CloudError('stale', Status.FAILED_PRECONDITION, 'stale');
      accountUpdates.push(request);
      heldAccount = { ...heldAccount, spec: request.spec, resourceVersion: `a${accountUpdates.length + 1}` };
      return { id: request.asyncOperationId, state: 1, operationType: 'update-account', startedTime: protoTime(STARTED), checkDuration: protoTime(0, 150_000_000) };
    },
    async getAsyncOperation(id): Promise<IAsyncOperation> {
      return { id, state: 5, operationType: 'update-namespace', startedTime: protoTime(STARTED), finishedTime: protoTime(STARTED + 1, 250_000_000) };
    },
    close() {},
  };
  return { client, updates, creates, deletes, accountUpdates, pageRequests, namespace: (name: string) => held.get(name)!, account: () => heldAccount };
}

/** fakeDeps whose Cloud Ops API is `cloud`, answering prompts from `answers` (none: every question is declined). */
export function depsWithCloud(cloud: CloudClient, options: Parameters<typeof fakeDeps>[0] = {}): ReturnType<typeof fakeDeps> {
  const faked = fakeDeps(options);
  const deps: Deps = { ...faked.deps, cloud: async () => cloud };
  return { ...faked, deps };
}
