/**
 * The Cloud Ops API message types the emulator builds and reads, looked up once from @temporalio/proto.
 * (src/cloud/proto.ts gives lazy access to the module; this adds the handful of types and enums the
 * emulator needs by name.)
 */
import { proto, type MessageType } from '../cloud/proto.js';

export interface EmulatorMessages {
  NamespaceSpec: MessageType;
  GetNamespaceResponse: MessageType;
  AccountSpec: MessageType;
  ResourceState: Readonly<Record<string, number>>;
  OperationState: Readonly<Record<string, number>>;
  ServingStatus: Readonly<Record<string, number>>;
}

let cached: EmulatorMessages | undefined;

export function messages(): EmulatorMessages {
  if (cached) return cached;
  const root = proto().temporal.api.cloud;
  cached = {
    NamespaceSpec: root.namespace.v1.NamespaceSpec as unknown as MessageType,
    GetNamespaceResponse: root.cloudservice.v1.GetNamespaceResponse as unknown as MessageType,
    AccountSpec: root.account.v1.AccountSpec as unknown as MessageType,
    ResourceState: root.resource.v1.ResourceState as unknown as Record<string, number>,
    OperationState: root.operation.v1.AsyncOperation.State as unknown as Record<string, number>,
    ServingStatus: proto().grpc.health.v1.HealthCheckResponse.ServingStatus as unknown as Record<string, number>,
  };
  return cached;
}

/** google.protobuf.Timestamp from milliseconds since the epoch. */
export function timestamp(ms: number): { seconds: number; nanos: number } {
  const seconds = Math.floor(ms / 1000);
  return { seconds, nanos: (ms - seconds * 1000) * 1_000_000 };
}

/** google.protobuf.Duration from milliseconds (not negative). */
export function duration(ms: number): { seconds: number; nanos: number } {
  return timestamp(Math.max(0, ms));
}
