/**
 * A local emulator of Temporal Cloud (`tcld dev-server`): its Cloud Ops API, and its namespaces' mTLS
 * endpoint (the gateway), started in-process by the command, the tests, the demo and the bench.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { secureRandom, type RandomSource } from '../pki/random.js';
import { createAccountService } from './account/account-service.js';
import { AccountStore } from './account/account-store.js';
import { startAccountMetricsEndpoint } from './account/metrics-endpoint.js';
import { createAuthenticator } from './auth.js';
import type { AdmissionLog } from './console/admission-log.js';
import { createAdmissionLog } from './console/admission-log-store.js';
import { createConsoleActions } from './console/actions.js';
import { createApiKeyService } from './identity/api-key-service.js';
import type { TokenAuthority } from './identity/authority.js';
import { openIdentity } from './identity/identity.js';
import { createUserService } from './identity/user-service.js';
import { loadOrCreateDevServerCa, type DevServerCa } from './gateway/dev-ca.js';
import { startGateway, type Gateway } from './gateway/gateway.js';
import { DEFAULT_GATEWAY_DOMAIN } from './namespace-view.js';
import { generateApiKey } from './ids.js';
import { createMetrics, serveMetrics } from './metrics.js';
import { describeOwner, readOwner, removeOwner, writeOwner } from './owner.js';
import { formatHostPort } from './address.js';
import { isLoopback, startAuthServer } from './identity/auth-server.js';
import { createAdminSignIn } from './identity/sign-in.js';
import { createServer, listen, shutdown } from './server.js';
import { createNamespaceService } from './service.js';
import { Store, StoreError } from './store.js';

export { DEV_CA_CERTIFICATE_FILE, DEV_CA_KEY_FILE } from './gateway/dev-ca.js';
export { GatewayError } from './gateway/gateway-error.js';
export { DEFAULT_GATEWAY_DOMAIN, endpointsOf } from './namespace-view.js';
export { ListenError, PortInUseError, type Listener } from './server.js';
export { SqliteUnavailableError, StoreError, type StoreErrorCode } from './store.js';
export { ownerPath } from './owner.js';
export type { Principal, BearerVerdict, TokenAuthority, TokenGrant } from './identity/authority.js';

/** How long async operations stay pending unless told otherwise. */
export const DEFAULT_ASYNC_DELAY_MS = 200;

