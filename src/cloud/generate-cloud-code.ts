/**
 * The client's Cloud Ops API types as static code: for each message type the descriptor reaches, its
 * fields and the encoder, decoder and converters protobufjs would generate with `new Function` the
 * first time the type is used (Type#setup), generated ahead; for each enum, its values; for each method,
 * its request and response types. The build puts this source in the CLI, so a Cloud command builds
 * no reflection (no Root.fromJSON, no resolving), generates no code, and compiles none (V8's code cache
 * holds it): cloud-api.ts makes the types from it on first use.
 */

/** A protobufjs code generator: its toString() is the function's source. */
type Codegen = { toString(): string };

/** The part of a reflected message type this reads. */
interface ReflectedMessage {
  fullName: string;
  fieldsArray: Array<{ name: string; repeated: boolean; map: boolean; resolve(): { resolvedType: { fullName: string } | null } }>;
}

/** The part of a reflected enum this reads. */
interface ReflectedEnum {
  fullName: string;
  values: Record<string, number>;
}

/** The parts of protobufjs/light this uses. */
export interface CodeProtobuf {
  Type: new (...args: never[]) => unknown;
  Enum: new (...args: never[]) => unknown;
  encoder(type: ReflectedMessage): Codegen;
  decoder(type: ReflectedMessage): Codegen;
  converter: { fromObject(type: ReflectedMessage): Codegen; toObject(type: ReflectedMessage): Codegen };
}

type Factory = (...scope: unknown[]) => unknown;

/** A message type's fields (name, full name of its message or enum type or 0, repeated, map) and the factories of its functions. */
export interface MessageCode {
  fields: Array<[name: string, type: string | 0, repeated: 0 | 1, map: 0 | 1]>;
  ctor: Factory;
  encode: Factory;
  decode: Factory;
  fromObject: Factory;
  toObject: Factory;
}

/** The static code of the client's types and methods, keyed by full names with protobufjs's leading dot. */
export interface CloudCode {
  messages: Record<string, MessageCode>;
  /** Each enum's values by name, in the order protobufjs declares them. */
  enums: Record<string, Record<string, number>>;
  /** Each method's request and response types. */
  methods: Record<string, [request: string, response: string]>;
}

/** Every message type and enum below `namespace` (a reflected namespace, type or root). */
function reflectedTypes(namespace: object, protobuf: CodeProtobuf): Array<ReflectedMessage | ReflectedEnum> {
  const nested = (namespace as { nestedArray?: object[] }).nestedArray ?? [];
  return nested.flatMap((child) => [
    ...(child instanceof protobuf.Type || child instanceof protobuf.Enum ? [child as ReflectedMessage | ReflectedEnum] : []),
    ...reflectedTypes(child, protobuf),
  ]);
}

/**
 * The source of the CloudCode object literal for `root` (resolved reflection) and `service`'s methods in
 * it. The scope names are Type#setup's: encode {Writer, types, util}, decode {Reader, types, util, C},
 * fromObject {types, util, C}, toObject {types, util}; the constructor is Type.generateConstructor's.
 */
export function generateCloudCode(root: object, protobuf: CodeProtobuf, service: string): string {
  const factory = (scope: string[], generated: Codegen) => `function(${scope.join(',')}){return ${generated.toString()}}`;
  const generateConstructor = (protobuf.Type as unknown as { generateConstructor(type: ReflectedMessage): Codegen }).generateConstructor;
  const types = reflectedTypes(root, protobuf);
  const messages = types.flatMap((type) => {
    if (!(type instanceof protobuf.Type)) return [];
    const message = type as ReflectedMessage;
    const fields = message.fieldsArray.map((field) => [field.name, field.resolve().resolvedType?.fullName ?? 0, field.repeated ? 1 : 0, field.map ? 1 : 0]);
    return [
      `${JSON.stringify(message.fullName)}:{` +
        `fields:${JSON.stringify(fields)},` +
        `ctor:${factory([], generateConstructor(message))},` +
        `encode:${factory(['Writer', 'types', 'util'], protobuf.encoder(message))},` +
        `decode:${factory(['Reader', 'types', 'util', 'C'], protobuf.decoder(message))},` +
        `fromObject:${factory(['types', 'util', 'C'], protobuf.converter.fromObject(message))},` +
        `toObject:${factory(['types', 'util'], protobuf.converter.toObject(message))}}`,
    ];
  });
  const enums = Object.fromEntries(types.flatMap((type) => (type instanceof protobuf.Enum ? [[type.fullName, { ...(type as ReflectedEnum).values }]] : [])));
  const reflected = (root as { lookupService(name: string): { methodsArray: Array<{ name: string; resolvedRequestType: { fullName: string }; resolvedResponseType: { fullName: string } }> } }).lookupService(service);
  const methods = Object.fromEntries(reflected.methodsArray.map((m) => [m.name, [m.resolvedRequestType.fullName, m.resolvedResponseType.fullName]]));
  return `{messages:{${messages.join(',\n')}},enums:${JSON.stringify(enums)},methods:${JSON.stringify(methods)}}`;
}
