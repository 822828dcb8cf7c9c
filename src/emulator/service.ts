/**
 * The CloudService methods the emulator implements, as plain functions from a decoded request to a
 * response (or a thrown ApiError). No gRPC here: server.ts adapts these to the wire.
 */
import type { INamespaceSpec } from '../cloud/proto.js';
import type { RandomSource } from '../pki/random.js';
import { failedPrecondition, invalidArgument, notFound, alreadyExists } from './api-error.js';
import { canonicalSpecBytes } from './canonical.js';
import { randomUuid } from './ids.js';
import { messages } from './messages.js';
import { renderNamespace, type GatewayEndpoint } from './namespace-view.js';
import { newOperation, renderOperation, type OperationType } from './operations.js';
import type { NamespaceRow, OperationRow, Store } from './store.js';
import { validateSpec } from './validation.js';

/** GetNamespaces' page size when the request gives none, and the most it returns at once. */
const DEFAULT_PAGE_SIZE = 100;
const MAX_PAGE_SIZE = 1000;

export interface ServiceOptions {
  store: Store;
  /** The account ID: CreateNamespace with spec.name N creates `N.<account>`. */
  account: string;
  /** How long an async operation stays pending. */
  asyncDelayMs: number;
  now(): Date;
  random: RandomSource;
  /** Where namespaces' endpoints point (the mTLS gateway). Default: `<id>.tmprl.local:7233`. */
  gateway?: GatewayEndpoint;
}

/** A response already encoded, sent as it is (GetNamespace answers from a cache of these). */
export type Encoded = Uint8Array;

type Request = Record<string, unknown>;

export type NamespaceService = ReturnType<typeof createNamespaceService>;

