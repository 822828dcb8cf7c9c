/**
 * Helpers for the gateway's tests: client CAs and leaves from tcld's library, bundle and filter
 * changes through the official Cloud Ops API client, and the two kinds of client: the official SDK
 * (`@temporalio/client`) and a raw node:tls connection that says whether the gateway let it through.
 */
import { readFileSync } from 'node:fs';
import { connect as connectHttp2, type ClientHttp2Session } from 'node:http2';
import { createServer as createTcpServer, type AddressInfo } from 'node:net';
import { connect as connectTls, type ConnectionOptions } from 'node:tls';
import { Connection } from '@temporalio/client';
import { generateCertificateAuthority, type GeneratedCertificate } from '../../pki/ca.js';
import { generateEndEntityCertificate } from '../../pki/leaf.js';
import type { Emulator } from '../index.js';
import type { OfficialClient } from '../test-support.js';

export const DAY_MS = 86_400_000;

/** A client CA in tcld's default profile (ECDSA P-384), valid for a year from `now`. */
export function makeCa(organization: string, now = new Date()): Promise<GeneratedCertificate> {
  return generateCertificateAuthority({ organization, validityMs: 365 * DAY_MS, now });
}

export interface LeafOptions {
  organization?: string;
  organizationalUnit?: string;
  commonName?: string;
  now?: Date;
  validityMs?: number;
}

/** A client certificate issued by `ca` (O=myco unless told otherwise). */
export function makeLeaf(ca: GeneratedCertificate, options: LeafOptions = {}): Promise<GeneratedCertificate> {
  return generateEndEntityCertificate({
    ca: { certificate: ca.certificatePem, privateKey: ca.privateKeyPem },
    organization: options.organization ?? 'myco',
    ...(options.organizationalUnit !== undefined && { organizationalUnit: options.organizationalUnit }),
    ...(options.commonName !== undefined && { commonName: options.commonName }),
    ...(options.now !== undefined && { now: options.now }),
    validityMs: options.validityMs ?? 30 * DAY_MS,
  });
}

type Filter = { commonName?: string; organization?: string; organizationalUnit?: string; subjectAlternativeName?: string };

/** Replaces the namespace's accepted CAs and filters through UpdateNamespace, as tcld does (read, modify, write). */
export async function setMtls(c: OfficialClient, namespace: string, change: { cas?: readonly GeneratedCertificate[]; filters?: readonly Filter[] }): Promise<void> {
  const current = (await c.cloud.getNamespace({ namespace })).namespace!;
  const mtlsAuth = { ...current.spec!.mtlsAuth, enabled: true };
  if (change.cas) mtlsAuth.acceptedClientCa = Buffer.from(change.cas.map((ca) => ca.certificatePem).join(''));
  if (change.filters) mtlsAuth.certificateFilters = [...change.filters];
  await c.cloud.updateNamespace({ namespace, spec: { ...current.spec, mtlsAuth }, resourceVersion: current.resourceVersion! });
}

export interface ClientIdentity {
  certificatePem: string;
  privateKeyPem: string;
}

/**
 * Connects with the official SDK client as a worker would (127.0.0.1, the namespace's host name as TLS
 * server name, the dev server CA as root) and resolves GetSystemInfo's server version.
 */
export async function sdkGetSystemInfo(emulator: Emulator, namespace: string, client: ClientIdentity): Promise<string> {
  const connection = await Connection.connect({
    address: emulator.gateway.address,
    connectTimeout: '5s',
    tls: {
      serverNameOverride: emulator.namespaceHost(namespace),
      serverRootCACertificate: readFileSync(emulator.gateway.caPath),
      clientCertPair: { crt: Buffer.from(client.certificatePem), key: Buffer.from(client.privateKeyPem) },
    },
  });
  try {
    const info = await connection.workflowService.getSystemInfo({});
    return info.serverVersion ?? '';
  } finally {
    await connection.close();
  }
}

/** What a call answered: OK (0), or its gRPC status code and message. */
export interface CallOutcome {
  code: number;
  details: string;
}

/**
 * One GetSystemInfo with the official SDK client on a fresh connection (no retries), with a client
 * certificate, an API key (`authorization: Bearer`), both or neither: OK, or how it was refused.
 */
export async function sdkCall(emulator: Emulator, namespace: string, credentials: { client?: ClientIdentity; apiKey?: string }): Promise<CallOutcome> {
  const connection = Connection.lazy({
    address: emulator.gateway.address,
    connectTimeout: '5s',
    interceptors: [],
    ...(credentials.apiKey !== undefined && { apiKey: credentials.apiKey }),
    tls: {
      serverNameOverride: emulator.namespaceHost(namespace),
      serverRootCACertificate: readFileSync(emulator.gateway.caPath),
      ...(credentials.client && { clientCertPair: { crt: Buffer.from(credentials.client.certificatePem), key: Buffer.from(credentials.client.privateKeyPem) } }),
    },
  });
  try {
    await connection.workflowService.getSystemInfo({});
    return { code: 0, details: '' };
  } catch (error) {
    return { code: (error as CallOutcome).code, details: (error as CallOutcome).details };
  } finally {
    await connection.close();
  }
}

