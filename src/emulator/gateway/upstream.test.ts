import assert from 'node:assert/strict';
import { createServer as createNetServer, type AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { Server, ServerCredentials, type ServerUnaryCall, type sendUnaryData } from '@grpc/grpc-js';
import { serviceMethods } from '../../cloud/proto.js';
import type { GeneratedCertificate } from '../../pki/ca.js';
import type { Emulator } from '../index.js';
import { definitionOf } from '../server.js';
import { connectOfficialClient, startTestEmulator } from '../test-support.js';
import { WORKFLOW_SERVICE } from './frontend.js';
import { logLines, makeCa, makeLeaf, rawConnect, sdkGetSystemInfo, setMtls } from './test-support.js';

const NS = 'myns.acct';
const UPSTREAM_VERSION = 'fake upstream 9.9.9';

/** A plaintext gRPC server standing in for `temporal server start-dev`: GetSystemInfo says who it is, and records each call. */
async function startFakeUpstream() {
  const server = new Server();
  const methods = serviceMethods(WORKFLOW_SERVICE).filter((method) => method.name === 'GetSystemInfo');
  const calls: string[] = [];
  server.addService(definitionOf(methods), {
    GetSystemInfo(call: ServerUnaryCall<object, object>, callback: sendUnaryData<object>) {
      calls.push(call.getPath());
      callback(null, { serverVersion: UPSTREAM_VERSION });
    },
  });
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  return { port, calls, close: () => new Promise<void>((resolve) => server.tryShutdown(() => resolve())) };
}

describe('mTLS gateway with --upstream', () => {
  const logs = logLines();
  let upstream: Awaited<ReturnType<typeof startFakeUpstream>>;
  let emulator: Emulator;
  let ca: GeneratedCertificate;
  let leaf: GeneratedCertificate;
  let stranger: GeneratedCertificate;

  before(async () => {
    upstream = await startFakeUpstream();
    emulator = await startTestEmulator({ namespaces: [NS], upstream: `127.0.0.1:${upstream.port}`, log: logs.log });
    ca = await makeCa('myco');
    [leaf, stranger] = await Promise.all([makeLeaf(ca), makeCa('myco').then((other) => makeLeaf(other))]);
    const c = await connectOfficialClient(emulator);
    await setMtls(c, NS, { cas: [ca] });
    c.close();
  });
  after(async () => {
    await emulator.close();
    await upstream.close();
  });

  it('forwards an admitted client to the upstream: the SDK client gets its GetSystemInfo answer', async () => {
    assert.equal(emulator.gateway.target, `127.0.0.1:${upstream.port}`);
    assert.equal(await sdkGetSystemInfo(emulator, NS, leaf), UPSTREAM_VERSION);
    // Connection.connect calls GetSystemInfo once to check the connection, then the test's own call.
    assert.deepEqual(upstream.calls, [`/${WORKFLOW_SERVICE}/GetSystemInfo`, `/${WORKFLOW_SERVICE}/GetSystemInfo`]);
    assert.deepEqual(logs.take(), [`gateway: admitted ${NS} CN=${leaf.dnsName},O=myco`]);
  });

  it('forwards nothing for a refused client', async () => {
    const before = upstream.calls.length;
    assert.equal(await rawConnect(emulator, { servername: emulator.namespaceHost(NS), client: stranger }), 'refused');
    assert.equal(upstream.calls.length, before);
    assert.match(logs.take().join('\n'), /^gateway: refused myns\.acct CN=/);
  });
});

describe('mTLS gateway with an --upstream that is down', () => {
  it('admits the client, then logs that the upstream cannot be reached and closes the connection', async () => {
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
      assert.equal(await rawConnect(emulator, { servername: emulator.namespaceHost(NS), client: leaf }), 'refused');
      const logged = logs.take();
      assert.equal(logged[0], `gateway: admitted ${NS} CN=${leaf.dnsName},O=myco`);
      assert.equal(logged[1], `gateway: cannot reach upstream 127.0.0.1:${port} for ${NS}: ECONNREFUSED`);
    } finally {
      await emulator.close();
    }
  });

  it('refuses an upstream that is not host:port before listening', async () => {
    await assert.rejects(startTestEmulator({ upstream: 'localhost' }), /upstream must be host:port/);
  });
});
