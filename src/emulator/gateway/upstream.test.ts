import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Client, Metadata, Server, ServerCredentials, credentials, type ServerUnaryCall, type ServerWritableStream, type sendUnaryData } from '@grpc/grpc-js';
import { Connection } from '@temporalio/client';
import { HEALTH_SERVICE, serviceMethods } from '../../cloud/proto.js';
import type { GeneratedCertificate } from '../../pki/ca.js';
import type { Emulator } from '../index.js';
import { definitionOf } from '../server.js';
import { connectOfficialClient, startTestEmulator, status, TEST_KEY } from '../test-support.js';
import { WORKFLOW_SERVICE } from './frontend.js';
import { logLines, makeCa, makeLeaf, rawConnect, sdkGetSystemInfo, setMtls } from './test-support.js';

const NS = 'myns.acct';

/** A plain grpc-js client on the namespace's endpoint, with the client certificate: no retries, any method. */
function grpcClient(emulator: Emulator, client: GeneratedCertificate): Client {
  return new Client(
    emulator.gateway.address,
    credentials.createSsl(readFileSync(emulator.gateway.caPath), Buffer.from(client.privateKeyPem), Buffer.from(client.certificatePem)),
    { 'grpc.ssl_target_name_override': emulator.namespaceHost(NS) },
  );
}

function metadataOf(values: Record<string, string>): Metadata {
  const metadata = new Metadata();
  for (const [key, value] of Object.entries(values)) metadata.set(key, value);
  return metadata;
}
const OTHER = 'other.acct';
const UPSTREAM_VERSION = 'fake upstream 9.9.9';

interface Reached {
  path: string;
  /** The temporal-namespace header as it reached the upstream. */
  header: string | undefined;
  namespace?: string;
  /** The authorization header, when one reached the upstream. */
  authorization?: string;
}

/**
 * A plaintext gRPC server standing in for `temporal server start-dev`: it answers every WorkflowService
 * method (GetSystemInfo says who it is; the others answer an empty response), streams two answers to
 * Health/Watch, and records each call that reaches it.
 */
