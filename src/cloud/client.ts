/**
 * A client of the public Cloud Ops API (`temporal.api.cloud.cloudservice.v1.CloudService`) over
 * @grpc/grpc-js, with the compact descriptor of the methods it calls (cloud-api.ts) and
 * @temporalio/proto's message types: API key and version headers, retries of transient failures with
 * jittered exponential backoff, and errors mapped to user messages.
 */
import { isIPv4 } from 'node:net';
import type * as Grpc from '@grpc/grpc-js';
import { UserError } from '../errors.js';
import { CloudError, Status, describeStatus, statusName } from './errors.js';
import { cloudMethod, type CloudMethod } from './cloud-api.js';
import {
  API_VERSION,
  API_VERSION_HEADER,
  type IApiKey,
  type IApiKeySpec,
  type IAccount,
  type IAccountSpec,
  type IAsyncOperation,
  type INamespace,
  type INamespaceSpec,
  type IServiceAccount,
  type IUser,
  type MethodDescriptor,
} from './proto.js';

export const DEFAULT_SERVER = 'saas-api.tmprl.cloud:443';

export interface CloudConnectionOptions {
  /** host:port of the Cloud Ops API. Default: saas-api.tmprl.cloud:443. */
  server?: string;
  /** The API key, sent as `Authorization: Bearer <key>`; never logged. */
  apiKey?: string;
  /**
   * Without an API key: the access token of `tcld login`, asked for before every call (so that a token
   * that expires during a long --wait is refreshed); sent the same way, never logged.
   */
  accessToken?: () => Promise<string>;
  /** Plaintext instead of TLS (a local dev-server). */
  insecure?: boolean;
  /** The name to expect in the server's certificate, when it differs from the host. */
  tlsServerName?: string;
  /** Receives one line per call and per retry; the API key never appears in it. */
  debug?: (line: string) => void;
  /** At most this many tries of a transient failure (UNAVAILABLE, RESOURCE_EXHAUSTED). Default 5. */
  maxAttempts?: number;
  /** First backoff in ms, doubled each retry, with full jitter. Default 200. */
  backoffMs?: number;
  /** Random in [0, 1) for jitter. Default Math.random. */
  random?: () => number;
  /** Per-call deadline in ms. Default 30 000. */
  timeoutMs?: number;
}

export interface UpdateNamespaceRequest {
  namespace: string;
  spec: INamespaceSpec;
  resourceVersion: string;
  asyncOperationId: string;
}

export interface CreateNamespaceRequest {
  spec: INamespaceSpec;
  asyncOperationId: string;
  tags?: Record<string, string>;
}

export interface DeleteNamespaceRequest {
  namespace: string;
  resourceVersion: string;
  asyncOperationId: string;
}

/** UpdateAccount: the whole account spec (its metrics endpoint's accepted client CA bundle), guarded by resource_version. */
export interface UpdateAccountRequest {
  spec: IAccountSpec;
  resourceVersion: string;
  asyncOperationId: string;
}

/** One page of GetNamespaces: the page's namespaces and the next page's token ('' on the last page). */
export interface NamespacePage {
  namespaces: INamespace[];
  nextPageToken: string;
}

/** Who the credential belongs to (GetCurrentIdentity): a user, or a service account. */
export interface CurrentIdentity {
  user?: IUser | null;
  serviceAccount?: IServiceAccount | null;
}

/** What CreateApiKey answers: the key's id, its secret (shown once, never stored), and the operation. */
export interface CreatedApiKey {
  keyId: string;
  token: string;
  asyncOperation: IAsyncOperation;
}

