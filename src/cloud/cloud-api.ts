/**
 * The part of the Cloud Ops API that tcld's client calls, as protobufjs reflection built from a
 * compact descriptor (cloud-api-source.ts): a few dozen types instead of every Temporal API message in
 * @temporalio/proto, with their encoders and converters generated ahead (generate-cloud-code.ts), so
 * that a Cloud command starts fast. The messages encode exactly as the full package's do
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

let root: CloudRoot | undefined;

export function cloudApi(): CloudRoot {
  return (root ??= buildCloudApi());
}

/** A new reflection of the descriptor, with the generated code on its types. */
export function buildCloudApi(): CloudRoot {
  const protobuf = protobufLight() as CodeProtobuf & { Root: { fromJSON(json: object): CloudRoot } };
  const made = protobuf.Root.fromJSON(cloudApiDescriptor(CLOUD_SERVICE, CLOUD_METHODS)).resolveAll();
  installCloudCode(made, cloudApiCode(made, protobuf), protobuf);
  return made;
}

/** A message type of the descriptor by its full name, such as `temporal.api.cloud.namespace.v1.Namespace`. */
export function cloudType(name: string): ReflectedType {
  return cloudApi().lookupType(name);
}

/** The client's methods, as gRPC needs them. */
export function cloudMethods(): Map<CloudMethod, MethodDescriptor> {
  const service = cloudApi().lookupService(CLOUD_SERVICE);
  return new Map(
    CLOUD_METHODS.map((name) => {
      const method = service.methods[name]!;
      return [
        name,
        {
          name,
          path: `/${CLOUD_SERVICE}/${name}`,
          requestType: method.resolvedRequestType!,
          responseType: method.resolvedResponseType!,
          responseStream: method.responseStream === true,
        },
      ];
    }),
  );
}
