/**
 * The part of the Cloud Ops API that tcld's client calls: the message types its methods reach, a few
 * dozen instead of every Temporal API message in @temporalio/proto, made from static code generated
 * ahead from the installed package (generate-cloud-code.ts): each type's fields and the functions
 * protobufjs would generate for it. A type is made, with the types its fields hold, when a method or
 * --output api first needs it; no protobufjs reflection is built, so a Cloud command starts fast. The
 * messages encode exactly as the full package's do (cloud-api.test.ts compares them); the TypeScript
 * types still come from @temporalio/proto.
 */
import { cloudApiCode, protobufRuntime } from './cloud-api-source.js';
import type { CloudCode } from './generate-cloud-code.js';
import { CLOUD_SERVICE, type MessageType, type MethodDescriptor } from './proto.js';

/** The CloudService methods the client calls: the static code holds these and what they reach. */
export const CLOUD_METHODS = [
  'GetNamespaces',
  'GetNamespace',
  'UpdateNamespace',
  'GetAsyncOperation',
  'GetCurrentIdentity',
  'CreateApiKey',
  'GetApiKey',
  'GetApiKeys',
  'UpdateApiKey',
  'DeleteApiKey',
  'CreateNamespace',
  'DeleteNamespace',
  'GetAccount',
  'UpdateAccount',
] as const;

export type CloudMethod = (typeof CLOUD_METHODS)[number];

/** A message type with what api-json.ts walks: its full name (with protobufjs's leading dot) and fields. */
export interface ReflectedType extends MessageType {
  fullName: string;
  fieldsArray: ReflectedField[];
}

export interface ReflectedField {
  name: string;
  repeated: boolean;
  map: boolean;
  /** A message type, an enum (its values by name, and by number through their prototype, as protobufjs has them), or null. */
  resolvedType: ReflectedType | { values: object } | null;
}

/** What the static code runs on (protobufjs/minimal, its Message class and wrappers). */
interface Runtime {
  Reader: unknown;
  Writer: unknown;
  util: { merge(target: object, source: object, ifNotSet?: boolean): object };
  Message: new () => object;
  wrappers: Record<string, { fromObject(this: unknown, ...args: unknown[]): unknown; toObject(this: unknown, ...args: unknown[]): unknown }>;
}

/** A message type as protobufjs's Type#setup leaves it, with what the Any wrapper asks of its type. */
interface StaticType extends ReflectedType {
  ctor: new (properties?: object) => object;
  create(properties?: object): object;
  lookup(name: string): StaticType | null;
}

let code: CloudCode | undefined;
let runtime: Runtime | undefined;
const made = new Map<string, StaticType | { values: object }>();

/** A message type by its full name, such as `temporal.api.cloud.namespace.v1.Namespace`. */
export function cloudType(name: string): ReflectedType {
  const found = lookup(name);
  if (!found) throw new Error(`no type ${name} in the Cloud Ops API the client knows`);
  return found;
}

/** A method of the client, as gRPC needs it (every method the client calls is unary). */
export function cloudMethod(name: CloudMethod): MethodDescriptor {
  const [request, response] = staticCode().methods[name] ?? [];
  if (!request || !response) throw new Error(`no method ${name} in the static Cloud Ops API code: rebuild`);
  return { name, path: `/${CLOUD_SERVICE}/${name}`, requestType: cloudType(request), responseType: cloudType(response), responseStream: false };
}

/** The full names of every message type of the static code. */
export function cloudTypeNames(): string[] {
  return Object.keys(staticCode().messages);
}

function staticCode(): CloudCode {
  return (code ??= cloudApiCode(CLOUD_SERVICE, CLOUD_METHODS));
}

/** A message type by full name (with or without the leading dot), made on first use; null when the code has none. */
function lookup(name: string): StaticType | null {
  const fullName = name.startsWith('.') ? name : `.${name}`;
  return staticCode().messages[fullName] ? (typeOf(fullName) as StaticType) : null;
}

/** A message type or enum, made as protobufjs's reflection would make it; the types its fields hold are made with it. */
function typeOf(fullName: string): StaticType | { values: object } {
  const known = made.get(fullName);
  if (known) return known;
  const source = staticCode();
  const values = source.enums[fullName];
  if (values) {
    // protobufjs's Enum: values by name, and by number through their prototype (the last name of a number wins).
    const byId: Record<number, string> = {};
    const byName = Object.create(byId) as Record<string, number>;
    for (const [key, value] of Object.entries(values)) byId[(byName[key] = value)] = key;
    const enumType = { values: byName };
    made.set(fullName, enumType);
    return enumType;
  }
  const message = source.messages[fullName];
  if (!message) throw new Error(`no type ${fullName} in the static Cloud Ops API code: rebuild`);
  const { Reader, Writer, util, Message, wrappers } = (runtime ??= protobufRuntime() as Runtime);
  const type = { fullName, fieldsArray: [] as ReflectedField[] } as unknown as StaticType;
  made.set(fullName, type);
  // As Type#ctor's setter: a Message prototype that names the type, and Message's static methods.
  const C = message.ctor() as StaticType['ctor'] & { $type?: unknown };
  C.prototype = new Message();
  C.prototype.constructor = C;
  C.$type = (C.prototype as { $type?: unknown }).$type = type;
  util.merge(C, Message, true);
  type.ctor = C;
  type.create = (properties) => new C(properties);
  type.lookup = lookup;
  const types = message.fields.map(([, held]) => (held === 0 ? null : typeOf(held)));
  type.fieldsArray = message.fields.map(([name, , repeated, map], i) => ({ name, repeated: repeated === 1, map: map === 1, resolvedType: types[i] as ReflectedField['resolvedType'] }));
  type.encode = message.encode(Writer, types, util) as StaticType['encode'];
  type.decode = message.decode(Reader, types, util, C) as StaticType['decode'];
  type.fromObject = message.fromObject(types, util, C) as StaticType['fromObject'];
  type.toObject = message.toObject(types, util) as StaticType['toObject'];
  const wrapper = wrappers[fullName];
  if (wrapper) {
    // As Type#setup: the wrapper (google.protobuf.Any) sees the generated functions through `this`.
    const wrapperThis = Object.create(type) as StaticType;
    wrapperThis.fromObject = type.fromObject;
    wrapperThis.toObject = type.toObject;
    type.fromObject = wrapper.fromObject.bind(wrapperThis) as StaticType['fromObject'];
    type.toObject = wrapper.toObject.bind(wrapperThis) as StaticType['toObject'];
  }
  return type;
}
