/**
 * The gateway's admitted connections: each one's HTTP/2 session, whose calls the built-in frontend
 * answers or the upstream proxy relays, kept by namespace so that open connections follow the
 * namespace's rules. Each call is first authorized (`authorize`: the connection's certificate, or an
 * API key in the call's headers, by the namespace's auth method). When the store says a namespace
 * changed (its bundle, its filters, its auth method, deleted), each of its connections is judged again
 * by `judge`: one that would no longer be admitted is told GOAWAY and closed a moment later; one whose
 * certificate no longer admits it but whose namespace takes API keys stays, and its calls need a key.
 */
import type { X509Certificate } from 'node:crypto';
import { status } from '@grpc/grpc-js';
import {
  constants,
  createServer as createHttp2Server,
  type Http2Session,
  type IncomingHttpHeaders,
  type OutgoingHttpHeaders,
  type ServerHttp2Stream,
} from 'node:http2';
import type { TLSSocket } from 'node:tls';
import type { MiniFrontend } from './frontend.js';
import type { AdmissionCode } from '../../pki/admission.js';
import type { CallVerdict, ConnectionVerdict } from './auth-judge.js';
import { answerStatus } from './grpc-wire.js';
import type { ProxiedClient, UpstreamProxy } from './upstream-proxy.js';

/** Between GOAWAY and closing the connection: time for the client to read the GOAWAY, not to finish its calls. */
const CLOSE_GRACE_MS = 1000;
/**
 * Streams in flight per connection. A worker keeps one long poll per poller (tens at most), and a
 * client cannot make the gateway hold an unbounded number of calls on one connection.
 */
const MAX_CONCURRENT_STREAMS = 1000;

/**
 * Why the gateway refused or closed a connection, as a stable code: the `reason` label of its metrics
 * (the log line keeps the full reasons). An admission refusal takes the code of admitClient's first
 * problem; the others are the gateway's own, in the same kebab-case vocabulary.
 */
export type RefusalCode =
  | AdmissionCode
  /** The client sent no TLS server name. */
  | 'no-server-name'
  /** The server name is not `<namespace id>.<domain>`. */
  | 'not-a-namespace-endpoint'
  /** The server name's namespace does not exist (or no longer does). */
  | 'unknown-namespace'
  /** The TLS handshake failed before a chain could be judged. */
  | 'handshake-failed'
  /** The namespace has mTLS turned off (and takes no API keys either: see 'restricted'). */
  | 'mtls-disabled'
  /** The namespace's auth method is restricted: it admits nobody. */
  | 'restricted'
  /** A call without an API key, on a connection its certificate does not admit, of a namespace that takes API keys. */
  | 'api-key-missing'
  /** A call whose API key is unknown, deleted, malformed or not an API key (a sign-in token). */
  | 'api-key-invalid'
  | 'api-key-disabled'
  | 'api-key-expired'
  /** A call relying on an API key, of a namespace that takes certificates only. */
  | 'api-key-not-accepted'
  /** The namespace accepts no client CA yet. */
  | 'no-accepted-ca'
  /** The namespace's stored bundle or spec cannot be read. */
  | 'unusable-bundle'
  /** OpenSSL's path validation refused a chain admitClient admitted. */
  | 'chain-invalid'
  /** A bug while admitting. */
  | 'other';

export type Judgement = { admitted: true } | { admitted: false; reasons: readonly string[]; code: RefusalCode };

export interface AdmittedClient {
  namespace: string;
  /** For log lines: `CN=worker,O=myco` ('-' without a certificate). */
  subject: string;
  /** The chain the client presented, leaf first, as judged at the handshake (empty: none). */
  chain: readonly X509Certificate[];
  /** Whether its certificate admits it (else each call needs an API key). Only ever turned off after admission. */
  mtls: boolean;
}

export interface ConnectionsOptions {
  /** The built-in frontend, or the proxy to --upstream: exactly one. */
  frontend?: MiniFrontend;
  proxy?: UpstreamProxy;
  /** Whether a client of `namespace` with this chain (empty: none) would be admitted now, and how. */
  judge(namespace: string, chain: readonly X509Certificate[]): ConnectionVerdict;
  /** Whether a call of an admitted client may go on, from its `authorization` header. */
  authorize(client: AdmittedClient, authorization: string | undefined): CallVerdict;
  log: (line: string) => void;
  /** Told of each connection closed because its client is no longer admitted, and why. */
  onClosed?: (namespace: string, code: RefusalCode, client: AdmittedClient, reasons: readonly string[]) => void;
  /** Told of each call an admitted client made, once it ends: its path and the grpc-status answered (undefined: none). */
  onCall?: (namespace: string, path: string, grpcStatus: string | undefined) => void;
}

export interface Connections {
  /** Serves gRPC (HTTP/2) over an admitted client's TLS socket. */
  serve(socket: TLSSocket, client: AdmittedClient): void;
  /** Judges the namespace's open connections again, soon (several calls in one turn are one pass). */
  recheck(namespace: string): void;
  /** How many connections of `namespace` are open. */
  openCount(namespace: string): number;
  /** Ends every connection. */
  close(): void;
}

