/** A real mutual-TLS handshake on 127.0.0.1: a node:tls server that trusts a tcld CA, and tcld leaves as clients. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { connect, createServer, type TLSSocket } from 'node:tls';
import { generateCertificateAuthority } from '../../src/pki/ca.js';
import { DAY, HAS_OPENSSL, freshFolder, makeCa, makeLeaf, openssl, removeFolders } from './helpers.js';

interface Identity {
  cert: string;
  key: string;
}

type PeerSubject = Record<string, string | string[] | undefined>;

interface Outcome {
  /** What the server saw: an authorized client, or a failed handshake. */
  server:
    | { handshake: true; authorized: boolean; authorizationError: string | undefined; peerSubject: PeerSubject }
    | { handshake: false; authorized: false; error: string };
  /** What the client read before the connection closed. */
  clientReceived: string;
}

/** A server certificate for 127.0.0.1: made with openssl, or (without it) with tcld's library as a stand-in. */
async function serverIdentity(folder: string): Promise<Identity & { verifyName: boolean }> {
  if (HAS_OPENSSL) {
    openssl(
      ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-keyout', 'server.key', '-out', 'server.pem']
        .concat(['-days', '2', '-subj', '/CN=localhost', '-addext', 'subjectAltName=IP:127.0.0.1,DNS:localhost']),
      folder,
    );
    const read = (name: string) => readFileSync(join(folder, name), 'utf8');
    return { cert: read('server.pem'), key: read('server.key'), verifyName: true };
  }
  const made = await generateCertificateAuthority({ organization: 'test server', validityMs: 30 * DAY });
  return { cert: made.certificatePem, key: made.privateKeyPem, verifyName: false };
}

/**
 * Starts a server that asks for a client certificate issued by `trusted`, connects once as `client`, and closes everything.
 * With `rejectUnauthorized: false` the server completes the handshake and reports why it would have refused.
 */
async function handshake(
  server: Identity & { verifyName: boolean },
  trusted: string[],
  client: Partial<Identity>,
  rejectUnauthorized = true,
): Promise<Outcome> {
  const sockets = new Set<TLSSocket>();
  const tlsServer = createServer({ cert: server.cert, key: server.key, requestCert: true, rejectUnauthorized, ca: trusted });
  const serverSide = new Promise<Outcome['server']>((resolve) => {
    tlsServer.on('secureConnection', (socket) => {
      sockets.add(socket);
      const authorizationError = socket.authorizationError ? String(socket.authorizationError) : undefined;
      const peerSubject = { ...socket.getPeerCertificate().subject };
      resolve({ handshake: true, authorized: socket.authorized, authorizationError, peerSubject });
      socket.end('hello from the server\n');
    });
    tlsServer.on('tlsClientError', (error) => resolve({ handshake: false, authorized: false, error: error.message }));
  });
  await new Promise<void>((resolve) => tlsServer.listen(0, '127.0.0.1', resolve));
  try {
    const { port } = tlsServer.address() as AddressInfo;
    const clientSide = new Promise<string>((resolve) => {
      let received = '';
      const socket = connect({
        host: '127.0.0.1',
        port,
        ca: [server.cert],
        ...client,
        ...(server.verifyName ? {} : { checkServerIdentity: () => undefined }),
      });
      socket.setEncoding('utf8');
      socket.on('data', (text: string) => (received += text));
      socket.on('error', () => {}); // a refused client sees an alert or a reset; the server's view is what counts
      socket.on('close', () => resolve(received));
    });
    const [serverOutcome, clientReceived] = await Promise.all([serverSide, clientSide]);
    return { server: serverOutcome, clientReceived };
  } finally {
    for (const socket of sockets) socket.destroy();
    await new Promise<void>((resolve) => tlsServer.close(() => resolve()));
  }
}

describe('mTLS with tcld certificates', () => {
  let folder: string;
  let server: Identity & { verifyName: boolean };
  let caPem: string;
  const pair = (name: string): Identity => ({
    cert: readFileSync(join(folder, `${name}.pem`), 'utf8'),
    key: readFileSync(join(folder, `${name}.key`), 'utf8'),
  });

  before(async () => {
    folder = freshFolder();
    await makeCa(folder, 'ca.pem', 'ca.key');
    await makeLeaf(folder, { certificate: 'ca.pem', key: 'ca.key' }, { certificate: 'client.pem', key: 'client.key' });
    await makeCa(folder, 'other-ca.pem', 'other-ca.key');
    await makeLeaf(folder, { certificate: 'other-ca.pem', key: 'other-ca.key' }, { certificate: 'stranger.pem', key: 'stranger.key' });
    caPem = readFileSync(join(folder, 'ca.pem'), 'utf8');
    server = await serverIdentity(folder);
  });
  after(removeFolders);

  it('a server trusting the tcld CA accepts the tcld leaf as a client certificate', async () => {
    const outcome = await handshake(server, [caPem], pair('client'));
    assert.ok(outcome.server.handshake && outcome.server.authorized, JSON.stringify(outcome.server));
    assert.equal(outcome.server.peerSubject['O'], 'myco');
    assert.match(String(outcome.server.peerSubject['CN']), /^client\.endentity\.myco\.[a-z0-9]{4}$/);
    assert.equal(outcome.clientReceived, 'hello from the server\n');
  });

  it('a leaf with an OU and a --common-name is accepted too', async () => {
    await makeLeaf(folder, { certificate: 'ca.pem', key: 'ca.key' }, { certificate: 'worker.pem', key: 'worker.key' }, [
      '--organization-unit',
      'payments',
      '--common-name',
      'worker',
      '-d',
      '30d',
    ]);
    const outcome = await handshake(server, [caPem], pair('worker'));
    assert.ok(outcome.server.handshake && outcome.server.authorized, JSON.stringify(outcome.server));
    assert.deepEqual(outcome.server.peerSubject, { O: 'myco', OU: 'payments', CN: 'worker' });
  });

  it('the server refuses a leaf issued by a different tcld CA', async () => {
    const outcome = await handshake(server, [caPem], pair('stranger'));
    assert.equal(outcome.server.authorized, false);
    assert.equal(outcome.clientReceived, '');
  });

  it('the server gives the reason: it cannot verify the stranger leaf, while the right leaf has no error', async () => {
    const refused = await handshake(server, [caPem], pair('stranger'), false);
    assert.ok(refused.server.handshake, JSON.stringify(refused.server));
    assert.equal(refused.server.authorized, false);
    assert.match(refused.server.authorizationError ?? '', /UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT/);
    const accepted = await handshake(server, [caPem], pair('client'), false);
    assert.ok(accepted.server.handshake && accepted.server.authorized, JSON.stringify(accepted.server));
    assert.equal(accepted.server.authorizationError, undefined);
  });

  it('the server refuses a client that presents no certificate', async () => {
    const outcome = await handshake(server, [caPem], {});
    assert.equal(outcome.server.authorized, false);
    assert.equal(outcome.clientReceived, '');
  });

  it('a server trusting both CAs accepts leaves of either', async () => {
    const both = [caPem, readFileSync(join(folder, 'other-ca.pem'), 'utf8')];
    assert.equal((await handshake(server, both, pair('client'))).server.authorized, true);
    assert.equal((await handshake(server, both, pair('stranger'))).server.authorized, true);
  });
});
