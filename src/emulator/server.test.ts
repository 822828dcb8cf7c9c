import assert from 'node:assert/strict';
import { Client, Metadata, credentials, status, type ServiceError } from '@grpc/grpc-js';
import { after, before, describe, it } from 'node:test';
import { CLOUD_SERVICE, proto, serviceMethods } from '../cloud/proto.js';
import type { Emulator } from './index.js';
import { IMPLEMENTED, TEST_KEY, startTestEmulator } from './test-support.js';

const passThrough = (bytes: Buffer) => bytes;

describe('emulator server, with a raw gRPC client', () => {
  let emulator: Emulator;
  let client: Client;
  before(async () => {
    emulator = await startTestEmulator();
    client = new Client(emulator.address, credentials.createInsecure());
  });
  after(async () => {
    client.close();
    await emulator.close();
  });

  /** Calls `path` with an empty request and resolves the status code it answers. */
  function call(path: string, metadata = new Metadata()): Promise<{ code: status; details: string }> {
    return new Promise((resolve) => {
      client.makeUnaryRequest(path, passThrough, passThrough, Buffer.alloc(0), metadata, (error: ServiceError | null) =>
        resolve(error ? { code: error.code, details: error.details } : { code: status.OK, details: '' }),
      );
    });
  }

  it('registers every CloudService method: the ones it emulates answer, every other one answers UNIMPLEMENTED naming itself', async () => {
    const methods = serviceMethods(CLOUD_SERVICE);
    assert.ok(methods.length > 50, `only ${methods.length} methods`);
    const withKey = new Metadata();
    withKey.set('authorization', `Bearer ${TEST_KEY}`);
    for (const method of methods) {
      const answer = await call(method.path, withKey);
      if (IMPLEMENTED.includes(method.name)) {
        assert.notEqual(answer.code, status.UNIMPLEMENTED, method.name);
      } else {
        assert.equal(answer.code, status.UNIMPLEMENTED, method.name);
        assert.match(answer.details, new RegExp(`^${method.name} is not implemented`));
      }
    }
  });

  it('asks for the API key before anything else, even for unimplemented methods', async () => {
    for (const name of ['GetNamespace', 'GetUserGroups']) {
      assert.equal((await call(`/${CLOUD_SERVICE}/${name}`)).code, status.UNAUTHENTICATED, name);
    }
  });

  it('answers UNIMPLEMENTED for a path no service has', async () => {
    assert.equal((await call('/temporal.api.cloud.cloudservice.v1.CloudService/NoSuchMethod')).code, status.UNIMPLEMENTED);
  });

  it('Health/Check › answers NOT_FOUND for a service it does not serve', async () => {
    const { HealthCheckRequest } = proto().grpc.health.v1;
    const request = Buffer.from(HealthCheckRequest.encode({ service: 'no.such.Service' }).finish());
    const code = await new Promise<status>((resolve) =>
      client.makeUnaryRequest('/grpc.health.v1.Health/Check', passThrough, passThrough, request, new Metadata(), (error: ServiceError | null) =>
        resolve(error?.code ?? status.OK),
      ),
    );
    assert.equal(code, status.NOT_FOUND);
  });

  // A grace period far beyond this test's timeout: a close() that waited for the stream would fail the test by timing out.
  it('Health/Watch › streams SERVING, and close() ends the stream instead of waiting for it', { timeout: 30_000 }, async (t) => {
    const { HealthCheckResponse } = proto().grpc.health.v1;
    const watching = await startTestEmulator({ shutdownGraceMs: 3_600_000 });
    const watcher = new Client(watching.address, credentials.createInsecure());
    const stream = watcher.makeServerStreamRequest('/grpc.health.v1.Health/Watch', passThrough, passThrough, Buffer.alloc(0));
    t.after(() => {
      // On a timeout: end the stream, so that close() can finish and the process exit.
      stream.cancel();
      watcher.close();
    });
    const first = await new Promise<Buffer>((resolve) => stream.once('data', resolve));
    assert.equal(HealthCheckResponse.decode(first).status, HealthCheckResponse.ServingStatus.SERVING);
    const ended = new Promise<{ code: status }>((resolve) => stream.once('status', resolve));
    await watching.close();
    // Ended by the server (OK), not cut when the shutdown's grace period ran out (CANCELLED or UNAVAILABLE).
    assert.equal((await ended).code, status.OK);
    watcher.close();
  });
});