interface Entry extends AdmittedClient, ProxiedClient {
  socket: TLSSocket;
  session?: Http2Session;
  closing?: boolean;
}

export function createConnections(options: ConnectionsOptions): Connections {
  const { frontend, proxy, log } = options;
  const byNamespace = new Map<string, Set<Entry>>();
  const bySession = new WeakMap<Http2Session, Entry>();
  const pending = new Set<string>();
  let serving: Entry | undefined;

  const server = createHttp2Server({ settings: { maxConcurrentStreams: MAX_CONCURRENT_STREAMS } });
  server.on('session', (session: Http2Session) => {
    // Emitted synchronously by emit('connection') in serve(): this session is that entry's.
    const entry = serving!;
    entry.session = session;
    bySession.set(session, entry);
    session.on('error', () => session.destroy());
  });
  server.on('stream', (stream: ServerHttp2Stream, headers: IncomingHttpHeaders) => {
    const entry = bySession.get(stream.session!);
    if (!entry || entry.closing) return void stream.close(constants.NGHTTP2_REFUSED_STREAM);
    const authorization = headers['authorization'];
    const verdict = options.authorize(entry, Array.isArray(authorization) ? authorization[0] : authorization);
    if (!verdict.ok) {
      stream.on('error', () => stream.destroy());
      log(`gateway: refused a call of ${entry.namespace} ${entry.subject}: ${headers[':path'] ?? '-'}: ${verdict.code}: ${verdict.message}`);
      return answerStatus(stream, status.UNAUTHENTICATED, verdict.message);
    }
    // The key was for the gateway: it goes no further (the upstream is plaintext, and its own business).
    if (verdict.byApiKey) delete headers['authorization'];
    if (options.onCall) {
      const path = String(headers[':path'] ?? '');
      // The status is in the trailers, or in the headers of a trailers-only answer.
      stream.once('close', () => options.onCall!(entry.namespace, path, grpcStatusOf(stream.sentTrailers) ?? grpcStatusOf(stream.sentHeaders)));
    }
    if (proxy) proxy.handle(stream, headers, entry);
    else frontend!.handle(stream, headers);
  });

  function forget(entry: Entry): void {
    const set = byNamespace.get(entry.namespace);
    set?.delete(entry);
    if (set?.size === 0) byNamespace.delete(entry.namespace);
    proxy?.release(entry);
  }

  function closeEntry(entry: Entry, why: string): void {
    if (entry.closing) return;
    entry.closing = true;
    const { session, socket } = entry;
    if (session && !session.destroyed) {
      session.goaway(constants.NGHTTP2_NO_ERROR, undefined, Buffer.from(why.slice(0, 200)));
      setTimeout(() => {
        session.destroy();
        socket.destroy();
      }, CLOSE_GRACE_MS).unref();
    } else {
      socket.destroy();
    }
  }

  function recheckNow(namespace: string): void {
    for (const entry of byNamespace.get(namespace) ?? []) {
      if (entry.closing) continue;
      const judgement = options.judge(namespace, entry.chain);
      if (judgement.admitted) {
        if (entry.mtls && judgement.by === 'api-key') {
          entry.mtls = false;
          log(`gateway: ${namespace} ${entry.subject}: no longer admitted by its certificate${judgement.certificate ? ` (${judgement.certificate.join('; ')})` : ''}; its calls now need an API key`);
        }
        continue;
      }
      log(`gateway: closed ${namespace} ${entry.subject}: no longer admitted: ${judgement.reasons.join('; ')}`);
      options.onClosed?.(namespace, judgement.code, entry, judgement.reasons);
      closeEntry(entry, 'the client is no longer admitted');
    }
  }

  return {
    serve(socket, client) {
      const entry: Entry = { ...client, socket };
      let set = byNamespace.get(client.namespace);
      if (!set) byNamespace.set(client.namespace, (set = new Set()));
      set.add(entry);
      socket.once('close', () => forget(entry));
      serving = entry;
      try {
        server.emit('connection', socket);
      } finally {
        serving = undefined;
      }
    },
    recheck(namespace) {
      if (!byNamespace.has(namespace) || pending.has(namespace)) return;
      pending.add(namespace);
      setImmediate(() => {
        pending.delete(namespace);
        recheckNow(namespace);
      });
    },
    openCount: (namespace) => byNamespace.get(namespace)?.size ?? 0,
    close() {
      for (const set of byNamespace.values()) {
        for (const entry of set) {
          entry.session?.destroy();
          entry.socket.destroy();
          proxy?.release(entry);
        }
      }
      byNamespace.clear();
    },
  };
}

function grpcStatusOf(headers: OutgoingHttpHeaders | undefined): string | undefined {
  const value = headers?.['grpc-status'];
  return value === undefined ? undefined : String(value);
}
