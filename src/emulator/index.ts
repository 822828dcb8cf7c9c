/**
 * A local emulator of Temporal Cloud's Cloud Ops API (`tcld dev-server`), started in-process by the
 * command, the tests, the demo and the bench.
 */
import { secureRandom, type RandomSource } from '../pki/random.js';
import { createAuthenticator } from './auth.js';
import { generateApiKey } from './ids.js';
import { createServer, listen, shutdown } from './server.js';
import { createNamespaceService } from './service.js';
import { Store } from './store.js';

export { endpointsOf } from './namespace-view.js';
export { ListenError, PortInUseError } from './server.js';
export { StoreError } from './store.js';

/** How long async operations stay pending unless told otherwise. */
export const DEFAULT_ASYNC_DELAY_MS = 200;

export interface StartEmulatorOptions {
  /** Address to listen on. Default '127.0.0.1' (loopback only). */
  host?: string;
  /** Port. Default 0: any free port (see the returned `port`). */
  port?: number;
  /** SQLite file. Default ':memory:' (nothing kept). The command defaults to a file in the user's config folder. */
  db?: string;
  /** API keys accepted as `authorization: Bearer <key>`. Default: one generated key (see `generatedApiKey`). */
  apiKeys?: readonly string[];
  /** Namespace IDs created at start unless they exist, used exactly as given (`myns.acct`). Default none. */
  namespaces?: readonly string[];
  /** Account ID: CreateNamespace with spec.name N creates `N.<account>`. Default 'local'. */
  account?: string;
  /** How long async operations stay pending before they are fulfilled, in ms. Default 200. */
  asyncDelayMs?: number;
  /** The clock. Default: the system clock. */
  now?: () => Date;
  /** Randomness for resource versions, operation IDs and a generated API key. Default: node:crypto. */
  random?: RandomSource;
  /** Receives one line per call (method, namespace, status, duration; never the API key). Default: none. */
  log?: (line: string) => void;
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
  /** Stops the server (running calls get up to a second) and closes the database. */
  close(): Promise<void>;
}

export async function startEmulator(options: StartEmulatorOptions = {}): Promise<Emulator> {
  const host = options.host ?? '127.0.0.1';
  const random = options.random ?? secureRandom;
  const account = options.account ?? 'local';
  const db = options.db ?? ':memory:';
  const generatedApiKey = options.apiKeys && options.apiKeys.length > 0 ? undefined : generateApiKey(random);
  const apiKeys = generatedApiKey === undefined ? [...options.apiKeys!] : [generatedApiKey];

  const store = new Store(db);
  try {
    const service = createNamespaceService({
      store,
      account,
      asyncDelayMs: options.asyncDelayMs ?? DEFAULT_ASYNC_DELAY_MS,
      now: options.now ?? (() => new Date()),
      random,
    });
    const seededNamespaces = (options.namespaces ?? []).filter((id) => service.seedNamespace(id));
    const { server, endStreams } = createServer({ service, authenticate: createAuthenticator(apiKeys), account, ...(options.log && { log: options.log }) });
    let port: number;
    try {
      port = await listen(server, host, options.port ?? 0);
    } catch (error) {
      server.forceShutdown();
      throw error;
    }
    let closing: Promise<void> | undefined;
    return {
      host,
      port,
      address: host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`,
      apiKeys,
      ...(generatedApiKey !== undefined && { generatedApiKey }),
      db,
      seededNamespaces,
      close() {
        return (closing ??= (async () => {
          endStreams();
          await shutdown(server);
          store.close();
        })());
      },
    };
  } catch (error) {
    store.close();
    throw error;
  }
}
