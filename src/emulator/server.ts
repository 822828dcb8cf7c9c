/**
 * The gRPC side of the emulator: every CloudService method registered from the reflection data
 * (the unimplemented ones answer UNIMPLEMENTED), bearer checks (API keys and login access tokens),
 * grpc.health.v1.Health, and one log line per call.
 */
import {
  Server,
  ServerCredentials,
  status,
  type MethodDefinition,
  type ServerUnaryCall,
  type ServerWritableStream,
  type ServiceDefinition,
  type UntypedServiceImplementation,
  type sendUnaryData,
} from '@grpc/grpc-js';
import { createServer as createNetServer } from 'node:net';
import type * as Proto from '@temporalio/proto';
import { CLOUD_SERVICE, HEALTH_SERVICE, serviceMethods, type MethodDescriptor } from '../cloud/proto.js';
import { ListenError, PortInUseError, formatHostPort } from './address.js';

export { ListenError, PortInUseError, type Listener } from './address.js';
import { ApiError } from './api-error.js';
import type { AccountService } from './account/account-service.js';
import type { Authenticate } from './auth.js';
import type { CloudHandlers, CloudMethod, CloudRequest } from './cloud-handlers.js';
import type { Principal } from './identity/authority.js';
import type { ApiKeyService } from './identity/api-key-service.js';
import type { UserService } from './identity/user-service.js';
import { messages } from './messages.js';
import type { NamespaceService } from './service.js';

/**
 * A request as grpc-js hands it over: what requestDeserialize made of the body (definitionOf), a
 * message instance of the method's request type or a MalformedRequest; `decoded` types it.
 */
type Decoded = object;
type HealthCheckRequest = Proto.grpc.health.v1.IHealthCheckRequest;
type HealthCheckResponse = Proto.grpc.health.v1.IHealthCheckResponse;

/**
 * The largest request the API reads and the largest response it sends: 4 MiB, gRPC's usual default,
 * set here so that it is a decision rather than a library's. A larger request is RESOURCE_EXHAUSTED
 * before it is read; GetNamespaces keeps its pages well under it (service.ts), and within it the
 * handlers bound their own work (a bundle over 32 KB is refused before it is parsed).
 */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

/**
 * A request body that does not decode as its message. Decoding runs before any handler, so instead of
 * failing there (grpc-js would answer INTERNAL, before the API key is checked) it yields this, and the
 * handler answers INVALID_ARGUMENT once the caller is authenticated.
 */
export class MalformedRequest {
  constructor(readonly reason: string) {}
}

export interface CreateServerOptions {
  service: NamespaceService;
  apiKeys: ApiKeyService;
  users: UserService;
  /** GetAccount and UpdateAccount; without it they answer UNIMPLEMENTED. */
  accounts?: AccountService;
  /** Who a call's `authorization` header names, or UNAUTHENTICATED. */
  authenticate: Authenticate;
  /** For log lines: CreateNamespace's namespace is `<spec.name>.<account>`. */
  account: string;
  /** One line per call: method, namespace, status, duration. Never an API key or token (requests' and responses'). Default: no log. */
  log?: (line: string) => void;
  /** Told of each call answered (health Watch streams when opened), with its status. Default: none. */
  onCall?: (method: string, code: status) => void;
}

export interface EmulatorServer {
  server: Server;
  /** Ends open health Watch streams, so that shutdown does not wait for them. */
  endStreams(): void;
}