async function startFakeUpstream() {
  const server = new Server();
  const reached: Reached[] = [];
  const record = (call: { getPath(): string; metadata: Metadata; request?: unknown }) => {
    const authorization = call.metadata.get('authorization')[0] as string | undefined;
    reached.push({
      path: call.getPath(),
      header: call.metadata.get('temporal-namespace')[0] as string | undefined,
      namespace: (call.request as { namespace?: string }).namespace,
      ...(authorization !== undefined && { authorization }),
    });
  };
  const methods = serviceMethods(WORKFLOW_SERVICE);
  const handlers: Record<string, (call: ServerUnaryCall<object, object>, callback: sendUnaryData<object>) => void> = {};
  for (const method of methods) {
    handlers[method.name] = (call: ServerUnaryCall<object, object>, callback: sendUnaryData<object>) => {
      record(call);
      callback(null, method.name === 'GetSystemInfo' ? { serverVersion: UPSTREAM_VERSION } : {});
    };
  }
  server.addService(definitionOf(methods), handlers);
  const watch = serviceMethods(HEALTH_SERVICE).filter((m) => m.name === 'Watch');
  server.addService(definitionOf(watch), {
    Watch(call: ServerWritableStream<object, object>) {
      record(call);
      call.write({ status: 1 });
      call.write({ status: 2 });
      call.end();
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  return { port, reached, close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())) };
}

describe('mTLS gateway with --upstream', () => {
  const logs = logLines();
  let upstream: Awaited<ReturnType<typeof startFakeUpstream>>;
  let emulator: Emulator;
  let ca: GeneratedCertificate;
  let leaf: GeneratedCertificate;
  let stranger: GeneratedCertificate;
  let connection: Connection;

  before(async () => {
    upstream = await startFakeUpstream();
    emulator = await startTestEmulator({ namespaces: [NS, OTHER], upstream: `127.0.0.1:${upstream.port}`, log: logs.log });
    ca = await makeCa('myco');
    [leaf, stranger] = await Promise.all([makeLeaf(ca), makeCa('myco').then((other) => makeLeaf(other))]);
    const c = await connectOfficialClient(emulator);
    await setMtls(c, NS, { cas: [ca] });
    await setMtls(c, OTHER, { cas: [ca] });
    c.close();
    connection = await Connection.connect({
      address: emulator.gateway.address,
      tls: {
        serverNameOverride: emulator.namespaceHost(NS),
        serverRootCACertificate: readFileSync(emulator.gateway.caPath),
        clientCertPair: { crt: Buffer.from(leaf.certificatePem), key: Buffer.from(leaf.privateKeyPem) },
      },
    });
  });
  after(async () => {
    await connection?.close();
    await emulator.close();
    await upstream.close();
  });

  /** Runs `call` and returns what reached the upstream meanwhile, and the call's error code (0 when it succeeded). */
  async function through(call: () => Promise<unknown>): Promise<{ code: number; details: string; reached: Reached[] }> {
    const before = upstream.reached.length;
    const outcome = await call().then(
      () => ({ code: 0, details: '' }),
      (error: { code: number; details: string }) => ({ code: error.code, details: error.details }),
    );
    return { ...outcome, reached: upstream.reached.slice(before) };
  }

  it('forwards an admitted client to the upstream: the SDK client gets its GetSystemInfo answer', async () => {
    assert.equal(emulator.gateway.target, `127.0.0.1:${upstream.port}`);
    const before = upstream.reached.length;
    logs.take();
    assert.equal(await sdkGetSystemInfo(emulator, NS, leaf), UPSTREAM_VERSION);
    // Connection.connect calls GetSystemInfo once to check the connection, then the test's own call.
    assert.deepEqual(upstream.reached.slice(before).map((r) => [r.path, r.header]), [
      [`/${WORKFLOW_SERVICE}/GetSystemInfo`, NS],
      [`/${WORKFLOW_SERVICE}/GetSystemInfo`, NS],
    ]);
    assert.deepEqual(logs.take(), [`gateway: admitted ${NS} CN=${leaf.dnsName},O=myco`]);
  });

  it("forwards a call about the connection's namespace, with its temporal-namespace header", async () => {
    const result = await through(() => connection.workflowService.describeNamespace({ namespace: NS }));
    assert.equal(result.code, 0, result.details);
    assert.deepEqual(result.reached, [{ path: `/${WORKFLOW_SERVICE}/DescribeNamespace`, header: NS, namespace: NS }]);
  });

  it('refuses a call about another namespace with PERMISSION_DENIED, and nothing of it reaches the upstream', async () => {
    logs.take();
    const result = await through(() => connection.workflowService.describeNamespace({ namespace: OTHER }));
    assert.equal(result.code, status.PERMISSION_DENIED);
    // The SDK sends the request's namespace as temporal-namespace too: the header is what gives it away first.
    assert.match(result.details, /^this endpoint serves namespace myns\.acct; the call's temporal-namespace header names "other\.acct"$/);
    assert.deepEqual(result.reached, []);
    assert.deepEqual(logs.take(), [`gateway: refused a call of ${NS}: /${WORKFLOW_SERVICE}/DescribeNamespace: ${result.details}`]);
  });

  it('refuses a temporal-namespace header that names another namespace, even on a call without a namespace field', async () => {
    const result = await through(() => connection.withMetadata({ 'temporal-namespace': OTHER }, () => connection.workflowService.getSystemInfo({})));
    assert.equal(result.code, status.PERMISSION_DENIED);
    assert.match(result.details, /the call's temporal-namespace header names "other\.acct"/);
    assert.deepEqual(result.reached, []);
  });

  const refused: Array<[string, () => Promise<unknown>, RegExp]> = [
    ['an empty namespace', () => connection.workflowService.describeNamespace({ namespace: '' }), /the request names namespace ""/],
    ['a namespace by ID', () => connection.workflowService.describeNamespace({ namespace: NS, id: '0b6a1c3e-0000-4000-8000-000000000000' }), /does not take a namespace by ID/],
    ['a list of every namespace', () => connection.workflowService.listNamespaces({}), /^ListNamespaces lists every namespace of the server: this endpoint serves one namespace$/],
    [
      'a multi-operation whose nested start names another namespace',
      () =>
        connection.workflowService.executeMultiOperation({
          namespace: NS,
          operations: [{ startWorkflow: { namespace: OTHER, workflowId: 'w', workflowType: { name: 't' }, taskQueue: { name: 'q' } } }],
        }),
      /the request names namespace "other\.acct"/,
    ],
  ];
  for (const [what, call, details] of refused) {
    it(`refuses ${what} with PERMISSION_DENIED before it reaches the upstream`, async () => {
      const result = await through(call);
      assert.equal(result.code, status.PERMISSION_DENIED, result.details);
      assert.match(result.details, details);
      assert.deepEqual(result.reached, []);
    });
  }

  it('forwards a multi-operation whose every request is about the namespace', async () => {
    const result = await through(() =>
      connection.workflowService.executeMultiOperation({
        namespace: NS,
        operations: [{ startWorkflow: { namespace: NS, workflowId: 'w', workflowType: { name: 't' }, taskQueue: { name: 'q' } } }],
      }),
    );
    assert.equal(result.code, 0, result.details);
    assert.deepEqual(result.reached.map((r) => r.path), [`/${WORKFLOW_SERVICE}/ExecuteMultiOperation`]);
  });

  it('refuses a request whose namespace field names another namespace even when its header is right', async () => {
    const client = grpcClient(emulator, leaf);
    try {
      const [describe] = serviceMethods(WORKFLOW_SERVICE).filter((m) => m.name === 'DescribeNamespace');
      const before = upstream.reached.length;
      const error = await new Promise<{ code: number; details: string }>((resolve) =>
        client.makeUnaryRequest(describe!.path, (m: object) => Buffer.from(describe!.requestType.encode(m).finish()), (x: Buffer) => x, { namespace: OTHER }, metadataOf({ 'temporal-namespace': NS }), (e) => resolve(e as never)),
      );
      assert.equal(error.code, status.PERMISSION_DENIED);
      assert.equal(error.details, `this endpoint serves namespace ${NS}; the request names namespace "${OTHER}"`);
      assert.equal(upstream.reached.length, before);
    } finally {
      client.close();
    }
  });

  it('relays a server-streaming call (grpc.health.v1.Health/Watch) message by message', async () => {
    const client = grpcClient(emulator, leaf);
    try {
      const [watch] = serviceMethods(HEALTH_SERVICE).filter((m) => m.name === 'Watch');
      const definition = definitionOf([watch!]).Watch!;
      const statuses = await new Promise<number[]>((resolve, reject) => {
        const seen: number[] = [];
        const call = client.makeServerStreamRequest(definition.path, definition.requestSerialize, definition.responseDeserialize, {}, new Metadata());
        call.on('data', (message: { status: number }) => seen.push(message.status));
        call.on('error', reject);
        call.on('end', () => resolve(seen));
      });
      assert.deepEqual(statuses, [1, 2]);
      assert.equal(upstream.reached.at(-1)?.header, NS);
    } finally {
      client.close();
    }
  });

  it('answers UNIMPLEMENTED for a service it does not forward', async () => {
    const client = grpcClient(emulator, leaf);
    try {
      const error = await new Promise<{ code: number; details: string }>((resolve) =>
        client.makeUnaryRequest('/temporal.api.cloud.cloudservice.v1.CloudService/GetNamespaces', (x: Buffer) => x, (x: Buffer) => x, Buffer.alloc(0), (e) => resolve(e as never)),
      );
      assert.equal(error.code, status.UNIMPLEMENTED);
      assert.match(error.details, /is not forwarded by the namespace endpoint/);
    } finally {
      client.close();
    }
  });

  it('forwards the call of a client admitted by API key without its key: the key was for the gateway', async () => {
    const c = await connectOfficialClient(emulator);
    await c.cloud.createNamespace({ spec: { name: 'keyed', regions: ['local'], retentionDays: 1, apiKeyAuth: { enabled: true } } });
    c.close();
    const keyed = await Connection.connect({
      address: emulator.gateway.address,
      apiKey: TEST_KEY,
      tls: { serverNameOverride: emulator.namespaceHost('keyed.local'), serverRootCACertificate: readFileSync(emulator.gateway.caPath) },
    });
    try {
      const result = await through(() => keyed.workflowService.describeNamespace({ namespace: 'keyed.local' }));
      assert.equal(result.code, 0, result.details);
      assert.deepEqual(result.reached, [{ path: `/${WORKFLOW_SERVICE}/DescribeNamespace`, header: 'keyed.local', namespace: 'keyed.local' }]);
    } finally {
      await keyed.close();
    }
  });

  it('forwards nothing for a refused client', async () => {
    const before = upstream.reached.length;
    logs.take();
    assert.equal(await rawConnect(emulator, { servername: emulator.namespaceHost(NS), client: stranger }), 'refused');
    assert.equal(upstream.reached.length, before);
    assert.match(logs.take().join('\n'), /^gateway: refused myns\.acct CN=/);
  });
});

describe('mTLS gateway with an --upstream that is down', () => {
  it('admits the client, answers its calls UNAVAILABLE and logs that the upstream cannot be reached', async () => {
    // A port that was free a moment ago: nothing listens there.
    const probe = createNetServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));

    const logs = logLines();
    const emulator = await startTestEmulator({ namespaces: [NS], upstream: `127.0.0.1:${port}`, log: logs.log });
    try {
      const ca = await makeCa('myco');
      const leaf = await makeLeaf(ca);
      const c = await connectOfficialClient(emulator);
      await setMtls(c, NS, { cas: [ca] });
      c.close();
      const client = grpcClient(emulator, leaf);
      const [getSystemInfo] = serviceMethods(WORKFLOW_SERVICE).filter((m) => m.name === 'GetSystemInfo');
      const error = await new Promise<{ code: number; details: string }>((resolve) =>
        client.makeUnaryRequest(getSystemInfo!.path, () => Buffer.alloc(0), (x: Buffer) => x, {}, (e) => resolve(e as never)),
      );
      client.close();
      assert.equal(error.code, status.UNAVAILABLE);
      assert.equal(error.details, `cannot reach upstream 127.0.0.1:${port}: ECONNREFUSED`);
      const logged = logs.take();
      assert.equal(logged[0], `gateway: admitted ${NS} CN=${leaf.dnsName},O=myco`);
      assert.ok(logged.includes(`gateway: cannot reach upstream 127.0.0.1:${port} for ${NS}: ECONNREFUSED`), logged.join('\n'));
    } finally {
      await emulator.close();
    }
  });

  it('refuses an upstream that is not host:port before listening', async () => {
    await assert.rejects(startTestEmulator({ upstream: 'localhost' }), /upstream must be host:port/);
  });
});
