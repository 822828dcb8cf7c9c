import { mkdirSync } from 'node:fs';
import { isIP } from 'node:net';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { InputError, UsageError, UserError } from '../errors.js';
import { DurationError, parseDuration } from '../pki/duration.js';
import { GatewayError, ListenError, PortInUseError, SqliteUnavailableError, StoreError, startEmulator, type Listener, type StoreErrorCode } from '../emulator/index.js';
import type { Deps } from './deps.js';

export interface DevServerOptions {
  port: string;
  ip: string;
  db?: string;
  apiKey?: string[];
  /** A file of API keys, one per line; blank lines and lines starting with # are ignored. */
  apiKeyFile?: string;
  namespace?: string[];
  account: string;
  asyncDelay: string;
  gatewayPort: string;
  /** Port of the sign-in endpoint (OAuth device flow for tcld login), always on loopback. */
  authPort: string;
  /** Port of the Prometheus metrics endpoint; none when not given. */
  metricsPort?: string;
  /** Port of the account metrics endpoint (mTLS); none when not given. */
  accountMetricsPort?: string;
  upstream?: string;
}

/**
 * `tcld dev-server`: runs the Cloud Ops API emulator and the namespaces' mTLS endpoint until SIGINT or
 * SIGTERM. The dev server CA (the endpoint's server root CA) is kept beside the database; with
 * `--db :memory:` in the user config folder, where the default database lives, so that clients
 * configured with it keep working across throwaway runs.
 */
