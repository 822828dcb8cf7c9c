/**
 * The gateway's gRPC forwarding to --upstream: each admitted client connection gets its own plaintext
 * HTTP/2 connection to the upstream, opened on its first call, and each call is checked by the
 * namespace guard before anything of it is sent upstream (its headers, then each request message as it
 * completes), then relayed with its headers, messages and trailers as they are. The response is not
 * read, only relayed, with HTTP/2 flow control on both sides.
 */
import { formatHostPort } from '../address.js';
import {
  connect as connectHttp2,
  constants,
  type ClientHttp2Session,
  type ClientHttp2Stream,
  type IncomingHttpHeaders,
  type OutgoingHttpHeaders,
  type ServerHttp2Stream,
} from 'node:http2';
import { status } from '@grpc/grpc-js';
import { FrameReader, WireError, answerStatus, inflate, type Frame } from './grpc-wire.js';
import { NAMESPACE_HEADER, checkHeader, checkRequest, type MethodRule, type NamespaceGuard } from './namespace-guard.js';

/** Headers not relayed: HTTP/1 connection headers have no place in HTTP/2, and pseudo-headers are rebuilt. */
const NOT_RELAYED = new Set(['connection', 'keep-alive', 'proxy-connection', 'transfer-encoding', 'upgrade', 'host']);

export interface UpstreamTarget {
  host: string;
  port: number;
  /** `host:port`, for log lines. */
  label: string;
}

/** One admitted client connection, as the proxy sees it. */
export interface ProxiedClient {
  namespace: string;
  upstream?: ClientHttp2Session;
  /** Whether "cannot reach upstream" was logged for this connection already. */
  unreachableLogged?: boolean;
  /** Why the upstream connection failed, when it did: `ECONNREFUSED`. */
  upstreamError?: string;
}

export interface UpstreamProxy {
  handle(stream: ServerHttp2Stream, headers: IncomingHttpHeaders, client: ProxiedClient): void;
  /** Closes the client's upstream connection (its client connection is gone). */
  release(client: ProxiedClient): void;
}

export interface UpstreamProxyOptions {
  target: UpstreamTarget;
  guard: NamespaceGuard;
  log: (line: string) => void;
}

export function createUpstreamProxy(options: UpstreamProxyOptions): UpstreamProxy {
  const { target, guard, log } = options;

  function upstreamOf(client: ProxiedClient): ClientHttp2Session {
    if (client.upstream && !client.upstream.closed && !client.upstream.destroyed) return client.upstream;
    const session = connectHttp2(`http://${formatHostPort(target.host, target.port)}`);
    session.on('error', (error: NodeJS.ErrnoException) => {
      client.upstreamError = error.code ?? error.message;
      if (!client.unreachableLogged) log(`gateway: cannot reach upstream ${target.label} for ${client.namespace}: ${client.upstreamError}`);
      client.unreachableLogged = true;
    });
    session.once('connect', () => {
      client.unreachableLogged = false;
      delete client.upstreamError;
    });
    return (client.upstream = session);
  }

  function handle(stream: ServerHttp2Stream, headers: IncomingHttpHeaders, client: ProxiedClient): void {
    stream.on('error', () => stream.destroy());
    const path = headers[':path'] ?? '';
    const rule = guard.ruleOf(path);
    if (!rule) return answerStatus(stream, status.UNIMPLEMENTED, `${path} is not forwarded by the namespace endpoint (it forwards WorkflowService, OperatorService and grpc.health.v1.Health)`);
    if (rule.kind === 'deny') return refuse(stream, client, path, rule.message);
    const header = checkHeader(headers[NAMESPACE_HEADER], client.namespace);
    if (!header.ok) return refuse(stream, client, path, header.message);
    new Call(stream, headers, client, rule, () => upstreamOf(client), log, target).start();
  }

  function refuse(stream: ServerHttp2Stream, client: ProxiedClient, path: string, message: string): void {
    log(`gateway: refused a call of ${client.namespace}: ${path}: ${message}`);
    answerStatus(stream, status.PERMISSION_DENIED, message);
  }

  return {
    handle,
    release(client) {
      client.upstream?.close();
      client.upstream?.destroy();
      delete client.upstream;
    },
  };
}

/** One call: checked message by message, relayed both ways. */
class Call {
  readonly #reader = new FrameReader();
  #upstream: ClientHttp2Stream | undefined;
  #done = false;

  constructor(
    readonly stream: ServerHttp2Stream,
    readonly headers: IncomingHttpHeaders,
    readonly client: ProxiedClient,
    readonly rule: Extract<MethodRule, { kind: 'check' }>,
    readonly connect: () => ClientHttp2Session,
    readonly log: (line: string) => void,
    readonly target: UpstreamTarget,
  ) {}

