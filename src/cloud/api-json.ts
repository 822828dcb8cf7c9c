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
  const decoded = type.fromObject(value) as unknown as Record<string, unknown>;
  const object = type.toObject(decoded, { bytes: String, enums: String, longs: String, json: true });
  return withTimes(type, object, decoded);
}

/**
 * Rewrites every Timestamp and Duration below `type` into its JSON string, and every Any into
 * protobuf's JSON for it, `{"@type": url, ...the message's fields}` (its bytes in `value` when the
 * client does not know the type): protobufjs's own conversion drops the type URL. `source` is the
 * message `object` was made from.
 */
function withTimes(type: ReflectedType, object: Record<string, unknown>, source: Record<string, unknown>): Record<string, unknown> {
  for (const field of type.fieldsArray) {
    const value = object[field.name];
    const nested = field.resolvedType;
    if (value === undefined || value === null || !nested || !('fieldsArray' in nested)) continue;
    const convert = (item: unknown, from: unknown): unknown => {
      if (nested.fullName === '.google.protobuf.Timestamp') return rfc3339(item as ProtoTime);
      if (nested.fullName === '.google.protobuf.Duration') return protoDuration(item as ProtoTime);
      if (nested.fullName === '.google.protobuf.Any') return anyJson(from as { type_url?: string; value?: Uint8Array });
      return withTimes(nested, item as Record<string, unknown>, from as Record<string, unknown>);
    };
    const from = source[field.name];
    if (field.map) {
      const sources = from as Record<string, unknown>;
      object[field.name] = Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, convert(item, sources[key])]));
    } else if (field.repeated) {
      const sources = from as unknown[];
      object[field.name] = (value as unknown[]).map((item, i) => convert(item, sources[i]));
    } else {
      object[field.name] = convert(value, from);
    }
  }
  return object;
}

function anyJson(any: { type_url?: string; typeUrl?: string; value?: Uint8Array }): Record<string, unknown> {
  const url = any.type_url ?? any.typeUrl ?? '';
  const bytes = any.value ?? new Uint8Array();
  let type: ReflectedType | undefined;
  try {
    type = url ? cloudType(url.slice(url.lastIndexOf('/') + 1)) : undefined;
  } catch {
    type = undefined; // a type the client's descriptor does not hold
  }
  if (!type) return { '@type': url, value: Buffer.from(bytes).toString('base64') };
  const decoded = type.decode(bytes) as unknown as Record<string, unknown>;
  const fields = withTimes(type, type.toObject(decoded, { bytes: String, enums: String, longs: String, json: true }), decoded);
  return { '@type': url, ...fields };
}
