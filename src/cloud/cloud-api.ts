/**
 * The part of the Cloud Ops API that tcld's client calls, as protobufjs reflection built from a
 * compact descriptor (cloud-api-source.ts), one part per method: the few dozen types a method reaches
 * instead of every Temporal API message in @temporalio/proto, with their encoders and converters
 * generated ahead (generate-cloud-code.ts), so that a Cloud command starts fast. The messages encode exactly as the full package's do
 * (cloud-api.test.ts compares them); the TypeScript types still come from @temporalio/proto.
 */
import { cloudApiCode, cloudApiDescriptor, protobufLight } from './cloud-api-source.js';
import { installCloudCode, type CodeProtobuf } from './generate-cloud-code.js';
import { CLOUD_SERVICE, type MessageType, type MethodDescriptor } from './proto.js';

/** The CloudService methods the client calls: the descriptor holds these and what they reach. */
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

/** A message type with the reflection api-json.ts walks. */
export interface ReflectedType extends MessageType {
  fullName: string;
  fieldsArray: ReflectedField[];
}

export interface ReflectedField {
  name: string;
  repeated: boolean;
  map: boolean;
  resolvedType: ReflectedType | { values: object } | null;
}

interface CloudRoot {
  resolveAll(): CloudRoot;
  lookupType(name: string): ReflectedType;
  lookupService(name: string): {
    methods: Record<string, { responseStream?: boolean; resolvedRequestType: ReflectedType | null; resolvedResponseType: ReflectedType | null }>;
  };
}

const roots = new Map<string, CloudRoot>();

/**
 * The reflection of `methods` and the types they reach, with the generated code on them: built on first
 * use. A part per method, not one for all of them: `n ca l` builds the 37 types GetNamespace reaches,
 * not the 85 that all 14 methods reach. The whole descriptor (the default) serves --output api, where
 * an Any in a response may hold any message the client knows.
 */
export function cloudApi(methods: readonly CloudMethod[] = CLOUD_METHODS): CloudRoot {
  const key = methods.join();
  let root = roots.get(key);
  if (!root) roots.set(key, (root = buildCloudApi(methods)));
  return root;
}

/** A new reflection of the part of the descriptor that holds `methods`. */
export function buildCloudApi(methods: readonly CloudMethod[] = CLOUD_METHODS): CloudRoot {
  const protobuf = protobufLight() as CodeProtobuf & { Root: { fromJSON(json: object): CloudRoot } };
  const made = protobuf.Root.fromJSON(cloudApiDescriptor(CLOUD_SERVICE, methods)).resolveAll();
  installCloudCode(made, cloudApiCode(made, protobuf), protobuf);
  return made;
}

/** A message type of the whole descriptor by its full name, such as `temporal.api.cloud.namespace.v1.Namespace`. */
export function cloudType(name: string): ReflectedType {
  return cloudApi().lookupType(name);
}

/** A method of the client, as gRPC needs it, from the method's own part of the descriptor. */
export function cloudMethod(name: CloudMethod): MethodDescriptor {
  const method = cloudApi([name]).lookupService(CLOUD_SERVICE).methods[name]!;
  return {
    name,
    path: `/${CLOUD_SERVICE}/${name}`,
    requestType: method.resolvedRequestType!,
    responseType: method.resolvedResponseType!,
    responseStream: method.responseStream === true,
  };
}