export interface CloudClient {
  readonly server: string;
  /** Every namespace the key can see, through as many pages as it takes. */
  getNamespaces(): Promise<INamespace[]>;
  /** One page; a pageSize of 0 leaves the size to the server. */
  getNamespacesPage(request: { pageSize?: number; pageToken?: string }): Promise<NamespacePage>;
  getNamespace(namespace: string): Promise<INamespace>;
  updateNamespace(request: UpdateNamespaceRequest): Promise<IAsyncOperation>;
  /** The account of the API key: its id, its metrics endpoint's CA bundle (spec) and URI. */
  getAccount(): Promise<IAccount>;
  updateAccount(request: UpdateAccountRequest): Promise<IAsyncOperation>;
  getAsyncOperation(id: string): Promise<IAsyncOperation>;
  getCurrentIdentity(): Promise<CurrentIdentity>;
  createApiKey(request: { spec: IApiKeySpec; asyncOperationId: string }): Promise<CreatedApiKey>;
  getApiKey(keyId: string): Promise<IApiKey>;
  /** Every key the caller can see, through as many pages as it takes; ownerType as the API's OwnerType number. */
  getApiKeys(filter: { ownerId?: string; ownerType?: number }): Promise<IApiKey[]>;
  updateApiKey(request: { keyId: string; spec: IApiKeySpec; resourceVersion: string; asyncOperationId: string }): Promise<IAsyncOperation>;
  deleteApiKey(request: { keyId: string; resourceVersion: string; asyncOperationId: string }): Promise<IAsyncOperation>;
  /** The new namespace's ID (`<name>.<account>`) and the operation that makes it. */
  createNamespace(request: CreateNamespaceRequest): Promise<{ namespace: string; operation: IAsyncOperation }>;
  deleteNamespace(request: DeleteNamespaceRequest): Promise<IAsyncOperation>;
  close(): void;
}

type Message = Record<string, unknown>;

/**
 * grpc-js's target for `--server`: an IPv4 address (a dev-server's 127.0.0.1:7233) goes to grpc-js's
 * `ipv4:` resolver, which takes the address as it is, where the default DNS resolver would first build
 * a DNS client and its retry timers; the authority (and TLS server name) is the same `host:port`.
 */
export function grpcTarget(server: string): string {
  return isIPv4(server.replace(/:\d+$/, '')) ? `ipv4:${server}` : server;
}

