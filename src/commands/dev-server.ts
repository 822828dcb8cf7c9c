import { mkdirSync } from 'node:fs';
import { isIP } from 'node:net';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { UsageError, UserError } from '../errors.js';
import { DurationError, parseDuration } from '../pki/duration.js';
import { ListenError, PortInUseError, StoreError, startEmulator } from '../emulator/index.js';
import type { Deps } from './deps.js';

export interface DevServerOptions {
  port: string;
  ip: string;
  db?: string;
  apiKey?: string[];
  namespace?: string[];
  account: string;
  asyncDelay: string;
  gatewayPort: string;
  upstream?: string;
}

/** `tcld dev-server`: runs the Cloud Ops API emulator until SIGINT or SIGTERM. */
export async function run(options: DevServerOptions, deps: Deps): Promise<void> {
  const port = parsePort(options.port);
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
  const db = databasePath(options.db, deps.env);

  let emulator;
  try {
    emulator = await startEmulator({
      host: options.ip,
      port,
      db,
      ...(options.apiKey?.length && { apiKeys: options.apiKey }),
      namespaces: options.namespace ?? [],
      account: options.account,
      asyncDelayMs,
      now: deps.now,
      random: deps.random,
      log: (line) => deps.out(`${deps.now().toISOString()} ${line}`),
    });
  } catch (error) {
    if (error instanceof PortInUseError) throw new UserError(`port ${error.port} is in use; choose another with --port`);
    if (error instanceof ListenError) throw new UserError(`${error.message}; choose another --ip or --port`);
    if (error instanceof StoreError) throw new UserError(`${error.message}; choose another with --db`);
    throw error;
  }

  try {
    const { address } = emulator;
    deps.out(`tcld dev-server: Cloud Ops API on ${address} (plaintext gRPC; tcld --server ${address} --insecure --api-key <key>)`);
    deps.out(`database: ${db}`);
    if (emulator.seededNamespaces.length > 0) deps.out(`created namespaces: ${emulator.seededNamespaces.join(', ')}`);
    if (emulator.generatedApiKey !== undefined) deps.out(`API key: ${emulator.generatedApiKey}`);
    await stopped(deps.signal);
  } finally {
    await emulator.close();
  }
  deps.out('tcld dev-server: stopped');
}

function parsePort(text: string): number {
  const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
  if (!(port >= 0 && port <= 65535)) throw new UsageError(`--port must be a number from 0 to 65535 (got "${text}")`);
  return port;
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
  const xdg = env['XDG_CONFIG_HOME'];
  const config = xdg && xdg.startsWith('/') ? xdg : join(env['HOME'] || homedir(), '.config');
  const folder = join(config, 'tcld');
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
  } catch (error) {
    throw new UserError(`cannot create ${folder} for the database: ${(error as Error).message}; choose a file with --db`);
  }
  return join(folder, 'dev-server.db');
}

function stopped(signal: AbortSignal): Promise<void> {
  return new Promise((done) => {
    if (signal.aborted) done();
    else signal.addEventListener('abort', () => done(), { once: true });
  });
}
