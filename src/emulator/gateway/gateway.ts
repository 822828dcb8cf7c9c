/**
 * The namespaces' endpoint, as Temporal Cloud's `<namespace>.<account>.tmprl.cloud:7233`: one TLS
 * listener where the TLS server name picks the namespace (`<namespace id>.<domain>`, any letter case;
 * any other name, or none, gets an unrecognized_name alert before the handshake starts). What it admits
 * follows the namespace's auth method (auth-judge.ts): `mtls` admits by client certificate,
 * `api_key` serves TLS without one and admits each call that carries a valid API key,
 * `api_key_or_mtls` either, `restricted` nobody. A client chain is validated twice: by OpenSSL during
 * the handshake, against the namespace's current CA bundle as trust anchors (RFC 5280 path validation:
 * signatures, validity, name constraints, critical extensions, path length), and by admitClient against
 * the same bundle and the namespace's filters (Temporal's rules: key usage, clientAuth, distinct names,
 * signature strength, and the same RFC 5280 rules, so that `tcld cert verify` says the same without a
 * handshake). Both must admit. An admitted connection's gRPC calls are answered by the built-in mini
 * frontend or relayed to --upstream, for its namespace only (namespace-guard.ts); a refused one is
 * logged with its reasons and closed; an open one is closed once its namespace's rules no longer admit
 * it (connections.ts).
 */
import type { X509Certificate } from 'node:crypto';
import { createServer as createTcpServer, type Socket } from 'node:net';
import { createServer as createTlsServer, type SecureContext, type TLSSocket } from 'node:tls';
import { normalizeFingerprint } from '../../pki/bundle.js';
import type { CertificateAuthority } from '../../pki/issuer.js';
import type { RandomSource } from '../../pki/random.js';
import { formatHostPort, listenOn } from '../address.js';
import type { AdmissionEvent } from '../console/admission-log.js';
import type { VerifyBearer } from '../identity/bearer.js';
import type { Store } from '../store.js';
import { authorizeCall, judgeConnection, type ConnectionVerdict } from './auth-judge.js';
import { screenClientHello } from './client-hello.js';
import { createConnections, type RefusalCode } from './connections.js';
import { createMiniFrontend } from './frontend.js';
import { GatewayError } from './gateway-error.js';
import { createNamespaceGuard } from './namespace-guard.js';
import { formatSubject, handshakeFailure, opensslVerdict, peerChain } from './peer.js';
import { createPolicyCache } from './policies.js';
import { NO_RESUMPTION, createServerIdentities } from './server-identities.js';
import { createUpstreamProxy } from './upstream-proxy.js';

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
  /** `host:port` of a plaintext Temporal frontend to relay admitted clients' calls to (for their namespace only). Default: the built-in mini frontend. */
  upstream?: string;
  now(): Date;
  random: RandomSource;
  /** The dev server CA's file, named in the hint for a client that hangs up during the handshake. */
  caPath?: string;
  /** One line per refusal (with its reasons) and per admission. */
  log?: (line: string) => void;
  /**
   * Judges the API key of a call (`authorization: Bearer <key>`) to a namespace that takes API keys:
   * the identity store's verifier, read on every call. Default: none, and no API key is valid.
   */
  verifyApiKey?: VerifyBearer;
  /**
   * Told of each connection admitted or refused, with the refusal's code; `namespace` is '' when
   * the client named none that exists (so that metrics labels stay bounded). Default: none.
   */
  onConnection?: (namespace: string, result: 'admitted' | 'refused' | 'closed', reason: RefusalCode | '') => void;
  /**
   * Told of each connection admitted, refused or closed, with its client (subject, SHA-256 fingerprint)
   * and the refusal's code and message: what the console's AdmissionLog records. Default: none.
   */
  onAdmission?: (event: Omit<AdmissionEvent, 'seq'>) => void;
  /** Told of each gRPC call of an admitted client once it ends: its namespace, path and grpc-status (undefined: none was sent). Default: none. */
  onRequest?: (namespace: string, path: string, grpcStatus: string | undefined) => void;
}

export interface Gateway {
  host: string;
  port: number;
  /** `host:port`, the address clients connect to (with a namespace host name as TLS server name). */
  address: string;
  domain: string;
  /** Where admitted clients go: `host:port` of the upstream, or 'built-in' for the mini frontend. */
  target: string;
  /** Open admitted connections of a namespace. */
  openConnections(namespaceId: string): number;
  /** Server certificates kept (one per namespace host name asked for, whatever its letter case). */
  serverCertificates(): number;
  /** Stops listening and cuts every connection. */
  close(): Promise<void>;
}