/** The HTTP/2 client preface and an empty SETTINGS frame: a forwarded connection gets the server's SETTINGS back. */
export const H2_PREFACE = Buffer.concat([Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n'), Buffer.from([0, 0, 0, 4, 0, 0, 0, 0, 0])]);

export type RawOutcome = 'forwarded' | 'refused';

/**
 * A raw TLS client: `forwarded` when the server behind the gateway answered the HTTP/2 preface,
 * `refused` when the connection was cut instead (during or after the handshake).
 */
export function rawConnect(emulator: Emulator, options: { servername?: string; client?: ClientIdentity }): Promise<RawOutcome> {
  return new Promise((resolve) => {
    const socket = connectTls({
      host: '127.0.0.1',
      port: emulator.gateway.port,
      ...(options.servername !== undefined && { servername: options.servername }),
      ca: readFileSync(emulator.gateway.caPath),
      ...(options.client && { cert: options.client.certificatePem, key: options.client.privateKeyPem }),
      ALPNProtocols: ['h2'],
      // The server name is checked against the certificate unless there is none to check.
      ...(options.servername === undefined && { checkServerIdentity: () => undefined }),
    });
    let settled = false;
    const settle = (outcome: RawOutcome) => {
      if (settled) return;
      settled = true;
      socket.destroy();
      resolve(outcome);
    };
    socket.once('secureConnect', () => socket.write(H2_PREFACE));
    socket.once('data', () => settle('forwarded'));
    socket.once('error', () => settle('refused'));
    socket.once('close', () => settle('refused'));
  });
}

/** Collects the emulator's log lines. */
export function logLines() {
  const lines: string[] = [];
  return {
    lines,
    log: (line: string) => lines.push(line),
    /** The gateway lines logged since the last call. */
    take(): string[] {
      return lines.splice(0).filter((line) => line.startsWith('gateway: '));
    },
  };
}

/** The first TLS record a node:tls (OpenSSL) client sends with `options`: its ClientHello, as the gateway receives it. */
export async function captureClientHello(options: ConnectionOptions): Promise<Buffer> {
  const server = createTcpServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const received = new Promise<Buffer>((resolve) =>
      server.once('connection', (socket) => {
        let bytes = Buffer.alloc(0);
        socket.on('data', (chunk: Buffer) => {
          bytes = Buffer.concat([bytes, chunk]);
          if (bytes.length >= 5 && bytes.length >= 5 + bytes.readUInt16BE(3)) {
            socket.destroy();
            resolve(bytes.subarray(0, 5 + bytes.readUInt16BE(3)));
          }
        });
      }),
    );
    const client = connectTls({ host: '127.0.0.1', port: (server.address() as AddressInfo).port, ALPNProtocols: ['h2'], ...options });
    client.on('error', () => {}); // the capture hangs up on it
    return await received;
  } finally {
    server.close();
  }
}

/** The ClientHello's handshake message cut in two TLS records, as a client may send it (RFC 8446 §5.1). */
export function splitInTwoRecords(hello: Buffer): Buffer {
  const message = hello.subarray(5);
  const half = message.length >> 1;
  const record = (part: Buffer) => Buffer.concat([Buffer.from([0x16, hello[1]!, hello[2]!, part.length >> 8, part.length & 0xff]), part]);
  return Buffer.concat([record(message.subarray(0, half)), record(message.subarray(half))]);
}

/**
 * An HTTP/2 connection through the gateway to `namespace`'s endpoint as `client`, resolved once admitted
 * (the SETTINGS exchange is done; rejected if the gateway closes it first), with `closed`, which says
 * whether a GOAWAY came before the connection closed. Errors are swallowed: the caller destroys it.
 */
export async function openGatewaySession(emulator: Emulator, namespace: string, client: ClientIdentity): Promise<{ session: ClientHttp2Session; closed: Promise<{ goaway: boolean }> }> {
  let goaway = false;
  const session = connectHttp2(`https://${emulator.namespaceHost(namespace)}`, {
    createConnection: () =>
      connectTls({
        host: '127.0.0.1',
        port: emulator.gateway.port,
        servername: emulator.namespaceHost(namespace),
        ca: readFileSync(emulator.gateway.caPath),
        cert: client.certificatePem,
        key: client.privateKeyPem,
        ALPNProtocols: ['h2'],
      }),
  });
  session.on('error', () => {});
  session.once('goaway', () => (goaway = true));
  const closed = new Promise<{ goaway: boolean }>((resolve) => session.once('close', () => resolve({ goaway })));
  try {
    await new Promise<void>((resolve, reject) => {
      session.once('remoteSettings', () => resolve());
      session.once('close', () => reject(new Error('the gateway closed the connection')));
    });
  } catch (error) {
    session.destroy();
    throw error;
  }
  return { session, closed };
}
