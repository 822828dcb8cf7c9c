import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { connect as connectTcp } from 'node:net';
import { connect } from 'node:tls';
import { after, before, describe, it } from 'node:test';
import { Client, Metadata, credentials } from '@grpc/grpc-js';
import { Connection } from '@temporalio/client';
import type { GeneratedCertificate } from '../../pki/ca.js';
import type { Emulator } from '../index.js';
import { connectOfficialClient, startTestEmulator, status, type OfficialClient } from '../test-support.js';
import {
  DAY_MS,
  H2_PREFACE,
  captureClientHello,
  logLines,
  makeCa,
  openGatewaySession,
  makeLeaf,
  rawConnect,
  sdkGetSystemInfo,
  setMtls,
  splitInTwoRecords,
  type RawOutcome,
} from './test-support.js';

const NS = 'myns.acct';
const EMPTY = 'empty.acct';

describe('mTLS gateway', () => {
  const logs = logLines();
  let emulator: Emulator;
  let c: OfficialClient;
  let host: string;
  // caA was made two months ago, so that it can have issued a leaf that has expired since.
  let caA: GeneratedCertificate;
  let caB: GeneratedCertificate;
  let stranger: GeneratedCertificate;
  let leafA: GeneratedCertificate;
  let leafB: GeneratedCertificate;
  let strangerLeaf: GeneratedCertificate;
  let expired: GeneratedCertificate;
  let notYetValid: GeneratedCertificate;

  before(async () => {
    const now = Date.now();
    [caA, caB, stranger] = await Promise.all([makeCa('myco', new Date(now - 60 * DAY_MS)), makeCa('myco'), makeCa('myco')]);
    [leafA, leafB, strangerLeaf, expired, notYetValid] = await Promise.all([
      makeLeaf(caA),
      makeLeaf(caB),
      makeLeaf(stranger),
      makeLeaf(caA, { now: new Date(now - 40 * DAY_MS), validityMs: DAY_MS }),
      makeLeaf(caA, { now: new Date(now + 2 * DAY_MS) }),
    ]);
    emulator = await startTestEmulator({ namespaces: [NS, EMPTY], log: logs.log });
    c = await connectOfficialClient(emulator);
    await setMtls(c, NS, { cas: [caA] });
    host = emulator.namespaceHost(NS);
    logs.take();
  });
  after(async () => {
    c.close();
    await emulator.close();
  });

  /** Connects once with a raw TLS client and returns the outcome and the gateway's log lines for it. */
  async function attempt(options: Parameters<typeof rawConnect>[1]): Promise<{ outcome: RawOutcome; logged: string[] }> {
    const outcome = await rawConnect(emulator, options);
    return { outcome, logged: logs.take() };
  }

  it('advertises <namespace id>.tmprl.local:<gateway port> as the namespace mTLS gRPC address in GetNamespace', async () => {
    const { endpoints } = (await c.cloud.getNamespace({ namespace: NS })).namespace!;
    assert.equal(host, 'myns.acct.tmprl.local');
    assert.equal(endpoints?.mtlsGrpcAddress, `myns.acct.tmprl.local:${emulator.gateway.port}`);
    assert.equal(endpoints?.grpcAddress, endpoints?.mtlsGrpcAddress);
    assert.deepEqual(
      (await c.cloud.getNamespaces({})).namespaces?.map((n) => n.endpoints?.mtlsGrpcAddress),
      [`${EMPTY}.tmprl.local:${emulator.gateway.port}`, `${NS}.tmprl.local:${emulator.gateway.port}`],
    );
    assert.equal(emulator.gateway.address, `127.0.0.1:${emulator.gateway.port}`);
  });

  it('admits a leaf of an accepted CA: the official SDK client connects and GetSystemInfo answers', async () => {
    assert.match(await sdkGetSystemInfo(emulator, NS, leafA), /^tcld dev-server /);
    const logged = logs.take();
    assert.ok(logged.length >= 1 && logged.every((line) => line === `gateway: admitted ${NS} CN=${leafA.dnsName},O=myco`), logged.join('\n'));
  });

  it('admits a client that sends its CA after its own certificate, and names the leaf in the log', async () => {
    const withChain = { certificatePem: leafA.certificatePem + caA.certificatePem, privateKeyPem: leafA.privateKeyPem };
    assert.equal((await attempt({ servername: host, client: withChain })).outcome, 'forwarded');
    assert.match(await sdkGetSystemInfo(emulator, NS, withChain), /^tcld dev-server /);
    assert.ok(logs.take().every((line) => line === `gateway: admitted ${NS} CN=${leafA.dnsName},O=myco`));
  });

  it('the built-in frontend answers Health/Check SERVING and UNIMPLEMENTED for other WorkflowService methods', async () => {
    const connection = await Connection.connect({
      address: emulator.gateway.address,
      tls: {
        serverNameOverride: host,
        serverRootCACertificate: readFileSync(emulator.gateway.caPath),
        clientCertPair: { crt: Buffer.from(leafA.certificatePem), key: Buffer.from(leafA.privateKeyPem) },
      },
    });
    try {
      assert.equal((await connection.healthService.check({})).status, 1 /* SERVING */);
      const error = await connection.workflowService.describeNamespace({ namespace: NS }).then(
        () => assert.fail('DescribeNamespace answered'),
        (e: { code: number; details: string }) => e,
      );
      assert.equal(error.code, status.UNIMPLEMENTED);
      assert.match(error.details, /^DescribeNamespace is not implemented by tcld dev-server's namespace endpoint.*--upstream/);
    } finally {
      await connection.close();
      logs.take();
    }
  });

  it('the built-in frontend reads a request grpc-js sends compressed (gzip, deflate), and refuses one in an encoding it cannot read', async () => {
    const tls = credentials.createSsl(readFileSync(emulator.gateway.caPath), Buffer.from(leafA.privateKeyPem), Buffer.from(leafA.certificatePem));
    const EMPTY_CHECK = (): Buffer => Buffer.alloc(0); // HealthCheckRequest {service: ""}
    for (const [name, algorithm] of [['deflate', 1], ['gzip', 2]] as const) {
      const client = new Client(emulator.gateway.address, tls, { 'grpc.ssl_target_name_override': host, 'grpc.default_compression_algorithm': algorithm });
      try {
        const answer = await new Promise<Buffer>((resolve, reject) =>
          client.makeUnaryRequest('/grpc.health.v1.Health/Check', EMPTY_CHECK, (bytes: Buffer) => bytes, {}, new Metadata(), (error, value) => (error ? reject(error) : resolve(value!))),
        );
        assert.deepEqual([...answer], [0x08, 0x01], `${name}: HealthCheckResponse {status: SERVING}`);
      } finally {
        client.close();
      }
    }
    const { session } = await openGatewaySession(emulator, NS, leafA);
    try {
      const stream = session.request({ ':method': 'POST', ':path': '/grpc.health.v1.Health/Check', 'content-type': 'application/grpc', te: 'trailers', 'grpc-encoding': 'snappy' });
      const headers = new Promise<Record<string, unknown>>((resolve) => stream.once('response', resolve));
      stream.end(Buffer.from([1, 0, 0, 0, 2, 0xff, 0xff]));
      stream.resume();
      const answered = await headers;
      assert.equal(answered['grpc-status'], String(status.UNIMPLEMENTED));
      assert.match(String(answered['grpc-message']), /^the gateway cannot read request messages compressed with "snappy"/);
    } finally {
      session.destroy();
      logs.take();
    }
  });

  it('presents a server certificate for exactly the namespace host name, issued by the dev server CA', async () => {
    const peer = await new Promise<X509Certificate>((resolve, reject) => {
      const socket = connect({ host: '127.0.0.1', port: emulator.gateway.port, servername: host, ca: readFileSync(emulator.gateway.caPath), cert: leafA.certificatePem, key: leafA.privateKeyPem, ALPNProtocols: ['h2'] });
      socket.once('secureConnect', () => socket.write(H2_PREFACE));
      // Once the gateway has forwarded the connection, not during its handshake, so that it logs an admission.
      socket.once('data', () => {
        resolve(socket.getPeerX509Certificate()!);
        socket.destroy();
      });
      socket.once('error', reject);
    });
    assert.equal(peer.subjectAltName, `DNS:${host}`);
    assert.equal(peer.checkHost(host), host);
    assert.equal(peer.checkHost(`other.${host}`), undefined);
    assert.ok(peer.checkIssued(new X509Certificate(readFileSync(emulator.gateway.caPath))));
    assert.deepEqual(logs.take(), [`gateway: admitted ${NS} CN=${leafA.dnsName},O=myco`]);
  });

  it('takes the TLS server name in any letter case, and presents one server certificate for all of them', async () => {
    const presented = async (servername: string) =>
      new Promise<string>((resolve, reject) => {
        const socket = connect({ host: '127.0.0.1', port: emulator.gateway.port, servername, ca: readFileSync(emulator.gateway.caPath), cert: leafA.certificatePem, key: leafA.privateKeyPem, ALPNProtocols: ['h2'] });
        socket.once('secureConnect', () => socket.write(H2_PREFACE));
        socket.once('data', () => {
          resolve(socket.getPeerX509Certificate()!.fingerprint256);
          socket.destroy();
        });
        socket.once('error', reject);
      });
    const variants = [host, host.toUpperCase(), 'MyNs.Acct.TMPRL.local', 'myns.ACCT.tmprl.LOCAL'];
    const fingerprints = [];
    for (const servername of variants) fingerprints.push(await presented(servername));
    assert.equal(new Set(fingerprints).size, 1);
    assert.deepEqual(logs.take(), variants.map(() => `gateway: admitted ${NS} CN=${leafA.dnsName},O=myco`));
    assert.match(await sdkGetSystemInfo(emulator, NS.toUpperCase(), leafA), /^tcld dev-server /);
    logs.take();
  });

  const refusals: Array<[string, () => Parameters<typeof rawConnect>[1], RegExp]> = [
    ['an unknown namespace (TLS server name)', () => ({ servername: 'nope.acct.tmprl.local', client: leafA }), /^gateway: refused nope\.acct -: unknown namespace nope\.acct/],
    ['a TLS server name outside the local domain', () => ({ servername: 'myns.acct.tmprl.cloud', client: leafA }), /^gateway: refused myns\.acct\.tmprl\.cloud -: TLS server name .* is not a namespace endpoint/],
    ['no TLS server name at all', () => ({ client: leafA }), /^gateway: refused - -: no TLS server name \(SNI\)/],
    ['no client certificate', () => ({ servername: host }), /^gateway: refused myns\.acct -: no client certificate/],
    ["another CA's leaf", () => ({ servername: host, client: strangerLeaf }), /^gateway: refused myns\.acct CN=client\.endentity\.myco\.\w+,O=myco: the certificate is not issued by any CA in the namespace's accepted bundle/],
    ['an expired leaf', () => ({ servername: host, client: expired }), /^gateway: refused myns\.acct CN=client\.endentity\.myco\.\w+,O=myco: the certificate expired on \d{4}-/],
    ['a leaf that is not valid yet', () => ({ servername: host, client: notYetValid }), /^gateway: refused myns\.acct CN=client\.endentity\.myco\.\w+,O=myco: the certificate is not valid until \d{4}-/],
    ['a CA certificate presented as a client', () => ({ servername: host, client: caA }), /^gateway: refused myns\.acct CN=client\.root\.myco\.\w+,O=myco: the certificate is a CA \(basicConstraints CA:TRUE\)/],
    ['any client of a namespace that accepts no CA yet', () => ({ servername: emulator.namespaceHost(EMPTY), client: leafA }), /^gateway: refused empty\.acct CN=.*: namespace empty\.acct accepts no client CA yet/],
  ];
  for (const [what, options, logged] of refusals) {
    it(`refuses ${what}, and logs why on one line`, async () => {
      const result = await attempt(options());
      assert.equal(result.outcome, 'refused');
      assert.equal(result.logged.length, 1, result.logged.join('\n'));
      assert.match(result.logged[0]!, logged);
      assert.ok(!result.logged[0]!.includes('\n'));
    });
  }

  it('answers a server name that opens no namespace (none, another domain, an unknown namespace) with an unrecognized_name alert', async () => {
    for (const servername of [undefined, 'myns.acct.tmprl.cloud', 'nope.acct.tmprl.local']) {
      const seen = await new Promise<string>((resolve) => {
        const socket = connect({ host: '127.0.0.1', port: emulator.gateway.port, ...(servername && { servername }), ca: readFileSync(emulator.gateway.caPath), cert: leafA.certificatePem, key: leafA.privateKeyPem, ALPNProtocols: ['h2'] });
        socket.once('secureConnect', () => resolve('a TLS connection'));
        socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? error.message));
        socket.once('close', () => resolve('a closed connection'));
      });
      assert.equal(seen, 'ERR_SSL_TLSV1_UNRECOGNIZED_NAME', `server name ${servername ?? '(none)'}`);
    }
    assert.equal(logs.take().length, 3);
  });

  it('hands a ClientHello split over two TLS records to the TLS server, which still picks the namespace from it', async () => {
    /** The first bytes the gateway answers `bytes` with (empty if it hangs up without a word). */
    const answer = (bytes: Buffer) =>
      new Promise<Buffer>((resolve) => {
        const socket = connectTcp({ host: '127.0.0.1', port: emulator.gateway.port }, () => socket.write(bytes));
        socket.once('data', (chunk: Buffer) => (socket.destroy(), resolve(chunk)));
        socket.once('error', () => resolve(Buffer.alloc(0)));
        socket.once('close', () => resolve(Buffer.alloc(0)));
      });
    const known = await answer(splitInTwoRecords(await captureClientHello({ servername: host })));
    assert.equal(known[0], 0x16, 'a handshake record (ServerHello)');
    const unknown = await answer(splitInTwoRecords(await captureClientHello({ servername: 'nope.acct.tmprl.local' })));
    assert.notEqual(unknown[0], 0x16);
    // Both lines, so that none comes late into the next test: the known namespace's handshake, cut by this client, and the refusal.
    while (logs.lines.length < 2) await new Promise((resolve) => setTimeout(resolve, 5));
    const logged = logs.take();
    assert.match(logged.join('\n'), /^gateway: refused myns\.acct -: the client closed the connection during the TLS handshake/m);
    assert.match(logged.join('\n'), /^gateway: refused nope\.acct -: unknown namespace nope\.acct/m);
  });

  it('a CA added through the Cloud Ops API admits its leaves on the next connection; a removed one refuses them', async (t) => {
    t.after(() => setMtls(c, NS, { cas: [caA] }).catch(() => {}));
    assert.equal((await attempt({ servername: host, client: leafB })).outcome, 'refused');
    await setMtls(c, NS, { cas: [caA, caB] });
    assert.equal((await attempt({ servername: host, client: leafB })).outcome, 'forwarded');
    assert.match(await sdkGetSystemInfo(emulator, NS, leafB), /^tcld dev-server /);
    logs.take();
    await setMtls(c, NS, { cas: [caB] });
    const refused = await attempt({ servername: host, client: leafA });
    assert.equal(refused.outcome, 'refused');
    assert.match(refused.logged[0]!, /^gateway: refused myns\.acct CN=/);
    assert.equal((await attempt({ servername: host, client: leafB })).outcome, 'forwarded');
  });

  it('certificate filters admit the leaves that match one and refuse the others, from the next connection on', async (t) => {
    t.after(() => setMtls(c, NS, { filters: [] }).catch(() => {}));
    const worker = await makeLeaf(caA, { commonName: 'worker-1', organizationalUnit: 'payments' });
    await setMtls(c, NS, { filters: [{ organization: 'otherco' }] });
    const mismatch = await attempt({ servername: host, client: leafA });
    assert.equal(mismatch.outcome, 'refused');
    assert.match(mismatch.logged[0]!, /^gateway: refused myns\.acct CN=client\.endentity\.myco\.\w+,O=myco: the certificate matches none of the namespace's 1 certificate filter/);

    await setMtls(c, NS, { filters: [{ commonName: 'worker-*', organizationalUnit: 'payments' }, { organization: 'otherco' }] });
    assert.equal((await attempt({ servername: host, client: worker })).outcome, 'forwarded');
    assert.equal((await attempt({ servername: host, client: leafA })).outcome, 'refused');

    await setMtls(c, NS, { filters: [{ subjectAlternativeName: leafA.dnsName }] });
    assert.equal((await attempt({ servername: host, client: leafA })).outcome, 'forwarded');
    assert.equal((await attempt({ servername: host, client: worker })).outcome, 'refused');

    await setMtls(c, NS, { filters: [] });
    assert.equal((await attempt({ servername: host, client: worker })).outcome, 'forwarded');
    assert.equal((await attempt({ servername: host, client: leafA })).outcome, 'forwarded');
  });

  it('refuses the clients of a deleted namespace, and of one whose mTLS is turned off', async () => {
    const created = await c.cloud.createNamespace({ spec: { name: 'brief', regions: ['local'], retentionDays: 1, mtlsAuth: { enabled: true, acceptedClientCa: Buffer.from(caA.certificatePem) } } });
    const id = created.namespace!;
    const briefHost = emulator.namespaceHost(id);
    assert.equal((await attempt({ servername: briefHost, client: leafA })).outcome, 'forwarded');

    const current = (await c.cloud.getNamespace({ namespace: id })).namespace!;
    await c.cloud.updateNamespace({ namespace: id, spec: { ...current.spec, mtlsAuth: { ...current.spec!.mtlsAuth, enabled: false } }, resourceVersion: current.resourceVersion! });
    const off = await attempt({ servername: briefHost, client: leafA });
    assert.equal(off.outcome, 'refused');
    assert.match(off.logged[0]!, /mTLS is not enabled on namespace brief\.local/);

    await c.cloud.deleteNamespace({ namespace: id });
    const gone = await attempt({ servername: briefHost, client: leafA });
    assert.equal(gone.outcome, 'refused');
    assert.match(gone.logged[0]!, /^gateway: refused brief\.local -: unknown namespace brief\.local/);
  });

  // The handshake rate is measured by `npm run bench` (bench/gateway.mjs), not here.
  it('keeps serving through a burst of 150 new connections, admitting each', async () => {
    const connections = 150;
    for (let i = 0; i < connections; i++) assert.equal(await rawConnect(emulator, { servername: host, client: leafA }), 'forwarded');
    assert.equal(logs.take().filter((line) => line.startsWith('gateway: admitted')).length, connections);
  });
});