/** A refusal already logged, so that the server's tlsClientError handler does not log it again. */
class Refused extends Error {}

export async function startGateway(options: StartGatewayOptions): Promise<Gateway> {
  const { domain, store } = options;
  const log = options.log ?? (() => {});
  const onConnection = options.onConnection ?? (() => {});
  const upstream = options.upstream === undefined ? undefined : parseHostPort(options.upstream);
  const policies = createPolicyCache(store);
  const identities = createServerIdentities({ ca: options.ca, now: options.now, random: options.random });
  const sockets = new Set<Socket>();
  const suffix = `.${domain.toLowerCase()}`;
  const subjects = new Map<string, string>();
  const connections = createConnections({
    ...(upstream
      ? { proxy: createUpstreamProxy({ target: { ...upstream, label: hostPort(upstream) }, guard: createNamespaceGuard(), log }) }
      : { frontend: createMiniFrontend() }),
    judge: (namespace, chain) => judgeConnection(policies.policyOf(namespace), namespace, chain.length > 0 ? chain : undefined, options.now()),
    authorize: (client, authorization) => authorizeCall(policies.policyOf(client.namespace), client.namespace, client.mtls, authorization, options.verifyApiKey),
    log,
    onClosed: (namespace, code, client, reasons) => {
      onConnection(namespace, 'closed', code);
      tell(namespace, 'closed', client.chain[0], client.subject, code, reasons.join('; '));
    },
    ...(options.onRequest && { onCall: options.onRequest }),
  });
  const unsubscribe = store.onNamespaceChange((id) => connections.recheck(id));

  function subjectOf(certificate: X509Certificate): string {
    const fingerprint = certificate.fingerprint256;
    let subject = subjects.get(fingerprint);
    if (subject === undefined) {
      if (subjects.size >= SUBJECTS_KEPT) subjects.clear();
      subjects.set(fingerprint, (subject = formatSubject(certificate)));
    }
    return subject;
  }

  /** The namespace ID a TLS server name asks for (DNS names are case-insensitive, namespace IDs lower-case), or undefined when it is not `<id>.<domain>`. */
  function namespaceOf(servername: string): string | undefined {
    const name = servername.toLowerCase();
    if (name.length <= suffix.length || !name.endsWith(suffix)) return undefined;
    return name.slice(0, -suffix.length);
  }

  /** Tells onAdmission ('-', the log lines' subject of a client without a certificate, is '' there). */
  function tell(namespace: string, result: AdmissionEvent['result'], leaf: X509Certificate | undefined, subject: string, code: RefusalCode | '', message: string): void {
    options.onAdmission?.({
      at: options.now().toISOString(),
      namespace,
      result,
      subject: subject === '-' ? '' : subject,
      fingerprint: leaf ? normalizeFingerprint(leaf.fingerprint256) : '',
      code,
      message,
    });
  }

  function refuse(namespace: string, subject: string, reasons: readonly string[], code: RefusalCode, known: boolean, leaf?: X509Certificate): void {
    log(`gateway: refused ${namespace} ${subject}: ${reasons.join('; ')}`);
    onConnection(known ? namespace : '', 'refused', code);
    tell(known ? namespace : '', 'refused', leaf, subject, code, reasons.join('; '));
  }

  /** Why a TLS server name (undefined: none sent) opens no namespace, or undefined when it names one that exists. */
  function nameRefusal(servername: string | undefined): { namespace: string; reason: string; code: RefusalCode } | undefined {
    if (!servername) return { namespace: '-', reason: `no TLS server name (SNI): connect with <namespace id>.${domain} as the TLS server name`, code: 'no-server-name' };
    const namespace = namespaceOf(servername);
    if (namespace === undefined) {
      return { namespace: servername, reason: `TLS server name ${servername} is not a namespace endpoint: use <namespace id>.${domain}`, code: 'not-a-namespace-endpoint' };
    }
    if (!policies.exists(namespace)) return { namespace, reason: `unknown namespace ${namespace} (TLS server name ${servername})`, code: 'unknown-namespace' };
    return undefined;
  }

  function SNICallback(servername: string, done: (error: Error | null, context?: SecureContext) => void): void {
    // Reached by a ClientHello that screenClientHello could not read, or by a namespace deleted since.
    const refusal = nameRefusal(servername);
    if (refusal) {
      refuse(refusal.namespace, '-', [refusal.reason], refusal.code, false);
      return done(new Refused(refusal.reason));
    }
    const namespace = namespaceOf(servername)!;
    const policy = policies.policyOf(namespace);
    const trust = policy.kind === 'known' && policy.mtls.kind === 'open' ? { version: policy.resourceVersion, cas: policy.mtls.cas } : undefined;
    identities.contextFor(`${namespace}${suffix}`, trust).then(
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
    // OpenSSL's verdict counts only where the namespace judges certificates (its context holds the bundle).
    const openssl = chain && policy.kind === 'known' && policy.mtls.kind === 'open' && !socket.authorized ? opensslVerdict(socket) : undefined;
    const verdict: ConnectionVerdict = judgeConnection(policy, namespace, chain, options.now(), openssl);
    if (!verdict.admitted) {
      refuse(namespace, subject, verdict.reasons, verdict.code, policy.kind !== 'unknown', chain?.[0]);
      socket.destroy();
      return;
    }
    const byKey = verdict.by === 'api-key';
    const certificate = byKey && verdict.certificate ? ` (its certificate is not admitted: ${verdict.certificate.join('; ')})` : '';
    log(`gateway: admitted ${namespace} ${subject}${byKey ? `: its calls need an API key${certificate}` : ''}`);
    onConnection(namespace, 'admitted', '');
    tell(namespace, 'admitted', chain?.[0], subject, '', '');
    connections.serve(socket, { namespace, subject, chain: chain ?? [], mtls: !byKey });
  }

  const server = createTlsServer({
    SNICallback,
    requestCert: true,
    // OpenSSL validates the client chain against the namespace's bundle (the SNI context's CAs); its
    // verdict (socket.authorized) is read in admit(), beside admitClient's, so that a refusal is logged with its reasons.
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
      tell('', 'refused', undefined, '', 'other', 'internal error while admitting the client (a bug)');
      socket.destroy();
    }
  });
  server.on('tlsClientError', (error: Error & { code?: string; reason?: string }, socket: TLSSocket) => {
    socket.destroy();
    if (error instanceof Refused || (error as { cause?: unknown }).cause instanceof Refused) return;
    const servername = typeof socket.servername === 'string' ? socket.servername : '';
    const namespace = namespaceOf(servername);
    const known = namespace !== undefined && policies.exists(namespace);
    refuse(servername === '' ? '-' : (namespace ?? servername), '-', [handshakeFailure(error, servername, domain, options.caPath)], servername === '' ? 'no-server-name' : 'handshake-failed', known);
  });

  // The listener is plain TCP: the server name is read first, and only a namespace's connection reaches `server`.
  const front = createTcpServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    screenClientHello(socket, {
      timeoutMs: HELLO_TIMEOUT_MS,
      refuses(servername) {
        const refusal = nameRefusal(servername);
        if (refusal) refuse(refusal.namespace, '-', [refusal.reason], refusal.code, false);
        return refusal !== undefined;
      },
      pass: (screened) => server.emit('connection', screened),
    });
  });
  let port: number;
  try {
    port = await listenOn(front, options.host, options.port, 'gateway');
  } catch (error) {
    unsubscribe();
    policies.close();
    throw error;
  }
  front.on('error', (error: Error) => log(`gateway: ${error.message}`));

  let closing: Promise<void> | undefined;
  return {
    host: options.host,
    port,
    address: formatHostPort(options.host, port),
    domain,
    target: upstream ? hostPort(upstream) : 'built-in',
    openConnections: (namespaceId) => connections.openCount(namespaceId),
    serverCertificates: () => identities.size,
    close() {
      return (closing ??= (async () => {
        const closed = new Promise<void>((resolve) => front.close(() => resolve()));
        unsubscribe();
        connections.close();
        for (const socket of sockets) socket.destroy();
        sockets.clear();
        await closed;
        policies.close();
      })());
    },
  };
}

function hostPort(target: { host: string; port: number }): string {
  return formatHostPort(target.host, target.port);
}

/** `host:port` or `[v6]:port`. */
export function parseHostPort(text: string): { host: string; port: number } {
  const match = /^(?:\[([^\]]+)\]|([^:\s]+)):(\d{1,5})$/.exec(text);
  const port = match ? Number(match[3]) : NaN;
  if (!match || !(port >= 1 && port <= 65535)) throw new GatewayError(`upstream must be host:port, such as 127.0.0.1:7233 (got "${text}")`);
  return { host: match[1] ?? match[2]!, port };
}

