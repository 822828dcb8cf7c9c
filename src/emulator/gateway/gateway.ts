/**
 * The namespaces' mTLS endpoint, as Temporal Cloud's `<namespace>.<account>.tmprl.cloud:7233`: one
 * TLS listener where the TLS server name picks the namespace (`<namespace id>.<domain>`; any other
 * name, or none, gets an unrecognized_name alert before the handshake starts), each client
 * certificate is judged by admitClient against that namespace's current CA bundle and filters, and an
 * admitted connection's decrypted bytes (HTTP/2) are piped to a Temporal frontend: --upstream, or the
 * built-in mini frontend. A refused one is logged with its reasons and closed.
 */
import type { X509Certificate } from 'node:crypto';
import { connect as connectTcp, createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import { createServer as createTlsServer, type SecureContext, type TLSSocket } from 'node:tls';
import { admitClient } from '../../pki/admission.js';
import type { CertificateAuthority } from '../../pki/issuer.js';
import type { RandomSource } from '../../pki/random.js';
import { ListenError, PortInUseError } from '../server.js';
import type { Store } from '../store.js';
import { screenClientHello } from './client-hello.js';
import { createMiniFrontend } from './frontend.js';
import { GatewayError } from './gateway-error.js';
import { formatSubject, handshakeFailure, peerChain } from './peer.js';
import { createPolicyCache } from './policies.js';
import { admissionRefusalReason, type RefusalReason } from './refusal-reasons.js';
import { NO_RESUMPTION, createServerIdentities } from './server-identities.js';

/** Client subjects remembered for log lines, by certificate fingerprint: a reconnecting worker costs no parse. */
const SUBJECTS_KEPT = 1024;
/** A client that sends no whole ClientHello within this long is cut (a real one sends it at once). */
const HELLO_TIMEOUT_MS = 10_000;

export interface StartGatewayOptions {
  host: string;
  /** 0: any free port. */
  port: number;
  /** Namespace host names are `<namespace id>.<domain>`. */
  domain: string;
  store: Store;
  /** Issues the per-namespace server certificates. */
  ca: CertificateAuthority;
  /** `host:port` of a plaintext Temporal frontend to forward admitted clients to. Default: the built-in mini frontend. */
  upstream?: string;
  now(): Date;
  random: RandomSource;
  /** The dev server CA's file, named in the hint for a client that hangs up during the handshake. */
  caPath?: string;
  /** One line per refusal (with its reasons) and per admission. */
  log?: (line: string) => void;
  /**
   * Told of each connection admitted or refused, with the refusal's category; `namespace` is '' when
   * the client named none that exists (so that metrics labels stay bounded). Default: none.
   */
  onConnection?: (namespace: string, result: 'admitted' | 'refused', reason: RefusalReason | '') => void;
}

export interface Gateway {
  host: string;
  port: number;
  /** `host:port`, the address clients connect to (with a namespace host name as TLS server name). */
  address: string;
  domain: string;
  /** Where admitted clients go: `host:port` of the upstream, or 'built-in' for the mini frontend. */
  target: string;
  /** Stops listening, cuts every connection and stops the mini frontend. */
  close(): Promise<void>;
}

/** A refusal already logged, so that the server's tlsClientError handler does not log it again. */
class Refused extends Error {}

export async function startGateway(options: StartGatewayOptions): Promise<Gateway> {
  const { domain, store } = options;
  const log = options.log ?? (() => {});
  const onConnection = options.onConnection ?? (() => {});
  const upstream = options.upstream === undefined ? undefined : parseHostPort(options.upstream);
  const frontend = upstream ? undefined : createMiniFrontend();
  const policies = createPolicyCache(store);
  const identities = createServerIdentities({ ca: options.ca, now: options.now, random: options.random });
  const sockets = new Set<Socket>();
  const suffix = `.${domain.toLowerCase()}`;
  const subjects = new Map<string, string>();

  function subjectOf(certificate: X509Certificate): string {
    const fingerprint = certificate.fingerprint256;
    let subject = subjects.get(fingerprint);
    if (subject === undefined) {
      if (subjects.size >= SUBJECTS_KEPT) subjects.clear();
      subjects.set(fingerprint, (subject = formatSubject(certificate)));
    }
    return subject;
  }

  /** The namespace ID a TLS server name asks for, or undefined when it is not `<id>.<domain>`. */
  function namespaceOf(servername: string): string | undefined {
    if (servername.length <= suffix.length || !servername.toLowerCase().endsWith(suffix)) return undefined;
    return servername.slice(0, -suffix.length);
  }

  function refuse(namespace: string, subject: string, reasons: readonly string[], category: RefusalReason, known: boolean): void {
    log(`gateway: refused ${namespace} ${subject}: ${reasons.join('; ')}`);
    onConnection(known ? namespace : '', 'refused', category);
  }

  /** Why a TLS server name (undefined: none sent) opens no namespace, or undefined when it names one that exists. */
  function nameRefusal(servername: string | undefined): { namespace: string; reason: string; category: RefusalReason } | undefined {
    if (!servername) return { namespace: '-', reason: `no TLS server name (SNI): connect with <namespace id>.${domain} as the TLS server name`, category: 'no_server_name' };
    const namespace = namespaceOf(servername);
    if (namespace === undefined) {
      return { namespace: servername, reason: `TLS server name ${servername} is not a namespace endpoint: use <namespace id>.${domain}`, category: 'not_a_namespace_endpoint' };
    }
    if (!policies.exists(namespace)) return { namespace, reason: `unknown namespace ${namespace} (TLS server name ${servername})`, category: 'unknown_namespace' };
    return undefined;
  }

  function SNICallback(servername: string, done: (error: Error | null, context?: SecureContext) => void): void {
    // Reached by a ClientHello that screenClientHello could not read, or by a namespace deleted since.
    const refusal = nameRefusal(servername);
    if (refusal) {
      refuse(refusal.namespace, '-', [refusal.reason], refusal.category, false);
      return done(new Refused(refusal.reason));
    }
    identities.contextFor(servername).then(
      (context) => done(null, context),
      (error: Error) => {
        log(`gateway: cannot issue a server certificate for ${servername}: ${error.message}`);
        done(new Refused(error.message));
      },
    );
  }

  function admit(socket: TLSSocket): void {
    const servername = typeof socket.servername === 'string' ? socket.servername : '';
    const namespace = namespaceOf(servername) ?? servername;
    const policy = policies.policyOf(namespace);
    const chain = peerChain(socket);
    const subject = chain ? subjectOf(chain[0]!) : '-';
    let reasons: readonly string[];
    let category: RefusalReason;
    if (policy.kind === 'unknown') [reasons, category] = [[`unknown namespace ${namespace}`], 'unknown_namespace'];
    else if (!chain) [reasons, category] = [['no client certificate: Temporal Cloud requires one issued by a CA of the namespace'], 'no_client_certificate'];
    else if (policy.kind === 'closed') [reasons, category] = [[policy.reason], policy.category];
    else category = admissionRefusalReason((reasons = admitClient(chain, policy.prepared, options.now()).reasons));
    if (reasons.length > 0) {
      refuse(namespace, subject, reasons, category, policy.kind !== 'unknown');
      socket.destroy();
      return;
    }
    log(`gateway: admitted ${namespace} ${subject}`);
    onConnection(namespace, 'admitted', '');
    if (upstream) forward(socket, upstream, namespace);
    else frontend!.serve(socket);
  }

  function forward(client: TLSSocket, target: { host: string; port: number }, namespace: string): void {
    const server = connectTcp({ host: target.host, port: target.port });
    sockets.add(server);
    client.setNoDelay(true);
    server.setNoDelay(true);
    let ended = false;
    const end = () => {
      if (ended) return;
      ended = true;
      client.destroy();
      server.destroy();
      sockets.delete(client);
      sockets.delete(server);
    };
    server.once('error', (error: NodeJS.ErrnoException) => {
      log(`gateway: cannot reach upstream ${hostPort(target)} for ${namespace}: ${error.code ?? error.message}`);
      end();
    });
    client.once('error', end);
    client.once('close', end);
    server.once('close', end);
    client.pipe(server);
    server.pipe(client);
  }

  const server = createTlsServer({
    SNICallback,
    requestCert: true,
    // The client certificate is judged by admitClient, with the namespace's own CAs, not by OpenSSL's trust store.
    rejectUnauthorized: false,
    minVersion: 'TLSv1.2',
    ALPNProtocols: ['h2'],
    secureOptions: NO_RESUMPTION,
  });
  server.on('secureConnection', (socket: TLSSocket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    try {
      admit(socket);
    } catch (error) {
      // One client's certificate must not take the emulator down.
      log(`gateway: internal error admitting a client of ${socket.servername || '-'} (a bug): ${(error as Error).stack?.split('\n').slice(0, 2).join(' ') ?? String(error)}`);
      onConnection('', 'refused', 'other');
      socket.destroy();
    }
  });
  server.on('tlsClientError', (error: Error & { code?: string; reason?: string }, socket: TLSSocket) => {
    socket.destroy();
    if (error instanceof Refused || (error as { cause?: unknown }).cause instanceof Refused) return;
    const servername = typeof socket.servername === 'string' ? socket.servername : '';
    const namespace = namespaceOf(servername);
    const known = namespace !== undefined && policies.exists(namespace);
    refuse(servername === '' ? '-' : (namespace ?? servername), '-', [handshakeFailure(error, servername, domain, options.caPath)], servername === '' ? 'no_server_name' : 'handshake_failed', known);
  });

  // The listener is plain TCP: the server name is read first, and only a namespace's connection reaches `server`.
  const front = createTcpServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    screenClientHello(socket, {
      timeoutMs: HELLO_TIMEOUT_MS,
      refuses(servername) {
        const refusal = nameRefusal(servername);
        if (refusal) refuse(refusal.namespace, '-', [refusal.reason], refusal.category, false);
        return refusal !== undefined;
      },
      pass: (screened) => server.emit('connection', screened),
    });
  });
  let port: number;
  try {
    port = await listen(front, options.host, options.port);
  } catch (error) {
    policies.close();
    throw error;
  }
  front.on('error', (error: Error) => log(`gateway: ${error.message}`));

  let closing: Promise<void> | undefined;
  return {
    host: options.host,
    port,
    address: options.host.includes(':') ? `[${options.host}]:${port}` : `${options.host}:${port}`,
    domain,
    target: upstream ? hostPort(upstream) : 'built-in',
    close() {
      return (closing ??= (async () => {
        const closed = new Promise<void>((resolve) => front.close(() => resolve()));
        for (const socket of sockets) socket.destroy();
        sockets.clear();
        frontend?.close();
        await closed;
        policies.close();
      })());
    },
  };
}

function hostPort(target: { host: string; port: number }): string {
  return `${target.host.includes(':') ? `[${target.host}]` : target.host}:${target.port}`;
}

/** `host:port` or `[v6]:port`. */
export function parseHostPort(text: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:\s]+)):(\d{1,5})$/.exec(text);
  const port = match ? Number(match[3]) : NaN;
  if (!match || !(port >= 1 && port <= 65535)) throw new GatewayError(`upstream must be host:port, such as 127.0.0.1:7233 (got "${text}")`);
  return { host: match[1] ?? match[2]!, port };
}

function listen(server: TcpServer, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const address = host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
    const failed = (error: NodeJS.ErrnoException) =>
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(port, 'gateway') : new ListenError(`cannot listen on ${address}: ${error.message}`, 'gateway'));
    server.once('error', failed);
    server.listen({ host, port, exclusive: true }, () => {
      server.off('error', failed);
      resolve((server.address() as { port: number }).port);
    });
  });
}