  start(): void {
    const { stream } = this;
    stream.on('data', (chunk: Buffer) => this.#onData(chunk));
    stream.once('end', () => this.#onEnd());
    stream.once('close', () => {
      // The client went away (or the answer is complete): nothing more upstream.
      if (this.#upstream && !this.#upstream.closed) this.#upstream.close(constants.NGHTTP2_CANCEL);
    });
  }

  #onData(chunk: Buffer): void {
    if (this.#done) return;
    let frames: Frame[];
    try {
      frames = this.#reader.push(chunk);
      for (const frame of frames) this.#check(frame);
    } catch (error) {
      return this.#fail(error);
    }
    if (frames.length === 0) return;
    const upstream = this.#open();
    for (const frame of frames) {
      if (!upstream.write(frame.bytes)) {
        this.stream.pause();
        upstream.once('drain', () => this.stream.resume());
      }
    }
  }

  #onEnd(): void {
    if (this.#done) return;
    if (this.#reader.leftover > 0) return this.#fail(new WireError(status.INTERNAL, 'the request ended inside a length-prefixed message'));
    this.#open().end();
  }

  #check(frame: Frame): void {
    const message = frame.compressed ? inflate(frame.message, this.headers['grpc-encoding'] as string | undefined) : frame.message;
    const verdict = checkRequest(this.rule, message, this.client.namespace);
    if (!verdict.ok) {
      if (verdict.code === status.PERMISSION_DENIED) this.log(`gateway: refused a call of ${this.client.namespace}: ${this.headers[':path']}: ${verdict.message}`);
      throw new WireError(verdict.code, verdict.message);
    }
  }

  #fail(error: unknown): void {
    this.#done = true;
    if (this.#upstream && !this.#upstream.closed) this.#upstream.close(constants.NGHTTP2_CANCEL);
    const { code, message } = error instanceof WireError ? error : { code: status.INTERNAL, message: `gateway error: ${(error as Error).message}` };
    answerStatus(this.stream, code, message);
  }

  /** The upstream call, opened once the first message passed (or the request ended without one). */
  #open(): ClientHttp2Stream {
    if (this.#upstream) return this.#upstream;
    const outgoing = relayable(this.headers);
    outgoing[':method'] = 'POST';
    outgoing[':path'] = this.headers[':path'];
    outgoing[':authority'] = this.headers[':authority'] ?? this.target.label;
    outgoing[NAMESPACE_HEADER] = this.client.namespace;
    const upstream = this.connect().request(outgoing, { endStream: false });
    this.#upstream = upstream;
    this.#relayResponse(upstream);
    return upstream;
  }

  #relayResponse(upstream: ClientHttp2Stream): void {
    const { stream } = this;
    let trailers: OutgoingHttpHeaders | undefined;
    upstream.on('response', (headers, flags) => {
      if (stream.destroyed || stream.closed) return;
      const relayed = relayable(headers);
      relayed[':status'] = headers[':status'] ?? 200;
      if (flags & constants.NGHTTP2_FLAG_END_STREAM) {
        stream.respond(relayed, { endStream: true });
        return;
      }
      stream.respond(relayed, { waitForTrailers: true });
      stream.once('wantTrailers', () => stream.sendTrailers(trailers ?? { 'grpc-status': String(status.UNAVAILABLE), 'grpc-message': 'the upstream ended the call without a status' }));
    });
    upstream.on('trailers', (headers) => (trailers = relayable(headers)));
    upstream.on('data', (chunk: Buffer) => {
      if (stream.destroyed || !stream.headersSent) return;
      if (!stream.write(chunk)) {
        upstream.pause();
        stream.once('drain', () => upstream.resume());
      }
    });
    upstream.once('end', () => {
      if (!stream.destroyed && stream.headersSent && !stream.writableEnded) stream.end();
    });
    upstream.on('error', (error: NodeJS.ErrnoException) => {
      if (this.#done) return;
      this.#done = true;
      // The session's own error (ECONNREFUSED) says more than the stream's (cancelled); it may come a moment later.
      setImmediate(() => {
        if (!stream.headersSent) answerStatus(stream, status.UNAVAILABLE, `cannot reach upstream ${this.target.label}: ${this.client.upstreamError ?? error.code ?? error.message}`);
        else stream.close(constants.NGHTTP2_INTERNAL_ERROR);
      });
    });
    upstream.once('close', () => {
      // Reset by the upstream before it answered: say so rather than leave the call hanging.
      if (this.#done) return;
      if (!stream.destroyed && !stream.headersSent) answerStatus(stream, status.UNAVAILABLE, `the upstream ${this.target.label} reset the call (HTTP/2 error ${upstream.rstCode})`);
      else if (!stream.destroyed && !stream.writableEnded && upstream.rstCode !== constants.NGHTTP2_NO_ERROR) stream.close(upstream.rstCode);
    });
  }
}

function relayable(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  const out: OutgoingHttpHeaders = {};
  for (const [name, value] of Object.entries(headers)) {
    if (name.startsWith(':') || NOT_RELAYED.has(name) || value === undefined) continue;
    out[name] = value;
  }
  return out;
}
