/**
 * The CloudService methods the emulator implements, as plain functions from a decoded request to a
 * response (or a thrown ApiError). No gRPC here: server.ts adapts these to the wire.
 */
import type { IAsyncOperation, INamespaceSpec } from '../cloud/proto.js';
import type { RandomSource } from '../pki/random.js';
import { status } from '@grpc/grpc-js';
import { ApiError, clip, failedPrecondition, invalidArgument, notFound, alreadyExists } from './api-error.js';
import { canonicalSpecBytes } from './canonical.js';
import { encodeResponse, type CloudRequest, type CloudResponse, type EncodedResponse } from './cloud-handlers.js';
import { randomUuid } from './ids.js';
import { decodeStoredSpec, renderNamespace, type GatewayEndpoint } from './namespace-view.js';
import { findRepeatedOperation, newOperation, renderOperation, requestDigest, type OperationType } from './operations.js';
import { decodePageToken, encodePageToken, pageLimit } from './page-token.js';
import type { NamespaceRow, OperationRow, Store } from './store.js';
import { validateSpec, validateTags } from './validation.js';

/**
 * GetNamespaces stops a page before its namespaces' stored specs pass this many bytes (keeping at least
 * one), so that a page fits in gRPC's default 4 MiB receive limit, which tcld and the SDKs keep.
 */
const MAX_PAGE_BYTES = 3 * 1024 * 1024;
/** What a namespace adds to a response beside its spec: IDs, endpoints, times (a generous bound). */
const NAMESPACE_OVERHEAD_BYTES = 1024;

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
  /** Told of stored rows it cannot use (a damaged namespace GetNamespaces skips). Default: none. */
  log?: (line: string) => void;
  /** GetNamespaces' page budget in bytes of stored specs. Default 3 MiB. */
  maxPageBytes?: number;
}

/** What the helpers below read of a request that changes a namespace (CreateNamespace, UpdateNamespace, DeleteNamespace). */
interface ChangeRequest {
  namespace?: string | null;
  resourceVersion?: string | null;
  asyncOperationId?: string | null;
}

export type NamespaceService = ReturnType<typeof createNamespaceService>;

