/**
 * The Cloud Ops API's own JSON for a message (`--output api`): protobuf's JSON mapping, with bytes as
 * base64, enums and 64-bit integers as strings, Timestamps as RFC 3339 and Durations as "1.500s"
 * (protobufjs's toObject leaves those two as {seconds, nanos}). Loads the client's compact descriptor.
 */
import { cloudType, type ReflectedType } from './cloud-api.js';
import { protoDuration, rfc3339, type ProtoTime } from './tcld-json.js';

/** The messages printed with --output api. */
export type ApiMessage = 'Namespace' | 'GetNamespacesResponse' | 'AsyncOperation' | 'Account';

const TYPES: Record<ApiMessage, string> = {
  Namespace: 'temporal.api.cloud.namespace.v1.Namespace',
  GetNamespacesResponse: 'temporal.api.cloud.cloudservice.v1.GetNamespacesResponse',
  AsyncOperation: 'temporal.api.cloud.operation.v1.AsyncOperation',
  Account: 'temporal.api.cloud.account.v1.Account',
};

export function apiJson(message: ApiMessage, value: object): Record<string, unknown> {
  const type = cloudType(TYPES[message]);
  const object = type.toObject(type.fromObject(value), { bytes: String, enums: String, longs: String, json: true });
  return withTimes(type, object);
}

/** Rewrites every Timestamp and Duration below `type` into its JSON string. */
function withTimes(type: ReflectedType, object: Record<string, unknown>): Record<string, unknown> {
  for (const field of type.fieldsArray) {
    const value = object[field.name];
    const nested = field.resolvedType;
    if (value === undefined || value === null || !nested || !('fieldsArray' in nested)) continue;
    const convert = (item: unknown): unknown => {
      if (nested.fullName === '.google.protobuf.Timestamp') return rfc3339(item as ProtoTime);
      if (nested.fullName === '.google.protobuf.Duration') return protoDuration(item as ProtoTime);
      return withTimes(nested, item as Record<string, unknown>);
    };
    if (field.map) {
      object[field.name] = Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, convert(item)]));
    } else if (field.repeated) {
      object[field.name] = (value as unknown[]).map(convert);
    } else {
      object[field.name] = convert(value);
    }
  }
  return object;
}
