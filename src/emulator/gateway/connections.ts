/**
 * The gateway's admitted connections: each one's HTTP/2 session, whose calls the built-in frontend
 * answers or the upstream proxy relays, kept by namespace so that open connections follow the
 * namespace's rules. When the store says a namespace changed (its bundle, its filters, mTLS turned
 * off, deleted), each of its connections is judged again by `judge`, and one that would no longer be
 * admitted is told GOAWAY and closed a moment later.
 */
import type { X509Certificate } from 'node:crypto';
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
import type { RefusalReason } from './refusal-reasons.js';
import type { ProxiedClient, UpstreamProxy } from './upstream-proxy.js';

/** Between GOAWAY and closing the connection: time for the client to read the GOAWAY, not to finish its calls. */
const CLOSE_GRACE_MS = 1000;
/**
 * Streams in flight per connection. A worker keeps one long poll per poller (tens at most), and a
 * client cannot make the gateway hold an unbounded number of calls on one connection.
 */
const MAX_CONCURRENT_STREAMS = 1000;

export type Judgement = { admitted: true } | { admitted: false; reasons: readonly string[]; category: RefusalReason };

export interface AdmittedClient {
  namespace: string;
  /** For log lines: `CN=worker,O=myco`. */
  subject: string;
  /** The chain the client presented, leaf first, as judged at the handshake. */
  chain: readonly X509Certificate[];
}

export interface ConnectionsOptions {
  /** The built-in frontend, or the proxy to --upstream: exactly one. */
  frontend?: MiniFrontend;
  proxy?: UpstreamProxy;
  /** Whether a client of `namespace` with this chain would be admitted now. */
  judge(namespace: string, chain: readonly X509Certificate[]): Judgement;
  log: (line: string) => void;
  /** Told of each connection closed because its client is no longer admitted. */
  onClosed?: (namespace: string, category: RefusalReason) => void;
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
      if (judgement.admitted) continue;
      log(`gateway: closed ${namespace} ${entry.subject}: no longer admitted: ${judgement.reasons.join('; ')}`);
      options.onClosed?.(namespace, judgement.category);
      closeEntry(entry, 'the client certificate is no longer admitted');
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
