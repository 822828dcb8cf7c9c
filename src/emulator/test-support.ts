/**
 * Test helpers: an emulator on 127.0.0.1:0 with an injectable clock, and the official
 * @temporalio/cloud client connected to it in plaintext.
 */
import { credentials, status, type ServiceError } from '@grpc/grpc-js';
import { CloudOperationsClient, CloudOperationsConnection } from '@temporalio/cloud';
import { API_VERSION, API_VERSION_HEADER } from '../cloud/proto.js';
import { startEmulator, type Emulator, type StartEmulatorOptions } from './index.js';

export const TEST_KEY = 'test-api-key';

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
