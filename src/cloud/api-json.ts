/**
 * The Cloud Ops API's own JSON for a message (`--output api`): protobuf's JSON mapping, with bytes as
 * base64, enums and 64-bit integers as strings, Timestamps as RFC 3339 and Durations as "1.500s"
 * (protobufjs's toObject leaves those two as {seconds, nanos}). Loads the proto module.
 */
import { proto } from './proto.js';
import { protoDuration, rfc3339, type ProtoTime } from './tcld-json.js';

/** The messages printed with --output api. */
export type ApiMessage = 'Namespace' | 'GetNamespacesResponse' | 'AsyncOperation';

interface ReflectedField {
  name: string;
  repeated: boolean;
  map: boolean;
  resolvedType: ReflectedType | { values: object } | null;
}

interface ReflectedType {
  fullName: string;
  fieldsArray: ReflectedField[];
  resolveAll(): ReflectedType;
  fromObject(object: object): object;
  toObject(message: object, options: object): Record<string, unknown>;
}

function typeOf(message: ApiMessage): ReflectedType {
  const cloud = proto().temporal.api.cloud;
  const types: Record<ApiMessage, unknown> = {
    Namespace: cloud.namespace.v1.Namespace,
    GetNamespacesResponse: cloud.cloudservice.v1.GetNamespacesResponse,
    AsyncOperation: cloud.operation.v1.AsyncOperation,
  };
  return (types[message] as ReflectedType).resolveAll();
}

export function apiJson(message: ApiMessage, value: object): Record<string, unknown> {
  const type = typeOf(message);
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
