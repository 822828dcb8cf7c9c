/**
 * The CloudService API key methods (CreateApiKey, GetApiKey, GetApiKeys, UpdateApiKey, DeleteApiKey)
 * as plain functions from a decoded request to a response, like the namespace service: each change in
 * one transaction with an async operation, resource versions, and operation IDs honoured as there.
 * A change takes effect at once (the next call with a disabled or deleted key is refused); its
 * operation reports pending for the emulator's async delay, as a namespace's does.
 */
import type { IAsyncOperation } from '../../cloud/proto.js';
import type { RandomSource } from '../../pki/random.js';
import { clip, failedPrecondition, invalidArgument, notFound } from '../api-error.js';
import type { CloudRequest, CloudResponse } from '../cloud-handlers.js';
import { randomHexId, randomUuid } from '../ids.js';
import { findRepeatedOperation, newOperation, renderOperation, requestDigest, type OperationType } from '../operations.js';
import { decodePageToken, encodePageToken, pageLimit } from '../page-token.js';
import type { OperationRow, Store } from '../store.js';
import { isSameSpec, readCreateSpec, readUpdateSpec, specBytes, type ApiKeySpecValues } from './api-key-spec.js';
import type { ApiKeyRow, IdentityStore } from './identity-store.js';
import { ownerKindOf, renderApiKey } from './identity-view.js';
import { digestSecret, newSecret } from './secrets.js';

export interface ApiKeyServiceOptions {
  store: Store;
  identity: IdentityStore;
  /** How long an async operation stays pending. */
  asyncDelayMs: number;
  now(): Date;
  random: RandomSource;
}

/** What the helpers below read of a request that changes a key (CreateApiKey, UpdateApiKey, DeleteApiKey, and GetApiKey's key_id). */
interface KeyRequest {
  keyId?: string | null;
  resourceVersion?: string | null;
  asyncOperationId?: string | null;
}

export type ApiKeyService = ReturnType<typeof createApiKeyService>;

