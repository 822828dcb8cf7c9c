/**
 * The Cloud Ops API message types the emulator builds and reads, looked up once from @temporalio/proto
 * and typed by its declarations. (src/cloud/proto.ts gives lazy access to the module; this adds the
 * handful of types and enums the emulator needs by name, and the conversions of google.protobuf times.)
 */
import type * as Proto from '@temporalio/proto';
import { proto } from '../cloud/proto.js';

type ITimestamp = Proto.google.protobuf.ITimestamp;
type IDuration = Proto.google.protobuf.IDuration;
/** An int64 as @temporalio/proto declares it: the `Long` its decoder makes. */
type Int64 = NonNullable<ITimestamp['seconds']>;

export interface EmulatorMessages {
  NamespaceSpec: typeof Proto.temporal.api.cloud.namespace.v1.NamespaceSpec;
  AccountSpec: typeof Proto.temporal.api.cloud.account.v1.AccountSpec;
  /** The enums as objects from name to number (the decoder gives an enum field as its number). */
  ResourceState: typeof Proto.temporal.api.cloud.resource.v1.ResourceState;
  OperationState: typeof Proto.temporal.api.cloud.operation.v1.AsyncOperation.State;
  ServingStatus: typeof Proto.grpc.health.v1.HealthCheckResponse.ServingStatus;
}

let cached: EmulatorMessages | undefined;

export function messages(): EmulatorMessages {
  if (cached) return cached;
  const root = proto().temporal.api.cloud;
  cached = {
    NamespaceSpec: root.namespace.v1.NamespaceSpec,
    AccountSpec: root.account.v1.AccountSpec,
    ResourceState: root.resource.v1.ResourceState,
    OperationState: root.operation.v1.AsyncOperation.State,
    ServingStatus: proto().grpc.health.v1.HealthCheckResponse.ServingStatus,
  };
  return cached;
}

/**
 * google.protobuf.Timestamp from milliseconds since the epoch. Its int64 seconds are a number, which
 * protobufjs's writer takes for an int64 (exactly, below 2^53) though the declarations say Long: the
 * bytes are the same, and the messages the services hand back keep plain numbers.
 */
export function timestamp(ms: number): ITimestamp {
  const seconds = Math.floor(ms / 1000);
  return { seconds: seconds as unknown as Int64, nanos: (ms - seconds * 1000) * 1_000_000 };
}

/** google.protobuf.Duration from milliseconds (not negative), its seconds a number as timestamp()'s. */
export function duration(ms: number): IDuration {
  return timestamp(Math.max(0, ms));
}

/**
 * A Timestamp's time in milliseconds, or undefined when it is unset or zero. Its seconds are a Long
 * as the decoder gives them, or a number (as timestamp() makes them, and protobufjs without `long`).
 */
export function millisOf(time: ITimestamp | null | undefined): number | undefined {
  if (!time) return undefined;
  const ms = secondsOf(time.seconds) * 1000 + Math.floor((time.nanos ?? 0) / 1_000_000);
  return ms === 0 || !Number.isFinite(ms) ? undefined : ms;
}

function secondsOf(seconds: Int64 | number | null | undefined): number {
  if (typeof seconds === 'number') return seconds;
  return seconds ? seconds.toNumber() : 0;
}
