/**
 * Canonical encoding of messages, so that two specs that mean the same thing have the same bytes:
 * proto3 fields at their default value are dropped (whether a client sent `enabled: false` or left it
 * out), and map entries are sorted by key. UpdateNamespace compares these bytes to tell "nothing to
 * change", and the store keeps specs in this form.
 */
import type { INamespaceSpec } from '../cloud/proto.js';
import type { MessageType } from '../cloud/proto.js';
import { messages } from './messages.js';

interface ReflectedField {
  name: string;
  map: boolean;
  repeated: boolean;
  resolvedType: ReflectedType | object | null;
}

interface ReflectedType extends MessageType {
  fieldsArray: ReflectedField[];
  resolveAll(): unknown;
}

/** The spec's canonical bytes. */
export function canonicalSpecBytes(spec: INamespaceSpec): Uint8Array {
  // Declared as the generated class; at run time it is protobufjs's reflected Type, whose fields this walks.
  const type = messages().NamespaceSpec as unknown as ReflectedType;
  return type.encode(canonical(type, spec as Record<string, unknown>)).finish();
}

let resolved = false;

function canonical(type: ReflectedType, message: Record<string, unknown>): Record<string, unknown> {
  if (!resolved) {
    type.resolveAll();
    resolved = true;
  }
  const out: Record<string, unknown> = {};
  for (const field of type.fieldsArray) {
    const value = message[field.name];
    if (value === null || value === undefined) continue;
    const nested = isMessageType(field.resolvedType) ? field.resolvedType : undefined;
    const normalize = (v: unknown) => (nested ? canonical(nested, v as Record<string, unknown>) : v);
    if (field.map) {
      const keys = Object.keys(value as object).sort();
      if (keys.length === 0) continue;
      out[field.name] = Object.fromEntries(keys.map((k) => [k, normalize((value as Record<string, unknown>)[k])]));
    } else if (field.repeated) {
      const list = value as unknown[];
      if (list.length > 0) out[field.name] = list.map(normalize);
    } else if (nested) {
      // A present sub-message stays present, even when empty: in proto3 its presence is meaningful.
      out[field.name] = normalize(value);
    } else if (!isDefault(value)) {
      out[field.name] = value;
    }
  }
  return out;
}

function isMessageType(type: unknown): type is ReflectedType {
  return typeof type === 'object' && type !== null && Array.isArray((type as ReflectedType).fieldsArray);
}

function isDefault(value: unknown): boolean {
  if (value === 0 || value === false || value === '') return true;
  if (value instanceof Uint8Array) return value.length === 0;
  // int64 values arrive as Long objects.
  if (typeof value === 'object' && value !== null && 'low' in value && 'high' in value) {
    return (value as { low: number; high: number }).low === 0 && (value as { low: number; high: number }).high === 0;
  }
  return false;
}