export interface StartEmulatorOptions {
  /** Address to listen on. Default '127.0.0.1' (loopback only). */
  host?: string;
  /** Port. Default 0: any free port (see the returned `port`). */
  port?: number;
  /**
   * SQLite file. Default ':memory:' (nothing kept). The command defaults to a file in the user's config
   * folder. One emulator at a time per file: it is locked until close(), and `<db>-server.json` beside
   * it names the holder (pid and addresses) for a second one, which fails with StoreError code 'in-use'.
   */
  db?: string;
  /**
   * Bootstrap API keys accepted as `authorization: Bearer <key>`, acting as the admin user (beside the
   * keys made with CreateApiKey and login access tokens). Default: one generated key (see `generatedApiKey`).
   */
  apiKeys?: readonly string[];
  /** Namespace IDs created at start unless they exist, used exactly as given (`myns.acct`). Default none. */
  namespaces?: readonly string[];
  /** Account ID: CreateNamespace with spec.name N creates `N.<account>`. Default 'local'. */
  account?: string;
  /** How long async operations stay pending before they are fulfilled, in ms. Default 200. */
  asyncDelayMs?: number;
  /** How long close() lets running calls finish before it cuts them, in ms (health Watch streams are ended at once). Default 1000. */
  shutdownGraceMs?: number;
  /** The clock. Default: the system clock. */
  now?: () => Date;
  /** Randomness for resource versions, operation IDs and a generated API key. Default: node:crypto. */
  random?: RandomSource;
  /**
   * Receives one line per call (method, namespace, status, duration; never the API key), and per
   * gateway connection admitted or refused (with the reasons). Default: none.
   */
  log?: (line: string) => void;
  /** Port of the namespaces' mTLS gateway, on `host`. Default 0: any free port (the command's default is 7233). */
  gatewayPort?: number;
  /** `host:port` of a plaintext Temporal frontend the gateway forwards admitted clients to. Default: its own mini frontend. */
  upstream?: string;
  /**
   * The folder of the dev server CA (dev-server-ca.pem and dev-server-ca.key), made there on first
   * start and reused after. Default: the database's folder; for ':memory:', a temporary folder removed
   * by close() (a new CA each start).
   */
  caDir?: string;
  /** Namespaces' TLS server names are `<namespace id>.<gatewayDomain>`. Default 'tmprl.local'. */
  gatewayDomain?: string;
  /**
   * Port of the Prometheus metrics endpoint (`GET /metrics`, text format) on `host`: CA expiry per
   * namespace, calls by method and status, gateway admissions and refusals. 0: any free port. Default: none.
   */
  metricsPort?: number;
  /**
   * Port of the account metrics endpoint (mTLS, `https://<host>:<port>/prometheus`, the namespaces'
   * series) on `host`, admitting clients of the account's metrics CA bundle; GetAccount reports its URI
   * while the bundle holds a CA. 0: any free port. Default: none (the bundle is kept, nothing is served).
   */
  accountMetricsPort?: number;
  /** How long an access token from `tokens` (the OAuth device flow) lives, in seconds. Default 600. */
  accessTokenTtlSeconds?: number;
  /**
   * Port of the sign-in endpoint, where the emulator plays Temporal Cloud's identity provider: the OAuth
   * device flow of `tcld login --domain <auth.url>` and the page where a person approves it. Always on
   * loopback (`host` if it is a loopback address, else 127.0.0.1); approving needs an API key of the admin.
   * 0: any free port. Default: none (the command's default is 7391).
   */
  authPort?: number;
  /** The device flow's timings: how long a device code lives (default 900 s) and the least time between polls (default 5 s, at least 1). */
  deviceFlow?: { codeSeconds?: number; intervalSeconds?: number };
}

/** The namespaces' mTLS endpoint. */
export interface EmulatorGateway {
  host: string;
  port: number;
  /** `host:port`: where clients connect, with `namespaceHost(id)` as their TLS server name. */
  address: string;
  /** The dev server CA's certificate: what clients pass as their server root CA. */
  caPath: string;
  /** Whether the CA was made at this start ('missing': none was kept; 'expiring': the kept one expires within a week). */
  caMade: DevServerCa['made'];
  domain: string;
  /** Where admitted clients go: `host:port` of the upstream, or `built-in` (the mini frontend). */
  target: string;
  upstream?: string;
}

export interface Emulator {
  host: string;
  port: number;
  /** `host:port`, as a client's address. */
  address: string;
  apiKeys: readonly string[];
  /** The key generated because none was given, if one was. */
  generatedApiKey?: string;
  db: string;
  /** The namespaces of `namespaces` that did not exist and were created. */
  seededNamespaces: readonly string[];
  gateway: EmulatorGateway;
  /** The Prometheus metrics endpoint, when `metricsPort` was given: `http://<address>/metrics`. */
  metrics?: { address: string; port: number };
  /** The account metrics endpoint, when `accountMetricsPort` was given; `uri` is what GetAccount reports while it is on. */
  accountMetrics?: { address: string; port: number; uri: string };
  /** Issues, refreshes and revokes the login tokens the API accepts (for the OAuth endpoints). */
  tokens: TokenAuthority;
  /** The account's admin user (made on the first start with a database, then kept): every credential acts as it. */
  admin: { id: string; email: string };
  /** The sign-in endpoint, when `authPort` was given: `url` is what `tcld login --domain` takes; `console` the web console's URL on it. */
  auth?: { url: string; host: string; port: number; console: string };
  /** The gateway's last admissions and refusals per namespace, live (in memory): what the console shows, at `<auth url>/console/namespaces/<id>/events`. */
  admissions: AdmissionLog;
  /** A namespace's host name on the gateway, its TLS server name: `<id>.tmprl.local`. */
  namespaceHost(id: string): string;
  /** Stops the server and the sign-in endpoint (running calls get up to `shutdownGraceMs`) and the gateway, closes the database, removes a temporary CA folder. */
  close(): Promise<void>;
}

