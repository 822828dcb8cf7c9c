/**
 * How a stored namespace looks through the API: the Namespace message, its endpoints and its state.
 */
import type { INamespace } from '../cloud/proto.js';
import { messages, timestamp } from './messages.js';
import type { NamespaceRow } from './store.js';

export interface NamespaceEndpoints {
  webAddress: string;
  grpcAddress: string;
  mtlsGrpcAddress: string;
}

/**
 * The addresses a namespace advertises. The only place that decides them: a later change will point
 * mtlsGrpcAddress at the emulator's own mTLS gateway.
 */
export function endpointsOf(namespaceId: string): NamespaceEndpoints {
  return {
    webAddress: `${namespaceId}.web.tmprl.local`,
    grpcAddress: `${namespaceId}.tmprl.local:7233`,
    mtlsGrpcAddress: `${namespaceId}.tmprl.local:7233`,
  };
}

/**
 * The namespace's state: ACTIVATING after a create and UPDATING after an update until that operation
 * is fulfilled (as Temporal Cloud reports while it applies a change), ACTIVE otherwise.
 */
export function stateOf(row: NamespaceRow, nowMs: number): { state: number; stateDeprecated: string } {
  const states = messages().ResourceState;
  if (nowMs < row.operationFinishMs) {
    return row.operationType === 'create-namespace'
      ? { state: states['RESOURCE_STATE_ACTIVATING']!, stateDeprecated: 'activating' }
      : { state: states['RESOURCE_STATE_UPDATING']!, stateDeprecated: 'updating' };
  }
  return { state: states['RESOURCE_STATE_ACTIVE']!, stateDeprecated: 'active' };
}

/** Whether the rendering of `row` can still change with time (its last operation is pending). */
export function isSettled(row: NamespaceRow, nowMs: number): boolean {
  return nowMs >= row.operationFinishMs;
}

/** The Namespace message for a stored row at `nowMs`. */
export function renderNamespace(row: NamespaceRow, nowMs: number): INamespace {
  const spec = messages().NamespaceSpec.decode(row.spec) as INamespace['spec'] & object;
  return {
    namespace: row.id,
    resourceVersion: row.resourceVersion,
    spec,
    ...stateOf(row, nowMs),
    asyncOperationId: row.asyncOperationId,
    endpoints: endpointsOf(row.id),
    activeRegion: spec.regions?.[0] ?? '',
    createdTime: timestamp(row.createdMs) as never,
    lastModifiedTime: timestamp(row.modifiedMs) as never,
  };
}