export async function run(options: DevServerOptions, deps: Deps): Promise<void> {
  const port = parsePort(options.port, '--port');
  const gatewayPort = parsePort(options.gatewayPort, '--gateway-port');
  const authPort = parsePort(options.authPort, '--auth-port');
  const metricsPort = options.metricsPort === undefined ? undefined : parsePort(options.metricsPort, '--metrics-port');
  const accountMetricsPort = options.accountMetricsPort === undefined ? undefined : parsePort(options.accountMetricsPort, '--account-metrics-port');
  const asyncDelayMs = parseAsyncDelay(options.asyncDelay);
  if (isIP(options.ip) === 0) throw new UsageError(`--ip must be an IP address such as 127.0.0.1 or ::1 (got "${options.ip}")`);
  if (!/^[a-z0-9][a-z0-9-]*$/i.test(options.account)) {
    throw new UsageError(`--account must be letters, digits and hyphens, such as "local" or "acct" (got "${options.account}")`);
  }
  for (const id of options.namespace ?? []) {
    if (!/^[^\s.][^\s]*$/.test(id)) throw new UsageError(`--namespace must be a namespace ID such as myns.acct (got "${id}")`);
  }
  for (const key of options.apiKey ?? []) {
    if (key.trim() === '') throw new UsageError('--api-key must not be empty');
  }
  const apiKeys = await apiKeysOf(options, deps);
  if (options.upstream !== undefined) checkUpstream(options.upstream, options.ip, gatewayPort);
  const db = databasePath(options.db, deps.env);
  const caDir = db === ':memory:' ? configFolder(deps.env, 'the dev server CA', 'use --db <file> to keep it beside a database') : dirname(db);

  let emulator;
  try {
    emulator = await startEmulator({
      host: options.ip,
      port,
      db,
      ...(apiKeys.length > 0 && { apiKeys }),
      namespaces: options.namespace ?? [],
      account: options.account,
      asyncDelayMs,
      now: deps.now,
      random: deps.random,
      log: (line) => deps.out(`${deps.now().toISOString()} ${line}`),
      gatewayPort,
      authPort,
      ...(options.upstream !== undefined && { upstream: options.upstream }),
      caDir,
      ...(metricsPort !== undefined && { metricsPort }),
      ...(accountMetricsPort !== undefined && { accountMetricsPort }),
    });
  } catch (error) {
    const flag = error instanceof ListenError ? LISTENER_FLAGS[error.listener] : '--port';
    if (error instanceof PortInUseError) throw new UserError(`port ${error.port} is in use; choose another with ${flag}`);
    if (error instanceof ListenError) throw new UserError(`${error.message}; choose another --ip or ${flag}`);
    if (error instanceof SqliteUnavailableError) {
      // Its folder's parent is the node_modules folder of the package (or project) to rebuild it in.
      const project = dirname(dirname(error.moduleDir));
      throw new UserError(`better-sqlite3 (the dev-server's database) is not built for this Node.js: run \`npm rebuild better-sqlite3\` in ${project}`);
    }
    if (error instanceof StoreError) throw new UserError(`${error.message}; ${STORE_ADVICE[error.code]}`);
    if (error instanceof GatewayError) throw new UserError(error.message);
    throw error;
  }

  try {
    const { address } = emulator;
    const { gateway } = emulator;
    deps.out(`tcld dev-server: Cloud Ops API on ${address} (plaintext gRPC; tcld --server ${address} --insecure --api-key <key>)`);
    deps.out(`mTLS namespace endpoint on ${gateway.address} (TLS server name <namespace>.${gateway.domain}; server root CA ${gateway.caPath})`);
    deps.out(
      gateway.upstream !== undefined
        ? `admitted clients are forwarded to ${gateway.upstream}`
        : 'admitted clients reach a built-in frontend that answers GetSystemInfo and Health/Check only (--upstream forwards to a Temporal server)',
    );
    if (emulator.auth) {
      const { url } = emulator.auth;
      deps.out(`sign-in (OAuth device flow) on ${url}: tcld login --domain ${url} --disable-pop-up (approve on the page with one of this server's API keys), then tcld -s ${address} --insecure <command>`);
      deps.out(`web console on ${emulator.auth.console}: namespaces, their CAs and expiry, recent connections (changes take signing in with one of this server's API keys)`);
    }
    if (gateway.caMade === 'missing') deps.out(`made the dev server CA ${gateway.caPath}`);
    if (gateway.caMade === 'expiring') deps.out(`the dev server CA was about to expire: made a new one, ${gateway.caPath}; clients must trust it again`);
    if (emulator.metrics) deps.out(`Prometheus metrics on http://${emulator.metrics.address}/metrics`);
    if (emulator.accountMetrics) {
      deps.out(`account metrics endpoint on ${emulator.accountMetrics.uri} (mTLS: clients of the account's metrics CA bundle; server root CA ${gateway.caPath})`);
    }
    deps.out(`database: ${db}`);
    if (emulator.seededNamespaces.length > 0) deps.out(`created namespaces: ${emulator.seededNamespaces.join(', ')}`);
    if (emulator.generatedApiKey !== undefined) deps.out(`API key: ${emulator.generatedApiKey}`);
    await stopped(deps.signal);
  } finally {
    await emulator.close();
  }
  deps.out('tcld dev-server: stopped');
}

/**
 * The environment variable of the dev-server's API keys (comma- or newline-separated). Not tcld's
 * TEMPORAL_CLOUD_API_KEY: that one holds the key a client sends, often a real Temporal Cloud key,
 * which a local emulator should not silently adopt.
 */
export const API_KEYS_ENV = 'TCLD_DEV_SERVER_API_KEYS';

/**
 * The keys to accept: those of --api-key and --api-key-file together, else those of
 * TCLD_DEV_SERVER_API_KEYS; none means one is generated. A file or a variable that holds no key is
 * an error rather than a generated key the user did not expect. Messages never show a file's contents.
 */
