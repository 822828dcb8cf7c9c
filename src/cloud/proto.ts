/**
 * The Cloud Ops API's message types, from @temporalio/proto (no .proto files of our own). The whole
 * package costs about 90 ms and 30 MB to load, so it is required on first use, by the emulator only:
 * the client loads the compact descriptor of the methods it calls (cloud-api.ts), and takes only its
 * TypeScript types from here.
 */
import type * as Proto from '@temporalio/proto';

export type ProtoModule = typeof Proto;

export type INamespace = Proto.temporal.api.cloud.namespace.v1.INamespace;
export type INamespaceSpec = Proto.temporal.api.cloud.namespace.v1.INamespaceSpec;
export type ICertificateFilterSpec = Proto.temporal.api.cloud.namespace.v1.ICertificateFilterSpec;
export type IAsyncOperation = Proto.temporal.api.cloud.operation.v1.IAsyncOperation;
export type IApiKey = Proto.temporal.api.cloud.identity.v1.IApiKey;
export type IApiKeySpec = Proto.temporal.api.cloud.identity.v1.IApiKeySpec;
export type IUser = Proto.temporal.api.cloud.identity.v1.IUser;
export type IServiceAccount = Proto.temporal.api.cloud.identity.v1.IServiceAccount;
export type IAccount = Proto.temporal.api.cloud.account.v1.IAccount;
export type IAccountSpec = Proto.temporal.api.cloud.account.v1.IAccountSpec;

export const CLOUD_SERVICE = 'temporal.api.cloud.cloudservice.v1.CloudService';
export const HEALTH_SERVICE = 'grpc.health.v1.Health';

/** The header the Cloud Ops API versions requests by, and the version tcld sends. */
export const API_VERSION_HEADER = 'temporal-cloud-api-version';
export const API_VERSION = 'v0.10.0';

let loaded: ProtoModule | undefined;

export function proto(): ProtoModule {
  return (loaded ??= require('@temporalio/proto') as ProtoModule);
}

/** A message type: what gRPC needs to (de)serialize it. */
export interface MessageType {
  encode(message: object): { finish(): Uint8Array };
  decode(bytes: Uint8Array): object;
  fromObject(object: object): object;
  toObject(message: object, options?: object): Record<string, unknown>;
}

export interface MethodDescriptor {
  /** `GetNamespace` */
  name: string;
  /** `/temporal.api.cloud.cloudservice.v1.CloudService/GetNamespace` */
  path: string;
  requestType: MessageType;
  responseType: MessageType;
  /** True for server-streaming methods such as Health/Watch. */
  responseStream: boolean;
}

/** Every unary method of a service, from the reflection data @temporalio/proto ships. */
export function serviceMethods(serviceName: string): MethodDescriptor[] {
  const service = (proto() as unknown as { lookupService(name: string): ReflectedService }).lookupService(serviceName);
  service.resolveAll();
  return Object.values(service.methods).map((method) => ({
    name: method.name,
    path: `/${serviceName}/${method.name}`,
    requestType: method.resolvedRequestType!,
    responseType: method.resolvedResponseType!,
    responseStream: method.responseStream === true,
  }));
}

interface ReflectedService {
  resolveAll(): void;
  methods: Record<
    string,
    { name: string; responseStream?: boolean; resolvedRequestType: MessageType | null; resolvedResponseType: MessageType | null }
  >;
}