export function createServer(options: CreateServerOptions): EmulatorServer {
  const { service, apiKeys, users } = options;
  const implemented: CloudHandlers = {
    GetNamespaces: service.getNamespaces,
    GetNamespace: service.getNamespace,
    CreateNamespace: service.createNamespace,
    UpdateNamespace: service.updateNamespace,
    DeleteNamespace: service.deleteNamespace,
    GetAsyncOperation: service.getAsyncOperation,
    CreateApiKey: apiKeys.createApiKey,
    GetApiKey: apiKeys.getApiKey,
    GetApiKeys: apiKeys.getApiKeys,
    UpdateApiKey: apiKeys.updateApiKey,
    DeleteApiKey: apiKeys.deleteApiKey,
    GetCurrentIdentity: users.getCurrentIdentity,
    GetUsers: users.getUsers,
    GetUser: users.getUser,
    ...(options.accounts && { GetAccount: options.accounts.getAccount, UpdateAccount: options.accounts.updateAccount }),
  };
  const implementedNames = Object.keys(implemented);
  // Channelz (grpc-js's own call and connection statistics, for its admin service) is never served here: not kept.
  const server = new Server({ 'grpc.max_receive_message_length': MAX_MESSAGE_BYTES, 'grpc.max_send_message_length': MAX_MESSAGE_BYTES, 'grpc.enable_channelz': 0 });
  const cloudMethods = serviceMethods(CLOUD_SERVICE);
  const cloud: UntypedServiceImplementation = {};
  for (const method of cloudMethods) {
    const handler = isImplemented(implemented, method.name) ? bind(implemented, method.name) : undefined;
    // The API key first, then UNIMPLEMENTED whatever the body, then the body.
    cloud[method.name] = unary(method, options, (request, metadata) => {
      const principal = options.authenticate(metadata);
      return handler ? handler(request, principal) : unimplemented(method.name, implementedNames);
    });
  }
  server.addService(definitionOf(cloudMethods, { deferMalformed: true }), cloud);

  const watches = new Set<ServerWritableStream<Decoded, object>>();
  const healthMethods = serviceMethods(HEALTH_SERVICE);
  const health: UntypedServiceImplementation = {};
  for (const method of healthMethods) {
    if (method.name === 'Check') health[method.name] = unary(method, options, (request) => checkHealth(decoded<HealthCheckRequest>(request, method.name)));
    else if (method.name === 'Watch') health[method.name] = (call: ServerWritableStream<Decoded, object>) => watch(call, watches, options);
  }
  server.addService(definitionOf(healthMethods, { deferMalformed: true }), health);
  return {
    server,
    endStreams() {
      for (const call of watches) call.end();
      watches.clear();
    },
  };
}

export interface DefinitionOptions {
  /** A request that does not decode becomes a MalformedRequest for the handler, instead of INTERNAL. Default false. */
  deferMalformed?: boolean;
}

/** Builds grpc-js's service definition from reflected methods; an already-encoded response passes through. */
export function definitionOf(methods: readonly MethodDescriptor[], options: DefinitionOptions = {}): ServiceDefinition {
  const definition: Record<string, MethodDefinition<object, object>> = {};
  for (const method of methods) {
    const { requestType, responseType } = method;
    definition[method.name] = {
      path: method.path,
      requestStream: false,
      responseStream: method.responseStream,
      requestSerialize: (message) => Buffer.from(requestType.encode(message).finish()),
      requestDeserialize: options.deferMalformed ? (bytes) => decodeOrMark(requestType, bytes) : (bytes) => requestType.decode(bytes),
      responseSerialize: (message) =>
        message instanceof Uint8Array ? Buffer.from(message.buffer, message.byteOffset, message.byteLength) : Buffer.from(responseType.encode(message).finish()),
      responseDeserialize: (bytes) => responseType.decode(bytes),
      originalName: method.name.charAt(0).toLowerCase() + method.name.slice(1),
    };
  }
  return definition as ServiceDefinition;
}

/** Whether `handlers` implements `name`, a method name as the reflection data gives it (the table's type admits only CloudMethods as keys). */
function isImplemented(handlers: CloudHandlers, name: string): name is CloudMethod {
  return Object.hasOwn(handlers, name);
}

/** The handler of `name` as a function of the request grpc-js hands over. */
function bind<M extends CloudMethod>(handlers: CloudHandlers, name: M): ((request: Decoded, principal: Principal) => object) | undefined {
  const handler = handlers[name];
  return handler && ((request, principal) => handler(decoded<CloudRequest<M>>(request, name), principal));
}

function unary(method: MethodDescriptor, options: CreateServerOptions, handle: (request: Decoded, metadata: ServerUnaryCall<Decoded, object>['metadata']) => object) {
  return (call: ServerUnaryCall<Decoded, object>, callback: sendUnaryData<object>) => {
    const started = performance.now();
    let code: status = status.OK;
    try {
      const response = handle(call.request, call.metadata);
      callback(null, response);
    } catch (error) {
      const failure = toApiError(error, method.name);
      code = failure.code;
      callback({ code: failure.code, details: failure.message });
    }
    options.onCall?.(method.name, code);
    options.log?.(logLine(method.name, namespaceOf(method.name, call.request, options.account), code, performance.now() - started));
  };
}

function decodeOrMark(type: MethodDescriptor['requestType'], bytes: Buffer): object {
  try {
    return type.decode(bytes);
  } catch (error) {
    // protobufjs's messages name an offset or a wire type, never the bytes.
    return new MalformedRequest(String((error as Error).message ?? error).slice(0, 200));
  }
}

/**
 * The decode boundary: the request as `T`, the method's request message; or INVALID_ARGUMENT when its
 * body did not decode.
 */
function decoded<T extends object>(request: Decoded, method: string): T {
  if (request instanceof MalformedRequest) {
    throw new ApiError(status.INVALID_ARGUMENT, `the ${method} request is not a valid protobuf message (${request.reason})`);
  }
  // The one cast of a request: definitionOf decodes each method's body with that method's own request
  // type, so this is a protobufjs message instance of T's message (unset scalars read as their
  // defaults, unset messages as null, int64 as Long, bytes as Buffer, enums as numbers).
  return request as T;
}