export function createNamespaceService(options: ServiceOptions) {
  const { store, account, asyncDelayMs, random, gateway } = options;
  const log = options.log ?? (() => {});
  const maxPageBytes = options.maxPageBytes ?? MAX_PAGE_BYTES;
  const nowMs = () => options.now().getTime();
  /** GetNamespace's encoded responses, per namespace, valid while the resource version and phase hold. */
  const cache = new Map<string, { resourceVersion: string; settled: boolean; finishMs: number; bytes: EncodedResponse<'GetNamespace'> }>();

  function repeatedOperation(request: ChangeRequest, type: OperationType, namespace: string, digest: string): OperationRow | undefined {
    return findRepeatedOperation(store, request.asyncOperationId, type, namespace, digest);
  }

  function startOperation(request: ChangeRequest, type: OperationType, namespace: string, now: number, digest: string): OperationRow {
    const id = request.asyncOperationId || randomUuid(random);
    const operation = newOperation(id, type, namespace, now, asyncDelayMs, digest);
    store.putOperation(operation);
    return operation;
  }

  /** A stored spec, or DATA_LOSS for this namespace alone when its row cannot be decoded. */
  function specOf(row: NamespaceRow): INamespaceSpec {
    const decoded = decodeStoredSpec(row);
    if (decoded.ok) return decoded.spec;
    log(`store: namespace ${row.id} is damaged: ${decoded.reason}`);
    throw new ApiError(status.DATA_LOSS, `namespace "${row.id}" is damaged in the database (${decoded.reason}): delete it with DeleteNamespace, or restore the database`);
  }

  function requireNamespace(request: ChangeRequest): NamespaceRow {
    const id = request.namespace;
    if (!id) throw invalidArgument('namespace is required');
    const row = store.namespace(id);
    if (!row) throw notFound(`namespace "${clip(id)}" not found`);
    return row;
  }

  /** An empty resource_version means "no check": the change applies to whatever version is current. */
  function checkVersion(request: ChangeRequest, row: NamespaceRow): void {
    const expected = request.resourceVersion;
    if (expected && expected !== row.resourceVersion) {
      throw failedPrecondition(
        `resource_version "${clip(expected)}" is stale: namespace "${row.id}" is at "${row.resourceVersion}"; get the namespace again and retry`,
      );
    }
  }

  /**
   * An update or delete of an existing namespace, in one transaction: a repeated async_operation_id
   * returns the first operation untouched (or is refused, for another request); then NOT_FOUND, then
   * a stale resource_version; then `change` makes the change and returns its operation.
   */
  function changeNamespace(
    request: ChangeRequest,
    type: OperationType,
    spec: Uint8Array | undefined,
    change: (row: NamespaceRow, now: number, digest: string) => OperationRow,
  ): { asyncOperation: IAsyncOperation } {
    const namespace = request.namespace ?? '';
    const digest = requestDigest(type, namespace, request.resourceVersion ?? '', spec);
    return store.transaction(() => {
      const repeated = repeatedOperation(request, type, namespace, digest);
      if (repeated) return { asyncOperation: renderOperation(repeated, nowMs()) };
      const row = requireNamespace(request);
      checkVersion(request, row);
      const now = nowMs();
      return { asyncOperation: renderOperation(change(row, now, digest), now) };
    });
  }

  /** The row after a change: a new spec, a fresh resource version, and the operation that made it. */
  function changedRow(row: Pick<NamespaceRow, 'id' | 'name' | 'createdMs' | 'tags'>, spec: Uint8Array, operation: OperationRow | undefined, now: number): NamespaceRow {
    return {
      id: row.id,
      name: row.name,
      createdMs: row.createdMs,
      tags: row.tags ?? {},
      spec,
      resourceVersion: randomUuid(random),
      asyncOperationId: operation?.id ?? '',
      operationType: operation?.type ?? '',
      operationFinishMs: operation?.finishMs ?? 0,
      modifiedMs: now,
    };
  }

  return {
    getNamespace(request: CloudRequest<'GetNamespace'>): EncodedResponse<'GetNamespace'> {
      const id = request.namespace;
      if (!id) throw invalidArgument('namespace is required');
      const version = store.resourceVersion(id);
      if (version === undefined) throw notFound(`namespace "${clip(id)}" not found`);
      const now = nowMs();
      const cached = cache.get(id);
      if (cached && cached.resourceVersion === version && (now >= cached.finishMs) === cached.settled) return cached.bytes;
      const row = requireNamespace(request);
      const bytes = encodeResponse('GetNamespace', { namespace: renderNamespace(row, specOf(row), now, gateway) });
      cache.set(id, { resourceVersion: row.resourceVersion, settled: now >= row.operationFinishMs, finishMs: row.operationFinishMs, bytes });
      return bytes;
    },

    getNamespaces(request: CloudRequest<'GetNamespaces'>): CloudResponse<'GetNamespaces'> {
      const limit = pageLimit(request.pageSize);
      const afterId = decodePageToken(request.pageToken ?? '');
      const rows = store.namespaces({ afterId, name: request.name ?? '', limit: limit + 1 });
      const page: NamespaceRow[] = [];
      let bytes = 0;
      for (const row of rows.slice(0, limit)) {
        bytes += (row.spec.byteLength || 0) + NAMESPACE_OVERHEAD_BYTES;
        if (page.length > 0 && bytes > maxPageBytes) break;
        page.push(row);
      }
      const now = nowMs();
      const namespaces = [];
      // A damaged row is left out of the page (and logged), so that the other namespaces stay listable.
      for (const row of page) {
        const decoded = decodeStoredSpec(row);
        if (decoded.ok) namespaces.push(renderNamespace(row, decoded.spec, now, gateway));
        else log(`store: GetNamespaces skipped namespace ${row.id}, which is damaged: ${decoded.reason}`);
      }
      return { namespaces, nextPageToken: rows.length > page.length ? encodePageToken(page[page.length - 1]!.id) : '' };
    },

    createNamespace(request: CloudRequest<'CreateNamespace'>): CloudResponse<'CreateNamespace'> {
      const spec = request.spec;
      const bytes = canonicalSpecBytes(spec ?? {});
      const id = spec?.name ? `${spec.name}.${account}` : '';
      const tags = tagsOf(request);
      // The tags are part of what the request asks for: the same ID with other tags is another request.
      const tagged = Object.keys(tags).length === 0 ? '' : JSON.stringify(Object.entries(tags).sort());
      const digest = requestDigest('create-namespace', id, tagged, bytes);
      return store.transaction((): CloudResponse<'CreateNamespace'> => {
        const repeated = repeatedOperation(request, 'create-namespace', id, digest);
        if (repeated) return { namespace: repeated.namespace, asyncOperation: renderOperation(repeated, nowMs()) };
        const now = nowMs();
        validateSpec(spec, { now: new Date(now) });
        validateTags(tags);
        if (store.resourceVersion(id) !== undefined) throw alreadyExists(`namespace "${clip(id)}" already exists`);
        const operation = startOperation(request, 'create-namespace', id, now, digest);
        store.putNamespace(changedRow({ id, name: spec.name!, createdMs: now, tags }, bytes, operation, now));
        return { namespace: id, asyncOperation: renderOperation(operation, now) };
      });
    },

    updateNamespace(request: CloudRequest<'UpdateNamespace'>): CloudResponse<'UpdateNamespace'> {
      const spec = request.spec;
      const bytes = spec ? canonicalSpecBytes(spec) : undefined;
      return changeNamespace(request, 'update-namespace', bytes, (row, now, digest) => {
        if (!spec || !bytes) throw invalidArgument('spec is required');
        const current = specOf(row);
        if (Buffer.compare(bytes, row.spec) === 0) throw invalidArgument('nothing to change');
        validateSpec(spec, { now: new Date(now), current });
        const operation = startOperation(request, 'update-namespace', row.id, now, digest);
        store.putNamespace(changedRow(row, bytes, operation, now));
        return operation;
      });
    },

    deleteNamespace(request: CloudRequest<'DeleteNamespace'>): CloudResponse<'DeleteNamespace'> {
      return changeNamespace(request, 'delete-namespace', undefined, (row, now, digest) => {
        // A damaged namespace can be deleted: its protection cannot be read, and deleting is how it is cleared.
        const decoded = decodeStoredSpec(row);
        if (decoded.ok && decoded.spec.lifecycle?.enableDeleteProtection) {
          throw failedPrecondition(
            `namespace "${row.id}" has delete protection enabled (spec.lifecycle.enable_delete_protection): turn it off first, e.g. tcld namespace lifecycle set -n ${row.id} --enable-delete-protection false`,
          );
        }
        const operation = startOperation(request, 'delete-namespace', row.id, now, digest);
        store.deleteNamespace(row.id);
        cache.delete(row.id);
        return operation;
      });
    },

    getAsyncOperation(request: CloudRequest<'GetAsyncOperation'>): CloudResponse<'GetAsyncOperation'> {
      const id = request.asyncOperationId;
      if (!id) throw invalidArgument('async_operation_id is required');
      const operation = store.operation(id);
      if (!operation) throw notFound(`async operation "${clip(id)}" not found`);
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

/** CreateNamespace's tags, copied into a plain object (protobufjs decodes a map as one with no prototype). */
function tagsOf(request: CloudRequest<'CreateNamespace'>): Record<string, string> {
  return Object.fromEntries(Object.entries(request.tags ?? {}));
}
