/**
 * How a stored namespace looks through the API: the Namespace message, its endpoints and its state.
 */
import type * as Proto from '@temporalio/proto';
import type { INamespace, INamespaceSpec } from '../cloud/proto.js';
import { messages, timestamp } from './messages.js';
import type { NamespaceRow } from './store.js';

export interface NamespaceEndpoints {
  webAddress: string;
  grpcAddress: string;
  mtlsGrpcAddress: string;
}

/** Where the emulator's mTLS gateway answers for namespaces: `<namespace id>.<domain>:<port>`. */
export interface GatewayEndpoint {
  /** The local domain namespaces' TLS server names end in (the emulator's stand-in for `tmprl.cloud`). */
  domain: string;
  port: number;
}

/** The local domain of the emulator's namespace endpoints; Temporal Cloud's is `tmprl.cloud`. */
export const DEFAULT_GATEWAY_DOMAIN = 'tmprl.local';

/**
 * The addresses a namespace advertises: the only place that decides them. Both gRPC addresses are
 * the mTLS gateway's, `<namespace id>.<domain>:<port>`, as Temporal Cloud gives an mTLS namespace
 * `<namespace>.<account>.tmprl.cloud:7233` for both (the emulator has no API-key endpoint). The host
 * name is the TLS server name to send; no DNS resolves it, so clients connect to the gateway's IP.
 */
export function endpointsOf(namespaceId: string, gateway: GatewayEndpoint = { domain: DEFAULT_GATEWAY_DOMAIN, port: 7233 }): NamespaceEndpoints {
  const grpc = `${namespaceId}.${gateway.domain}:${gateway.port}`;
  return { webAddress: `${namespaceId}.web.${gateway.domain}`, grpcAddress: grpc, mtlsGrpcAddress: grpc };
}

/** A resource's state, as its `state` and `state_deprecated` fields give it. */
export interface ResourceStateOf {
  state: Proto.temporal.api.cloud.resource.v1.ResourceState;
  stateDeprecated: string;
}

/**
 * The namespace's state: ACTIVATING after a create and UPDATING after an update until that operation
 * is fulfilled (as Temporal Cloud reports while it applies a change), ACTIVE otherwise.
 */
export function stateOf(row: Pick<NamespaceRow, 'operationFinishMs' | 'operationType'>, nowMs: number): ResourceStateOf {
  const states = messages().ResourceState;
  if (nowMs < row.operationFinishMs) {
    return row.operationType === 'create-namespace'
      ? { state: states.RESOURCE_STATE_ACTIVATING, stateDeprecated: 'activating' }
      : { state: states.RESOURCE_STATE_UPDATING, stateDeprecated: 'updating' };
  }
  return { state: states.RESOURCE_STATE_ACTIVE, stateDeprecated: 'active' };
}

/**
 * A stored spec, decoded; or why it cannot be. The API stores only specs it encoded itself, so only a
 * damaged file, or one written by something else, holds one that does not decode.
 */
export type StoredSpec = { ok: true; spec: INamespaceSpec } | { ok: false; reason: string };

export function decodeStoredSpec(row: Pick<NamespaceRow, 'spec'>): StoredSpec {
  try {
    if (!(row.spec instanceof Uint8Array)) return { ok: false, reason: `its stored spec is ${typeof row.spec}, not bytes` };
    return { ok: true, spec: messages().NamespaceSpec.decode(row.spec) };
  } catch (error) {
    // protobufjs's messages name an offset or a wire type, never the bytes.
    return { ok: false, reason: `its stored spec does not decode (${String((error as Error).message ?? error).slice(0, 120)})` };
  }
}

/** The Namespace message for a stored row and its decoded spec at `nowMs`, advertising `gateway` as its endpoints. */
export function renderNamespace(row: NamespaceRow, spec: INamespaceSpec, nowMs: number, gateway?: GatewayEndpoint): INamespace {
  return {
    namespace: row.id,
    resourceVersion: row.resourceVersion,
    spec,
    ...stateOf(row, nowMs),
    asyncOperationId: row.asyncOperationId,
    endpoints: endpointsOf(row.id, gateway),
    activeRegion: spec.regions?.[0] ?? '',
    createdTime: timestamp(row.createdMs),
    lastModifiedTime: timestamp(row.modifiedMs),
    tags: { ...row.tags },
  };
}