export function createApiKeyService(options: ApiKeyServiceOptions) {
  const { store, identity, asyncDelayMs, random } = options;
  const nowMs = () => options.now().getTime();

  function startOperation(request: KeyRequest, type: OperationType, keyId: string, now: number, digest: string): OperationRow {
    const id = request.asyncOperationId || randomUuid(random);
    const operation = newOperation(id, type, keyId, now, asyncDelayMs, digest);
    store.putOperation(operation);
    return operation;
  }

  function requireKey(request: KeyRequest): ApiKeyRow {
    const id = request.keyId;
    if (!id) throw invalidArgument('key_id is required');
    const row = identity.apiKey(id);
    if (!row) throw notFound(`API key "${clip(id)}" not found`);
    return row;
  }

  /** An empty resource_version means "no check", as for namespaces. */
  function checkVersion(request: KeyRequest, row: ApiKeyRow): void {
    const expected = request.resourceVersion;
    if (expected && expected !== row.resourceVersion) {
      throw failedPrecondition(`resource_version "${clip(expected)}" is stale: API key "${row.id}" is at "${row.resourceVersion}"; get the key again and retry`);
    }
  }

  /** NOT_FOUND unless the owner exists: the account's users; the dev-server has no service accounts. */
  function checkOwner(values: ApiKeySpecValues): void {
    if (values.ownerType === 'service-account') {
      throw notFound(`service account "${clip(values.ownerId)}" not found: tcld dev-server has no service accounts; own the key as a user (GetCurrentIdentity names yours)`);
    }
    if (!identity.user(values.ownerId)) throw notFound(`user "${clip(values.ownerId)}" not found: GetUsers lists the account's users`);
  }

  /** The key after a change: new spec values, a fresh resource version, and the operation that made it. */
  function changedRow(row: Pick<ApiKeyRow, 'id' | 'secretDigest' | 'createdMs'>, values: ApiKeySpecValues, operation: OperationRow, now: number): ApiKeyRow {
    return {
      ...row,
      ...values,
      resourceVersion: randomUuid(random),
      asyncOperationId: operation.id,
      operationType: operation.type,
      operationFinishMs: operation.finishMs,
      modifiedMs: now,
    };
  }

  /**
   * An update or delete of an existing key, in one transaction: a retry first, then NOT_FOUND, then a
   * stale resource_version; then `change` makes the change and returns its operation.
   */
  function changeKey(
    request: KeyRequest,
    type: OperationType,
    bytes: Uint8Array | undefined,
    change: (row: ApiKeyRow, now: number, digest: string) => OperationRow,
  ): { asyncOperation: IAsyncOperation } {
    const keyId = request.keyId ?? '';
    const digest = requestDigest(type, keyId, request.resourceVersion ?? '', bytes);
    return store.transaction(() => {
      const repeated = findRepeatedOperation(store, request.asyncOperationId, type, keyId, digest);
      if (repeated) return { asyncOperation: renderOperation(repeated, nowMs()) };
      const row = requireKey(request);
      checkVersion(request, row);
      const now = nowMs();
      return { asyncOperation: renderOperation(change(row, now, digest), now) };
    });
  }

  return {
    /**
     * Makes a key and returns its secret, the only time it is ever sent (the database keeps a digest).
     * A retry with the same async_operation_id returns the first key's ID and operation, with no token:
     * the secret cannot be shown again.
     */
    createApiKey(request: CloudRequest<'CreateApiKey'>): CloudResponse<'CreateApiKey'> {
      const spec = request.spec;
      const digest = requestDigest('create-api-key', '', '', specBytes(spec));
      return store.transaction((): CloudResponse<'CreateApiKey'> => {
        const now = nowMs();
        const repeated = findRepeatedOperation(store, request.asyncOperationId, 'create-api-key', '', digest);
        if (repeated) return { keyId: repeated.namespace, token: '', asyncOperation: renderOperation(repeated, now) };
        const values = readCreateSpec(spec, now);
        checkOwner(values);
        const id = randomHexId(random);
        const token = newSecret('api-key', random);
        const operation = startOperation(request, 'create-api-key', id, now, digest);
        identity.putApiKey(changedRow({ id, secretDigest: digestSecret(token), createdMs: now }, values, operation, now));
        return { keyId: id, token, asyncOperation: renderOperation(operation, now) };
      });
    },

    getApiKey(request: CloudRequest<'GetApiKey'>): CloudResponse<'GetApiKey'> {
      return { apiKey: renderApiKey(requireKey(request), nowMs()) };
    },

    getApiKeys(request: CloudRequest<'GetApiKeys'>): CloudResponse<'GetApiKeys'> {
      const limit = pageLimit(request.pageSize);
      const afterId = decodePageToken(request.pageToken ?? '');
      const ownerType = ownerKindOf(request);
      if (ownerType === 'unknown' || ownerType === 'conflict') throw invalidArgument('owner_type must be OWNER_TYPE_USER or OWNER_TYPE_SERVICE_ACCOUNT, or left unset for both');
      const rows = identity.apiKeys({
        afterId,
        ownerId: request.ownerId ?? '',
        ownerType: ownerType === 'unspecified' ? '' : ownerType,
        limit: limit + 1,
      });
      const page = rows.slice(0, limit);
      const now = nowMs();
      return {
        apiKeys: page.map((row) => renderApiKey(row, now)),
        nextPageToken: rows.length > page.length ? encodePageToken(page[page.length - 1]!.id) : '',
      };
    },

    /** A full replacement of the key's spec, guarded by resource_version; the owner cannot change. */
    updateApiKey(request: CloudRequest<'UpdateApiKey'>): CloudResponse<'UpdateApiKey'> {
      const spec = request.spec;
      return changeKey(request, 'update-api-key', specBytes(spec), (row, now, digest) => {
        const values = readUpdateSpec(spec, row, now);
        if (isSameSpec(values, row)) throw invalidArgument('nothing to change');
        const operation = startOperation(request, 'update-api-key', row.id, now, digest);
        identity.putApiKey(changedRow(row, values, operation, now));
        return operation;
      });
    },

    /** Deletes the key at once: the next call with its secret is refused, and GetApiKey answers NOT_FOUND. */
    deleteApiKey(request: CloudRequest<'DeleteApiKey'>): CloudResponse<'DeleteApiKey'> {
      return changeKey(request, 'delete-api-key', undefined, (row, now, digest) => {
        const operation = startOperation(request, 'delete-api-key', row.id, now, digest);
        identity.deleteApiKey(row.id);
        return operation;
      });
    },
  };
}