export async function startEmulator(options: StartEmulatorOptions = {}): Promise<Emulator> {
  const host = options.host ?? '127.0.0.1';
  const random = options.random ?? secureRandom;
  const account = options.account ?? 'local';
  const db = options.db ?? ':memory:';
  const generatedApiKey = options.apiKeys && options.apiKeys.length > 0 ? undefined : generateApiKey(random);
  const apiKeys = generatedApiKey === undefined ? [...options.apiKeys!] : [generatedApiKey];

  const now = options.now ?? (() => new Date());
  const domain = options.gatewayDomain ?? DEFAULT_GATEWAY_DOMAIN;
  const cleanups: Array<() => unknown> = [];
  const cleanUp = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  };
  try {
    const store = openStore(db);
    cleanups.push(() => store.close());
    if (db !== ':memory:') {
      writeOwner(db, { pid: process.pid });
      cleanups.push(() => removeOwner(db));
    }
    const metrics = options.metricsPort === undefined && options.accountMetricsPort === undefined ? undefined : createMetrics(store);
    let caDir = options.caDir;
    if (caDir === undefined && db === ':memory:') {
      const temporary = (caDir = await mkdtemp(join(tmpdir(), 'tcld-dev-server-ca-')));
      cleanups.push(() => rm(temporary, { recursive: true, force: true }));
    }
    // Before the gateway: a namespace that takes API keys checks them with its verifier.
    const identity = openIdentity({
      store,
      account,
      domain,
      bootstrapKeys: apiKeys,
      ...(options.accessTokenTtlSeconds !== undefined && { accessTokenTtlSeconds: options.accessTokenTtlSeconds }),
      now,
      random,
    });
    const admissions = createAdmissionLog({ onListenerError: (error) => options.log?.(`console: a live view failed (a bug): ${String(error)}`) });
    const devCa = await loadOrCreateDevServerCa({ dir: caDir ?? dirname(resolve(db)), now: now(), random });
    const gateway: Gateway = await startGateway({
      host,
      port: options.gatewayPort ?? 0,
      domain,
      store,
      ca: devCa.ca,
      caPath: devCa.certificatePath,
      ...(options.upstream !== undefined && { upstream: options.upstream }),
      now,
      random,
      ...(options.log && { log: options.log }),
      ...(metrics && { onConnection: metrics.countConnection, onRequest: metrics.countRequest }),
      verifyApiKey: identity.verify,
      onAdmission: admissions.record,
    });
    cleanups.push(() => gateway.close());
    const accounts = new AccountStore(store);
    const accountMetrics =
      options.accountMetricsPort === undefined
        ? undefined
        : await startAccountMetricsEndpoint({
            host,
            port: options.accountMetricsPort,
            accounts,
            account,
            ca: devCa.ca,
            registry: metrics!.namespaceRegistry,
            now,
            random,
            ...(options.log && { log: options.log }),
          });
    if (accountMetrics) cleanups.push(() => accountMetrics.close());
    const accountService = createAccountService({
      store,
      accounts,
      account,
      asyncDelayMs: options.asyncDelayMs ?? DEFAULT_ASYNC_DELAY_MS,
      now,
      random,
      ...(accountMetrics && { metricsUri: accountMetrics.uri }),
    });
    accountService.seedAccount();
    const service = createNamespaceService({
      store,
      account,
      asyncDelayMs: options.asyncDelayMs ?? DEFAULT_ASYNC_DELAY_MS,
      now,
      random,
      gateway: { domain, port: gateway.port },
      ...(options.log && { log: options.log }),
    });
    const seededNamespaces = (options.namespaces ?? []).filter((id) => service.seedNamespace(id));
    const apiKeyService = createApiKeyService({ store, identity: identity.store, asyncDelayMs: options.asyncDelayMs ?? DEFAULT_ASYNC_DELAY_MS, now, random });
    const { server, endStreams } = createServer({
      service,
      apiKeys: apiKeyService,
      users: createUserService({ store, identity: identity.store, now }),
      accounts: accountService,
      authenticate: createAuthenticator(identity.verify),
      account,
      ...(options.log && { log: options.log }),
      ...(metrics && { onCall: metrics.countCall }),
    });
    let port: number;
    try {
      port = await listen(server, host, options.port ?? 0);
    } catch (error) {
      server.forceShutdown();
      throw error;
    }
    cleanups.push(() => {
      endStreams();
      return shutdown(server, options.shutdownGraceMs);
    });
    const metricsServer = metrics && options.metricsPort !== undefined ? await serveMetrics(metrics.registry, host, options.metricsPort) : undefined;
    if (metricsServer) cleanups.push(() => metricsServer.close());
    const authServer =
      options.authPort === undefined
        ? undefined
        : await startAuthServer({
            authority: identity.tokens,
            signIn: createAdminSignIn({ identity, now }),
            host: isLoopback(host) ? host : '127.0.0.1',
            port: options.authPort,
            ...(options.deviceFlow?.codeSeconds !== undefined && { deviceCodeSeconds: options.deviceFlow.codeSeconds }),
            ...(options.deviceFlow?.intervalSeconds !== undefined && { intervalSeconds: options.deviceFlow.intervalSeconds }),
            now,
            random,
            ...(options.log && { log: options.log }),
            ...(options.shutdownGraceMs !== undefined && { graceMs: options.shutdownGraceMs }),
            console: {
              actions: createConsoleActions({ namespaces: service, accounts: accountService, apiKeys: apiKeyService }),
              admissions,
              exists: (id) => store.resourceVersion(id) !== undefined,
            },
          });
    if (authServer) cleanups.push(() => authServer.close());
    if (db !== ':memory:') {
      writeOwner(db, {
        pid: process.pid,
        api: formatHostPort(host, port),
        gateway: gateway.address,
        ...(metricsServer && { metrics: formatHostPort(host, metricsServer.port) }),
        ...(authServer && { auth: formatHostPort(authServer.host, authServer.port) }),
      });
    }
    let closing: Promise<void> | undefined;
    return {
      host,
      port,
      address: formatHostPort(host, port),
      apiKeys,
      ...(generatedApiKey !== undefined && { generatedApiKey }),
      db,
      seededNamespaces,
      gateway: {
        host,
        port: gateway.port,
        address: gateway.address,
        caPath: devCa.certificatePath,
        caMade: devCa.made,
        domain,
        target: gateway.target,
        ...(options.upstream !== undefined && { upstream: options.upstream }),
      },
      ...(metricsServer && { metrics: { address: formatHostPort(host, metricsServer.port), port: metricsServer.port } }),
      ...(accountMetrics && { accountMetrics: { address: accountMetrics.address, port: accountMetrics.port, uri: accountMetrics.uri } }),
      tokens: identity.tokens,
      admin: { id: identity.admin.id, email: identity.admin.email },
      ...(authServer && { auth: { url: authServer.url, host: authServer.host, port: authServer.port, console: authServer.consoleUrl! } }),
      admissions,
      namespaceHost: (id) => `${id}.${domain}`,
      close() {
        return (closing ??= cleanUp());
      },
    };
  } catch (error) {
    await cleanUp();
    throw error;
  }
}

/** The store, or for a file another process holds, an error that names the holder. */
function openStore(db: string): Store {
  try {
    return new Store(db);
  } catch (error) {
    if (error instanceof StoreError && error.code === 'in-use') throw new StoreError(`database ${db} is in use by ${describeOwner(readOwner(db))}`, 'in-use');
    throw error;
  }
}

