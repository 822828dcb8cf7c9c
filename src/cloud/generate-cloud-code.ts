/**
 * The encoders, decoders and converters of the descriptor's message types, as JavaScript source: what
 * protobufjs generates with `new Function` the first time a type is used (Type#setup), generated
 * ahead. The build puts this source in the CLI, so a Cloud command neither generates nor compiles
 * code at run time (V8's code cache holds it) and protobufjs's code generator never runs hot.
 * installCloudCode puts the functions on the reflected types the way Type#setup does.
 */

/** A protobufjs code generator: its toString() is the function's source. */
type Codegen = { toString(): string };

/** The part of a reflected message type this reads and writes. */
export interface CodeType {
  fullName: string;
  fieldsArray: Array<{ resolve(): { resolvedType: unknown } }>;
  ctor: unknown;
  encode: unknown;
  decode: unknown;
  fromObject: unknown;
  toObject: unknown;
}

/** The parts of protobufjs/light this uses. */
export interface CodeProtobuf {
  Type: new (...args: never[]) => unknown;
  encoder(type: CodeType): Codegen;
  decoder(type: CodeType): Codegen;
  converter: { fromObject(type: CodeType): Codegen; toObject(type: CodeType): Codegen };
  Reader: unknown;
  Writer: unknown;
  util: unknown;
  wrappers: Record<string, { fromObject(this: unknown, object: unknown): unknown; toObject(this: unknown, message: unknown, options?: unknown): unknown }>;
}

type Factory = (...scope: unknown[]) => unknown;

/** Per message type (by full name), functions that take Type#setup's scope and return the generated function. */
export type CloudCode = Record<string, { ctor: Factory; encode: Factory; decode: Factory; fromObject: Factory; toObject: Factory }>;

/** Every message type below `namespace` (a reflected namespace, type or root). */
export function messageTypes(namespace: object, protobuf: CodeProtobuf): CodeType[] {
  const nested = (namespace as { nestedArray?: object[] }).nestedArray ?? [];
  return nested.flatMap((child) => [...(child instanceof protobuf.Type ? [child as CodeType] : []), ...messageTypes(child, protobuf)]);
}

/**
 * The source of a CloudCode object literal for every message type of `root` (resolved). The scope
 * names are Type#setup's: encode {Writer, types, util}, decode {Reader, types, util, C}, fromObject
 * {types, util, C}, toObject {types, util}; the constructor is Type.generateConstructor's.
 */
export function generateCloudCode(root: object, protobuf: CodeProtobuf): string {
  const factory = (scope: string[], generated: Codegen) => `function(${scope.join(',')}){return ${generated.toString()}}`;
  const generateConstructor = (protobuf.Type as unknown as { generateConstructor(type: CodeType): Codegen }).generateConstructor;
  const entries = messageTypes(root, protobuf).map(
    (type) =>
      `${JSON.stringify(type.fullName)}:{` +
      `ctor:${factory([], generateConstructor(type))},` +
      `encode:${factory(['Writer', 'types', 'util'], protobuf.encoder(type))},` +
      `decode:${factory(['Reader', 'types', 'util', 'C'], protobuf.decoder(type))},` +
      `fromObject:${factory(['types', 'util', 'C'], protobuf.converter.fromObject(type))},` +
      `toObject:${factory(['types', 'util'], protobuf.converter.toObject(type))}}`,
  );
  return `{${entries.join(',\n')}}`;
}

/** Puts `code`'s functions on every message type of `root`, as Type#setup would put the ones it generates. */
export function installCloudCode(root: object, code: CloudCode, protobuf: CodeProtobuf): void {
  const { Reader, Writer, util } = protobuf;
  for (const type of messageTypes(root, protobuf)) {
    const made = code[type.fullName];
    if (!made) throw new Error(`no generated code for ${type.fullName}: rebuild`);
    type.ctor = made.ctor(); // first: setting the constructor drops decode and fromObject
    const C = type.ctor;
    const types = type.fieldsArray.map((field) => field.resolve().resolvedType);
    type.encode = made.encode(Writer, types, util);
    type.decode = made.decode(Reader, types, util, C);
    type.fromObject = made.fromObject(types, util, C);
    type.toObject = made.toObject(types, util);
    const wrapper = protobuf.wrappers[type.fullName];
    if (wrapper) {
      // As Type#setup: the wrapper (google.protobuf.Any) sees the generated functions through `this`.
      const wrapperThis = Object.create(type) as CodeType & { _ctor: unknown };
      wrapperThis._ctor = C;
      wrapperThis.fromObject = type.fromObject;
      wrapperThis.toObject = type.toObject;
      type.fromObject = wrapper.fromObject.bind(wrapperThis);
      type.toObject = wrapper.toObject.bind(wrapperThis);
    }
  }
}
