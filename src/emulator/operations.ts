/**
 * Async operations: every mutation returns one. An operation is pending until its start plus the
 * emulator's async delay, then fulfilled; the state is computed when read, so no timers run.
 */
import { createHash } from 'node:crypto';
import type { IAsyncOperation } from '../cloud/proto.js';
import { duration, messages, timestamp } from './messages.js';
import { alreadyExists, clip } from './api-error.js';
import type { OperationRow, Store } from './store.js';

export type OperationType = 'create-namespace' | 'update-namespace' | 'delete-namespace' | 'create-api-key' | 'update-api-key' | 'delete-api-key' | 'update-account';

export function newOperation(id: string, type: OperationType, namespace: string, nowMs: number, delayMs: number, requestDigest: string): OperationRow {
  return { id, type, namespace, startedMs: nowMs, finishMs: nowMs + delayMs, requestDigest };
}

/**
 * What makes two requests with one async_operation_id "the same": the method, the namespace, the
 * resource_version and the spec (canonical bytes), each length-prefixed, as a SHA-256 digest.
 */
export function requestDigest(type: OperationType, namespace: string, resourceVersion: string, spec: Uint8Array = new Uint8Array()): string {
  const hash = createHash('sha256');
  for (const part of [Buffer.from(type), Buffer.from(namespace), Buffer.from(resourceVersion), spec]) {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(part.byteLength);
    hash.update(length).update(part);
  }
  return hash.digest('base64url');
}

/**
 * Whether `first`, the operation an async_operation_id names, was started by the request that
 * `digest` describes: one recorded before digests were kept counts when its method and namespace match.
 */
export function isSameRequest(first: OperationRow, type: OperationType, namespace: string, digest: string): boolean {
  return first.requestDigest === '' ? first.type === type && first.namespace === namespace : first.requestDigest === digest;
}

/**
 * The operation a repeated async_operation_id names, when this request (`type` of `resource`, as
 * `digest` describes it) is the one that started it (a retry); ALREADY_EXISTS when another request
 * did: an ID names one change, never two. Undefined for no ID or a new one.
 */
export function findRepeatedOperation(store: Store, id: string | null | undefined, type: OperationType, resource: string, digest: string): OperationRow | undefined {
  const first = id ? store.operation(id) : undefined;
  if (!first || isSameRequest(first, type, resource, digest)) return first;
  throw alreadyExists(
    `async_operation_id "${clip(id!)}" was already used by another request (${first.type} of ${clip(first.namespace)}): ` +
      'send a new ID, or repeat that request exactly to get its operation',
  );
}

/** The AsyncOperation message at `nowMs`. */
export function renderOperation(row: OperationRow, nowMs: number): IAsyncOperation {
  const states = messages().OperationState;
  const fulfilled = nowMs >= row.finishMs;
  return {
    id: row.id,
    state: fulfilled ? states.STATE_FULFILLED : states.STATE_PENDING,
    stateDeprecated: fulfilled ? 'fulfilled' : 'pending',
    operationType: row.type,
    startedTime: timestamp(row.startedMs),
    ...(fulfilled
      ? { finishedTime: timestamp(row.finishMs) }
      : // How long a client should wait before it asks again.
        { checkDuration: duration(row.finishMs - nowMs) }),
  };
}
