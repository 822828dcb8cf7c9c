import assert from 'node:assert/strict';
import { connect as connectHttp2, constants } from 'node:http2';
import { Client, Metadata, credentials, status, type ServiceError } from '@grpc/grpc-js';
import { after, before, describe, it } from 'node:test';
import { CLOUD_SERVICE, proto } from '../cloud/proto.js';
import type { Emulator } from './index.js';
import { MAX_MESSAGE_BYTES } from './server.js';
import { IMPLEMENTED, TEST_KEY, connectOfficialClient, startTestEmulator } from './test-support.js';

const passThrough = (bytes: Buffer) => bytes;
/** Field 1, length-delimited, claiming 5 bytes where 1 follows: no protobuf message decodes it. */
const TRUNCATED = Buffer.from([0x0a, 0x05, 0x61]);

function withKey(): Metadata {
  const metadata = new Metadata();
  metadata.set('authorization', `Bearer ${TEST_KEY}`);
  return metadata;
}

describe('emulator server › hostile requests, with a raw gRPC client', () => {
  let emulator: Emulator;
  let client: Client;
  before(async () => {
    emulator = await startTestEmulator({ namespaces: ['myns.acct'] });
    client = new Client(emulator.address, credentials.createInsecure());
  });
  after(async () => {
    client.close();
    await emulator.close();
  });

  function call(path: string, body: Buffer, metadata = new Metadata()): Promise<{ code: status; details: string }> {
    return new Promise((resolve) => {
      // A deadline, so that an answer the client cannot read fails the test instead of hanging it.
      client.makeUnaryRequest(path, passThrough, passThrough, body, metadata, { deadline: Date.now() + 20_000 }, (error: ServiceError | null) =>
        resolve(error ? { code: error.code, details: error.details } : { code: status.OK, details: '' }),
      );
    });
  }

  it('answers a malformed body UNAUTHENTICATED without the API key, and INVALID_ARGUMENT with it, naming the method', async () => {
    for (const name of IMPLEMENTED) {
      const path = `/${CLOUD_SERVICE}/${name}`;
      assert.equal((await call(path, TRUNCATED)).code, status.UNAUTHENTICATED, name);
      const answer = await call(path, TRUNCATED, withKey());
      assert.equal(answer.code, status.INVALID_ARGUMENT, name);
      assert.match(answer.details, new RegExp(`^the ${name} request is not a valid protobuf message \\(index out of range(: .*)?\\)$`));
    }
  });

  it('answers a malformed body UNIMPLEMENTED for a method it does not emulate, once the key is checked', async () => {
    assert.equal((await call(`/${CLOUD_SERVICE}/GetUserGroups`, TRUNCATED)).code, status.UNAUTHENTICATED);
    assert.equal((await call(`/${CLOUD_SERVICE}/GetUserGroups`, TRUNCATED, withKey())).code, status.UNIMPLEMENTED);
  });

  it('answers a malformed Health/Check and Health/Watch INVALID_ARGUMENT', async () => {
    assert.equal((await call('/grpc.health.v1.Health/Check', TRUNCATED)).code, status.INVALID_ARGUMENT);
    const stream = client.makeServerStreamRequest('/grpc.health.v1.Health/Watch', passThrough, passThrough, TRUNCATED);
    const error = await new Promise<ServiceError>((resolve) => stream.once('error', resolve));
    assert.equal(error.code, status.INVALID_ARGUMENT);
    assert.match(error.details, /^the Watch request is not a valid protobuf message/);
  });

  it(`reads a request of up to ${MAX_MESSAGE_BYTES} bytes, refuses a larger one with RESOURCE_EXHAUSTED, and keeps its error messages short`, async () => {
    const { GetNamespaceRequest } = proto().temporal.api.cloud.cloudservice.v1;
    const request = (size: number) => {
      const encoded = (length: number) => Buffer.from(GetNamespaceRequest.encode({ namespace: 'x'.repeat(length) }).finish());
      // The length prefix grows with the name: aim at `size` bytes in all.
      return encoded(size - (encoded(size).length - size));
    };
    const largest = await call(`/${CLOUD_SERVICE}/GetNamespace`, request(MAX_MESSAGE_BYTES), withKey());
    assert.equal(largest.code, status.NOT_FOUND);
    assert.match(largest.details, /^namespace "x{100}\.\.\." not found$/);
    const over = await call(`/${CLOUD_SERVICE}/GetNamespace`, request(MAX_MESSAGE_BYTES + 1), withKey());
    assert.equal(over.code, status.RESOURCE_EXHAUSTED);
  });

  it('keeps error messages short: a 100,000-character name is not sent back whole (at most 1 KiB, the server backstop)', async () => {
    const { CreateNamespaceRequest } = proto().temporal.api.cloud.cloudservice.v1;
    const body = Buffer.from(CreateNamespaceRequest.encode({ spec: { name: 'n'.repeat(100_000), regions: ['local'], retentionDays: 3 } }).finish());
    const answer = await call(`/${CLOUD_SERVICE}/CreateNamespace`, body, withKey());
    assert.equal(answer.code, status.INVALID_ARGUMENT);
    assert.match(answer.details, /^spec\.name: namespace name "n+…" has 100000 characters/);
    assert.ok(answer.details.length <= 1024 + 40, `${answer.details.length} characters`);
  });

  it('answers the health check and another client while a request stalls halfway through its body', async () => {
    const session = connectHttp2(`http://${emulator.address}`);
    const stalled = session.request({
      [constants.HTTP2_HEADER_METHOD]: 'POST',
      [constants.HTTP2_HEADER_PATH]: `/${CLOUD_SERVICE}/GetNamespace`,
      'content-type': 'application/grpc',
      te: 'trailers',
      authorization: `Bearer ${TEST_KEY}`,
    });
    stalled.on('error', () => {});
    // A gRPC frame header announcing 1 MB, then 10 bytes of it, and nothing more.
    const header = Buffer.alloc(5);
    header.writeUInt32BE(1_000_000, 1);
    stalled.write(Buffer.concat([header, Buffer.alloc(10)]));
    try {
      const other = await connectOfficialClient(emulator, { retries: false });
      try {
        assert.equal((await other.health.check({})).status, 1 /* SERVING */);
        assert.equal((await other.cloud.getNamespace({ namespace: 'myns.acct' })).namespace?.namespace, 'myns.acct');
      } finally {
        other.close();
      }
      assert.equal(stalled.closed, false, 'the stalled request is still waiting for its body');
    } finally {
      stalled.close();
      session.close();
    }
  });
});