export async function connectCloud(options: CloudConnectionOptions): Promise<CloudClient> {
  if (!options.apiKey && !options.accessToken) throw new UserError('no API key: pass --api-key or set TEMPORAL_CLOUD_API_KEY, or run tcld login');
  const credential = options.apiKey ? 'api-key' : 'login';
  const bearer = async () => options.apiKey || (await options.accessToken!());
  const grpc = require('@grpc/grpc-js') as typeof Grpc;
  const server = options.server || DEFAULT_SERVER;
  // Channelz (grpc-js's call and connection statistics, for its admin service) is never read here:
  // not keeping it saves each command about 2 ms of grpc-js bookkeeping.
  const channelOptions: Grpc.ChannelOptions = {
    'grpc.enable_channelz': 0,
    ...(options.tlsServerName ? { 'grpc.ssl_target_name_override': options.tlsServerName, 'grpc.default_authority': options.tlsServerName } : {}),
  };
  const credentials = options.insecure ? grpc.credentials.createInsecure() : grpc.credentials.createSsl();
  const client = new grpc.Client(grpcTarget(server), credentials, channelOptions);
  const debug = options.debug ?? (() => {});
  const maxAttempts = options.maxAttempts ?? 5;
  const backoffMs = options.backoffMs ?? 200;
  const random = options.random ?? Math.random;
  /** Calls not yet answered: close() cancels them, or a call to a hung server would hold the process until its deadline. */
  const inFlight = new Set<Grpc.ClientUnaryCall>();

  const once = (method: MethodDescriptor, request: Message, token: string): Promise<Message> =>
    new Promise((resolve, reject) => {
      const metadata = new grpc.Metadata();
      metadata.set('authorization', `Bearer ${token}`);
      metadata.set(API_VERSION_HEADER, API_VERSION);
      const unary = client.makeUnaryRequest<Message, Message>(
        method.path,
        (message) => Buffer.from(method.requestType.encode(method.requestType.fromObject(message)).finish()),
        (bytes) => method.responseType.toObject(method.responseType.decode(bytes), { defaults: true, longs: String }),
        request,
        metadata,
        { deadline: Date.now() + (options.timeoutMs ?? 30_000) },
        (error, response) => {
          inFlight.delete(unary);
          if (error) reject(error);
          else resolve(response ?? {});
        },
      );
      inFlight.add(unary);
    });

  const call = async (name: CloudMethod, request: Message): Promise<Message> => {
    const method = cloudMethod(name);
    for (let attempt = 1; ; attempt++) {
      const token = await bearer();
      const started = Date.now();
      try {
        const response = await once(method, request, token);
        debug(`${name} OK in ${Date.now() - started} ms`);
        return response;
      } catch (raw) {
        const status = raw as Grpc.ServiceError;
        const error = new CloudError(describeStatus(status.code, status.details, { method: name, server, credential }), status.code, status.details ?? '');
        debug(`${name} ${statusName(status.code)} in ${Date.now() - started} ms: ${status.details}`);
        if (!error.isTransient || attempt >= maxAttempts) throw error;
        const delay = Math.round(random() * backoffMs * 2 ** (attempt - 1));
        debug(`${name}: try ${attempt + 1} of ${maxAttempts} in ${delay} ms`);
        await new Promise((settle) => setTimeout(settle, delay));
      }
    }
  };

  const getNamespacesPage = async (request: { pageSize?: number; pageToken?: string }): Promise<NamespacePage> => {
    const page = await call('GetNamespaces', { pageSize: request.pageSize ?? 0, pageToken: request.pageToken ?? '' });
    return { namespaces: (page['namespaces'] as INamespace[]) ?? [], nextPageToken: String(page['nextPageToken'] ?? '') };
  };

  return {
    server,
    async getNamespaces() {
      const namespaces: INamespace[] = [];
      let pageToken = '';
      do {
        const page = await getNamespacesPage({ pageSize: 1000, pageToken });
        namespaces.push(...page.namespaces);
        pageToken = page.nextPageToken;
      } while (pageToken);
      return namespaces;
    },
    getNamespacesPage,
    async getNamespace(namespace) {
      try {
        return (await call('GetNamespace', { namespace }))['namespace'] as INamespace;
      } catch (error) {
        if (error instanceof CloudError && error.code === Status.NOT_FOUND) {
          throw new CloudError(`namespace ${namespace} not found at ${server}`, error.code, error.details);
        }
        throw error;
      }
    },
    async updateNamespace(request) {
      return (await call('UpdateNamespace', { ...request }))['asyncOperation'] as IAsyncOperation;
    },
    async getAccount() {
      return ((await call('GetAccount', {}))['account'] as IAccount | undefined) ?? {};
    },
    async updateAccount(request) {
      return (await call('UpdateAccount', { ...request }))['asyncOperation'] as IAsyncOperation;
    },
    async getAsyncOperation(asyncOperationId) {
      return (await call('GetAsyncOperation', { asyncOperationId }))['asyncOperation'] as IAsyncOperation;
    },
    async getCurrentIdentity() {
      const identity = await call('GetCurrentIdentity', {});
      return { user: identity['user'] as IUser | null, serviceAccount: identity['serviceAccount'] as IServiceAccount | null };
    },
    async createApiKey(request) {
      const created = await call('CreateApiKey', { ...request });
      return { keyId: String(created['keyId'] ?? ''), token: String(created['token'] ?? ''), asyncOperation: created['asyncOperation'] as IAsyncOperation };
    },
    async getApiKey(keyId) {
      try {
        return (await call('GetApiKey', { keyId }))['apiKey'] as IApiKey;
      } catch (error) {
        if (error instanceof CloudError && error.code === Status.NOT_FOUND) {
          throw new CloudError(`apikey ${keyId} not found at ${server}`, error.code, error.details);
        }
        throw error;
      }
    },
    async getApiKeys(filter) {
      const keys: IApiKey[] = [];
      let pageToken = '';
      do {
        const page = await call('GetApiKeys', { pageSize: 1000, pageToken, ownerId: filter.ownerId ?? '', ownerType: filter.ownerType ?? 0 });
        keys.push(...((page['apiKeys'] as IApiKey[]) ?? []));
        pageToken = String(page['nextPageToken'] ?? '');
      } while (pageToken);
      return keys;
    },
    async updateApiKey(request) {
      return (await call('UpdateApiKey', { ...request }))['asyncOperation'] as IAsyncOperation;
    },
    async deleteApiKey(request) {
      return (await call('DeleteApiKey', { ...request }))['asyncOperation'] as IAsyncOperation;
    },
    async createNamespace(request) {
      const response = await call('CreateNamespace', { ...request });
      return { namespace: String(response['namespace'] ?? ''), operation: response['asyncOperation'] as IAsyncOperation };
    },
    async deleteNamespace(request) {
      return (await call('DeleteNamespace', { ...request }))['asyncOperation'] as IAsyncOperation;
    },
    close() {
      for (const unary of inFlight) unary.cancel();
      client.close();
    },
  };
}
