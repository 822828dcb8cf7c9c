/**
 * Test helpers: an emulator on 127.0.0.1:0 with an injectable clock, and the official
 * @temporalio/cloud client connected to it in plaintext.
 */
import assert from 'node:assert/strict';
import { credentials, status, type ServiceError } from '@grpc/grpc-js';
import { CloudOperationsClient, CloudOperationsConnection } from '@temporalio/cloud';
import { API_VERSION, API_VERSION_HEADER } from '../cloud/proto.js';
import { startEmulator, type Emulator, type StartEmulatorOptions } from './index.js';

export const TEST_KEY = 'test-api-key';

/** The CloudService methods the emulator answers (every other one is UNIMPLEMENTED), as the tests expect them. */
export const IMPLEMENTED: readonly string[] = [
  'GetNamespaces',
  'GetNamespace',
  'CreateNamespace',
  'UpdateNamespace',
  'DeleteNamespace',
  'GetAsyncOperation',
  'CreateApiKey',
  'GetApiKey',
  'GetApiKeys',
  'UpdateApiKey',
  'DeleteApiKey',
  'GetCurrentIdentity',
  'GetUsers',
  'GetUser',
  'GetAccount',
  'UpdateAccount',
];

/** A clock tests move by hand. */
export function manualClock(start = Date.parse('2025-06-01T12:00:00Z')) {
  let ms = start;
  return {
    now: () => new Date(ms),
    advance(by: number) {
      ms += by;
    },
  };
}

export async function startTestEmulator(options: StartEmulatorOptions = {}): Promise<Emulator> {
  return startEmulator({ port: 0, host: '127.0.0.1', apiKeys: [TEST_KEY], ...options });
}

export interface ConnectOptions {
  /** '' sends no authorization header. Default TEST_KEY. */
  apiKey?: string;
  /** Keep the client's default retry interceptor. Default true. */
  retries?: boolean;
}

export interface OfficialClient {
  client: CloudOperationsClient;
  cloud: CloudOperationsClient['cloudService'];
  health: CloudOperationsConnection['healthService'];
  close(): void;
}

/** The official client on a plaintext connection: its `cloudService` sends the API version header. */
export async function connectOfficialClient(emulator: Pick<Emulator, 'address'>, options: ConnectOptions = {}): Promise<OfficialClient> {
  const connectOptions = {
    address: emulator.address,
    apiKey: options.apiKey ?? TEST_KEY,
    // Not among the documented options, but the connection takes it over its TLS default: plaintext for 127.0.0.1.
    credentials: credentials.createInsecure(),
    ...(options.retries === false && { interceptors: [] }),
    metadata: { [API_VERSION_HEADER]: API_VERSION },
  };
  const connection = await CloudOperationsConnection.connect(connectOptions);
  const client = new CloudOperationsClient({ connection, apiVersion: API_VERSION });
  return { client, cloud: client.cloudService, health: connection.healthService, close: () => connection.close() };
}

/** Runs `call` and returns the gRPC error it fails with (the test fails if it succeeds). */
export async function grpcError(call: () => Promise<unknown>): Promise<ServiceError> {
  try {
    await call();
  } catch (error) {
    if (typeof (error as ServiceError).code === 'number') return error as ServiceError;
    throw error;
  }
  throw new Error('expected the call to fail');
}

export { status };

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Prometheus text exposition format (every line checked): `# HELP`/`# TYPE` lines, and `name{label="value",...} number` samples. */
export function parseExposition(text: string): Sample[] {
  const samples: Sample[] = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    if (line.startsWith('#')) {
      assert.match(line, /^# (HELP [a-zA-Z_:][a-zA-Z0-9_:]* .*|TYPE [a-zA-Z_:][a-zA-Z0-9_:]* (counter|gauge|histogram|summary|untyped))$/, line);
      continue;
    }
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*",?)*)\})? (\S+)$/.exec(line);
    assert.ok(match, `not a sample line: ${line}`);
    const labels: Record<string, string> = {};
    for (const [, name, value] of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[name!] = value!.replace(/\\(.)/g, '$1');
    const value = Number(match[3]);
    assert.ok(!Number.isNaN(value), line);
    samples.push({ name: match[1]!, labels, value });
  }
  return samples;
}