export function createNamespaceService(options: ServiceOptions) {
  const { store, account, asyncDelayMs, random, gateway } = options;
  const nowMs = () => options.now().getTime();
  /** GetNamespace's encoded responses, per namespace, valid while the resource version and phase hold. */
  const cache = new Map<string, { resourceVersion: string; settled: boolean; finishMs: number; bytes: Encoded }>();

  /** The operation a repeated async_operation_id names: an idempotency key, whatever the rest of the request says. */
  function existingOperation(request: Request): OperationRow | undefined {
    const id = request['asyncOperationId'] as string | undefined;
    return id ? store.operation(id) : undefined;
  }

  function startOperation(request: Request, type: OperationType, namespace: string, now: number): OperationRow {
    const id = (request['asyncOperationId'] as string | undefined) || randomUuid(random);
    const operation = newOperation(id, type, namespace, now, asyncDelayMs);
    store.putOperation(operation);
    return operation;
  }

  function requireNamespace(request: Request): NamespaceRow {
    const id = request['namespace'] as string | undefined;
    if (!id) throw invalidArgument('namespace is required');
    const row = store.namespace(id);
    if (!row) throw notFound(`namespace "${id}" not found`);
    return row;
  }

  /** An empty resource_version means "no check": the change applies to whatever version is current. */
  function checkVersion(request: Request, row: NamespaceRow): void {
    const expected = request['resourceVersion'] as string | undefined;
    if (expected && expected !== row.resourceVersion) {
      throw failedPrecondition(
        `resource_version "${expected}" is stale: namespace "${row.id}" is at "${row.resourceVersion}"; get the namespace again and retry`,
      );
    }
  }

  /** The row after a change: a new spec, a fresh resource version, and the operation that made it. */
  /**
   * An update or delete of an existing namespace, in one transaction: a repeated async_operation_id
   * returns the first operation untouched; then NOT_FOUND, then a stale resource_version.
   */
  function changeNamespace(request: Request, change: (row: NamespaceRow, now: number) => { asyncOperation: unknown }) {
    return store.transaction(() => {
      const repeated = existingOperation(request);
      if (repeated) return { asyncOperation: renderOperation(repeated, nowMs()) };
      const row = requireNamespace(request);
      checkVersion(request, row);
      return change(row, nowMs());
    });
  }

  function changedRow(row: Pick<NamespaceRow, 'id' | 'name' | 'createdMs'>, spec: Uint8Array, operation: OperationRow | undefined, now: number): NamespaceRow {
    return {
      id: row.id,
      name: row.name,
      createdMs: row.createdMs,
      spec,
      resourceVersion: randomUuid(random),
      asyncOperationId: operation?.id ?? '',
      operationType: operation?.type ?? '',
      operationFinishMs: operation?.finishMs ?? 0,
      modifiedMs: now,
    };
  }

  return {
    getNamespace(request: Request): Encoded {
      const id = request['namespace'] as string | undefined;
      if (!id) throw invalidArgument('namespace is required');
      const version = store.resourceVersion(id);
      if (version === undefined) throw notFound(`namespace "${id}" not found`);
      const now = nowMs();
      const cached = cache.get(id);
      if (cached && cached.resourceVersion === version && (now >= cached.finishMs) === cached.settled) return cached.bytes;
      const row = requireNamespace(request);
      const bytes = messages().GetNamespaceResponse.encode({ namespace: renderNamespace(row, now, gateway) }).finish();
      cache.set(id, { resourceVersion: row.resourceVersion, settled: now >= row.operationFinishMs, finishMs: row.operationFinishMs, bytes });
      return bytes;
    },

    getNamespaces(request: Request) {
      const pageSize = (request['pageSize'] as number | undefined) ?? 0;
      if (pageSize < 0) throw invalidArgument(`page_size must not be negative (got ${pageSize})`);
      const limit = Math.min(pageSize || DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
      const afterId = decodePageToken((request['pageToken'] as string | undefined) ?? '');
      const rows = store.namespaces({ afterId, name: (request['name'] as string | undefined) ?? '', limit: limit + 1 });
      const page = rows.slice(0, limit);
      const now = nowMs();
      return {
        namespaces: page.map((row) => renderNamespace(row, now, gateway)),
        nextPageToken: rows.length > limit ? encodePageToken(page[page.length - 1]!.id) : '',
      };
    },

    createNamespace(request: Request) {
      return store.transaction(() => {
        const repeated = existingOperation(request);
        if (repeated) return { namespace: repeated.namespace, asyncOperation: renderOperation(repeated, nowMs()) };
        const now = nowMs();
        const spec = request['spec'] as INamespaceSpec | null | undefined;
        validateSpec(spec, { now: new Date(now) });
        const id = `${spec.name}.${account}`;
        if (store.resourceVersion(id) !== undefined) throw alreadyExists(`namespace "${id}" already exists`);
        const operation = startOperation(request, 'create-namespace', id, now);
        store.putNamespace(changedRow({ id, name: spec.name!, createdMs: now }, canonicalSpecBytes(spec), operation, now));
        return { namespace: id, asyncOperation: renderOperation(operation, now) };
      });
    },

    updateNamespace(request: Request) {
      return changeNamespace(request, (row, now) => {
        const spec = request['spec'] as INamespaceSpec | null | undefined;
        if (!spec) throw invalidArgument('spec is required');
        const bytes = canonicalSpecBytes(spec);
        if (Buffer.compare(bytes, row.spec) === 0) throw invalidArgument('nothing to change');
        const current = messages().NamespaceSpec.decode(row.spec) as INamespaceSpec;
        validateSpec(spec, { now: new Date(now), current });
        const operation = startOperation(request, 'update-namespace', row.id, now);
        store.putNamespace(changedRow(row, bytes, operation, now));
        return { asyncOperation: renderOperation(operation, now) };
      });
    },

    deleteNamespace(request: Request) {
      return changeNamespace(request, (row, now) => {
        const operation = startOperation(request, 'delete-namespace', row.id, now);
        store.deleteNamespace(row.id);
        cache.delete(row.id);
        return { asyncOperation: renderOperation(operation, now) };
      });
    },

    getAsyncOperation(request: Request) {
      const id = request['asyncOperationId'] as string | undefined;
      if (!id) throw invalidArgument('async_operation_id is required');
      const operation = store.operation(id);
      if (!operation) throw notFound(`async operation "${id}" not found`);
      return { asyncOperation: renderOperation(operation, nowMs()) };
    },

    /**
     * Creates the namespace `id` exactly as given (e.g. `myns.acct`) unless it exists: mTLS enabled
     * with an empty CA bundle, as a new namespace starts. Returns whether it was created.
     */
    seedNamespace(id: string): boolean {
      return store.transaction(() => {
        if (store.resourceVersion(id) !== undefined) return false;
        const name = id.split('.')[0]!;
        const spec: INamespaceSpec = { name, regions: ['local'], retentionDays: 30, mtlsAuth: { enabled: true } };
        const now = nowMs();
        store.putNamespace(changedRow({ id, name, createdMs: now }, canonicalSpecBytes(spec), undefined, now));
        return true;
      });
    },
  };
}

/** Page tokens are opaque to clients: the last namespace ID of the previous page, base64url. */
function encodePageToken(lastId: string): string {
  return Buffer.from(lastId, 'utf8').toString('base64url');
}

function decodePageToken(token: string): string {
  if (token === '') return '';
  const id = Buffer.from(token, 'base64url').toString('utf8');
  if (encodePageToken(id) !== token) throw invalidArgument('invalid page_token: pass the next_page_token of a previous response');
  return id;
}