function unimplemented(name: string, implemented: readonly string[]): never {
  const listed = `${implemented.slice(0, -1).join(', ')} and ${implemented[implemented.length - 1]}`;
  throw new ApiError(status.UNIMPLEMENTED, `${name} is not implemented by tcld dev-server (only ${listed} are)`);
}

/** The health service answers for the whole server ('') and for the two services it serves. */
function checkHealth(request: HealthCheckRequest): HealthCheckResponse {
  const service = request.service ?? '';
  if (service !== '' && service !== CLOUD_SERVICE && service !== HEALTH_SERVICE) {
    throw new ApiError(status.NOT_FOUND, `unknown service "${service}"`);
  }
  return { status: messages().ServingStatus.SERVING };
}

function watch(call: ServerWritableStream<Decoded, object>, watches: Set<ServerWritableStream<Decoded, object>>, options: CreateServerOptions): void {
  const started = performance.now();
  if (call.request instanceof MalformedRequest) {
    call.emit('error', { code: status.INVALID_ARGUMENT, details: `the Watch request is not a valid protobuf message (${call.request.reason})` });
    options.onCall?.('Watch', status.INVALID_ARGUMENT);
    options.log?.(logLine('Watch', '', status.INVALID_ARGUMENT, performance.now() - started));
    return;
  }
  let result: HealthCheckResponse;
  try {
    result = checkHealth(decoded<HealthCheckRequest>(call.request, 'Watch'));
  } catch {
    result = { status: messages().ServingStatus.SERVICE_UNKNOWN };
  }
  watches.add(call);
  call.write(result);
  call.on('cancelled', () => watches.delete(call));
  call.on('finish', () => watches.delete(call));
  options.onCall?.('Watch', status.OK);
  options.log?.(logLine('Watch', '', status.OK, performance.now() - started));
}

/**
 * The most of an error message sent: a message names the first few offenders, and this keeps any that
 * does not to one readable line (gRPC sends it in a header, which clients cap at a few KiB).
 */
const MAX_DETAILS = 1024;

function toApiError(error: unknown, method: string): ApiError {
  if (error instanceof ApiError) {
    return error.message.length <= MAX_DETAILS ? error : new ApiError(error.code, `${error.message.slice(0, MAX_DETAILS)}... (${error.message.length - MAX_DETAILS} more characters)`);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ApiError(status.INTERNAL, `internal error in tcld dev-server's ${method} (a bug): ${message.split('\n')[0]}`);
}

/** The namespace a call names, for its log line: read from any method's request (or a MalformedRequest), so by presence. */
function namespaceOf(method: string, request: Decoded | undefined, account: string): string {
  if (!request) return '';
  if ('namespace' in request && typeof request.namespace === 'string' && request.namespace !== '') return request.namespace;
  const spec = 'spec' in request ? request.spec : undefined;
  const name = typeof spec === 'object' && spec !== null && 'name' in spec ? spec.name : undefined;
  if (method === 'CreateNamespace' && typeof name === 'string' && name) return `${name}.${account}`;
  return '';
}

function logLine(method: string, namespace: string, code: status, ms: number): string {
  return `${method} ${namespace || '-'} ${status[code]} ${ms.toFixed(1)}ms`;
}

/** Binds `host:port` in plaintext and resolves the port the OS chose (for port 0). */
export async function listen(server: Server, host: string, port: number): Promise<number> {
  const address = formatHostPort(host, port);
  // grpc-js logs its own "No address added" line on stderr when a bind fails; a probe first keeps a busy port to our one message.
  if (port !== 0) await probe(host, port, address);
  return new Promise((resolve, reject) => {
    server.bindAsync(address, ServerCredentials.createInsecure(), (error, bound) => {
      if (!error) return resolve(bound);
      if (/EADDRINUSE/.test(error.message)) return reject(new PortInUseError(port));
      reject(new ListenError(`cannot listen on ${address}: ${error.message}`));
    });
  });
}

function probe(host: string, port: number, address: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = createNetServer();
    socket.once('error', (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(port) : new ListenError(`cannot listen on ${address}: ${error.message}`)),
    );
    socket.listen({ host, port, exclusive: true }, () => socket.close(() => resolve()));
  });
}

/** Stops accepting calls, lets running ones finish for up to `graceMs`, then cuts what is left. */
export function shutdown(server: Server, graceMs = 1000): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      server.forceShutdown();
      resolve();
    }, graceMs);
    server.tryShutdown(() => {
      clearTimeout(timer);
      resolve();
    });
  });
}