async function apiKeysOf(options: DevServerOptions, deps: Deps): Promise<string[]> {
  const keys = [...(options.apiKey ?? [])];
  if (options.apiKeyFile !== undefined) {
    const text = await deps.files.readText(options.apiKeyFile, 'API key file');
    const fromFile = text
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line !== '' && !line.startsWith('#'));
    if (fromFile.length === 0) {
      throw new InputError(`API key file ${options.apiKeyFile} holds no API key: write one key per line (blank lines and lines starting with # are ignored)`);
    }
    keys.push(...fromFile);
  }
  if (options.apiKey !== undefined || options.apiKeyFile !== undefined) return keys;
  const fromEnv = deps.env[API_KEYS_ENV];
  if (fromEnv === undefined || fromEnv === '') return [];
  const envKeys = fromEnv
    .split(/[,\n]/)
    .map((key) => key.trim())
    .filter((key) => key !== '');
  if (envKeys.length === 0) throw new UsageError(`${API_KEYS_ENV} holds no API key: set it to one or more keys separated by commas, or unset it`);
  return envKeys;
}

const LISTENER_FLAGS: Record<Listener, string> = { api: '--port', gateway: '--gateway-port', metrics: '--metrics-port', auth: '--auth-port', 'account-metrics': '--account-metrics-port' };

const STORE_ADVICE: Record<StoreErrorCode, string> = {
  unopenable: 'choose another with --db',
  'in-use': 'stop it, or choose another --db',
  foreign: 'choose another --db',
  newer: 'use that tcld, or choose another --db',
  'sqlite-unavailable': 'run `npm rebuild better-sqlite3` in the folder tcld is installed in',
};

function parsePort(text: string, flag: string): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port >= 0 && port <= 65535)) throw new UsageError(`${flag} must be a number from 0 to 65535 (got "${text}")`);
  return port;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '0.0.0.0', '::']);

/** `host:port` (`[v6]:port`), and not the gateway itself, which would forward to itself forever. */
function checkUpstream(upstream: string, ip: string, gatewayPort: number): void {
  const match = /^(?:\[([^\]\s]+)\]|([^:\s[\]]+)):(\d{1,5})$/.exec(upstream);
  const port = match ? Number(match[3]) : NaN;
  if (!match || !(port >= 1 && port <= 65535)) {
    throw new UsageError(`--upstream must be host:port of a Temporal frontend, such as 127.0.0.1:7233 (got "${upstream}")`);
  }
  const host = match[1] ?? match[2]!;
  if (port === gatewayPort && (host === ip || LOOPBACK.has(host))) {
    throw new UsageError(`--upstream ${upstream} is this dev-server's own --gateway-port: start the Temporal server on another port (temporal server start-dev --port 7234)`);
  }
}

function parseAsyncDelay(text: string): number {
  let ms: number;
  try {
    ms = parseDuration(text);
  } catch (error) {
    if (error instanceof DurationError) throw new UsageError(`--async-delay: ${error.message}`);
    throw error;
  }
  if (ms < 0) throw new UsageError(`--async-delay must not be negative (got "${text}")`);
  return ms;
}

/**
 * The database file: --db as given (':memory:' keeps nothing), or dev-server.db in the user's config
 * folder ($XDG_CONFIG_HOME/tcld or ~/.config/tcld), created private (0700) when missing.
 */
function databasePath(db: string | undefined, env: Deps['env']): string {
  if (db === ':memory:') return db;
  if (db !== undefined) {
    if (db.trim() === '') throw new UsageError('--db must be a file path or :memory:');
    return resolve(db);
  }
  return join(configFolder(env, 'the database', 'choose a file with --db'), 'dev-server.db');
}

/** $XDG_CONFIG_HOME/tcld or ~/.config/tcld, created private (0700) when missing. */
function configFolder(env: Deps['env'], what: string, instead: string): string {
  const xdg = env['XDG_CONFIG_HOME'];
  const config = xdg && xdg.startsWith('/') ? xdg : join(env['HOME'] || homedir(), '.config');
  const folder = join(config, 'tcld');
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new UserError(`cannot create ${folder} for ${what}: ${(error as Error).message}; ${instead}`);
  }
  return folder;
}

function stopped(signal: AbortSignal): Promise<void> {
  return new Promise((done) => {
    if (signal.aborted) done();
    else signal.addEventListener('abort', () => done(), { once: true });
  });
}
