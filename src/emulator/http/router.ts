/**
 * A small router on node:http for the emulator's browser-facing port (the OAuth device flow today, a
 * web console later): routes are plain values, handlers return a reply value instead of writing to the
 * response, and the router does what every route needs once: the Host check against DNS rebinding, a
 * bounded body, security headers with a per-response CSP nonce, 404/405, and one log line per request.
 * A reply may also be a stream (open-streams.ts: Server-Sent Events), under the same checks and headers.
 */
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { RandomSource } from '../../pki/random.js';
import { isStreamReply, type HttpStreamReply, type OpenStreams } from './open-streams.js';

export type Method = 'GET' | 'POST';

export interface HttpRequest {
  method: Method;
  /** The path without the query. */
  path: string;
  /** The route's `:name` segments, percent-decoded: `{ id: 'myns.acct' }` for `/console/namespaces/:id` (empty for a plain path). */
  params: Readonly<Record<string, string>>;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  /** `http://<Host header>`: a loopback name and this server's port (the router refuses any other Host). */
  origin: string;
  cookies: ReadonlyMap<string, string>;
  /** A POST's fields (a form, or a JSON object of strings); empty for GET. */
  form: URLSearchParams;
  /** The CSP nonce of this response, for inline `<style>` and `<script>` elements. */
  nonce: string;
}

export interface HttpReply {
  status: number;
  headers?: Record<string, string | string[]>;
  body?: string;
  /** A short non-secret word for the log line, such as an OAuth error code. */
  note?: string;
}

export type Handler = (request: HttpRequest) => HttpReply | HttpStreamReply | Promise<HttpReply | HttpStreamReply>;

export interface Route {
  method: Method;
  /** The path, exactly; a segment `:name` matches any one non-empty segment, given to the handler in `params`. */
  path: string;
  handle: Handler;
}

/** Why the router answered on its own, for `failure` to shape (JSON for an API, a page for a person). */
export type RouterFailure = 'not-found' | 'method-not-allowed' | 'misdirected' | 'too-large' | 'unsupported-media-type' | 'malformed-body' | 'internal' | 'unavailable';

export interface RouterOptions {
  routes: readonly Route[];
  /** The port the server listens on: a Host header must name it. */
  port: () => number;
  /** The address it listens on, such as 127.0.0.2: a Host header may name it besides 127.0.0.1, localhost and [::1]. */
  address?: string;
  /** The reply for a request the router refuses (headers such as Allow are added by the router). */
  failure: (failure: RouterFailure, path: string, nonce: string) => HttpReply;
  random: RandomSource;
  /** One line per request: method, path without query, status (and the reply's note). */
  log?: (line: string) => void;
  /** The log lines' first word. Default 'http'. */
  logPrefix?: string;
  /** Largest body read, in bytes. Default 64 KiB. */
  maxBodyBytes?: number;
  /** Bounds the routes' streamed replies (a stream without it is a bug: 500). Default: none. */
  streams?: OpenStreams;
}

export const DEFAULT_MAX_BODY_BYTES = 64 * 1024;

const STATUS: Record<RouterFailure, number> = {
  'not-found': 404,
  'method-not-allowed': 405,
  misdirected: 421,
  'too-large': 413,
  'unsupported-media-type': 415,
  'malformed-body': 400,
  internal: 500,
  /** Too many streams open: the client may try again later. */
  unavailable: 503,
};

/** Status code of a router failure, for `failure` replies. */
export function failureStatus(failure: RouterFailure): number {
  return STATUS[failure];
}

/** Host names a browser on this machine uses for loopback; any other name may be a DNS rebinding page. */
const LOOPBACK_NAMES = new Set(['127.0.0.1', 'localhost', '[::1]']);

export function createRouter(options: RouterOptions): (request: IncomingMessage, response: ServerResponse) => void {
  const maxBodyBytes = options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES;
  const names = new Set([...LOOPBACK_NAMES, ...(options.address === undefined ? [] : [options.address.includes(':') ? `[${options.address}]` : options.address])]);
  return (incoming, response) => {
    const nonce = Buffer.from(options.random(16)).toString('base64');
    const target = incoming.url ?? '/';
    const at = target.indexOf('?');
    const path = at < 0 ? target : target.slice(0, at);
    const query = new URLSearchParams(at < 0 ? '' : target.slice(at + 1));
    const method = incoming.method === 'HEAD' ? 'GET' : incoming.method;
    const send = (reply: HttpReply) => {
      writeReply(response, reply, nonce, incoming.method === 'HEAD');
      options.log?.(`${options.logPrefix ?? 'http'}: ${incoming.method ?? '-'} ${printable(path)} ${reply.status}${reply.note ? ` ${reply.note}` : ''}`);
    };
    const refuse = (failure: RouterFailure, headers: Record<string, string> = {}) => {
      const reply = options.failure(failure, path, nonce);
      send({ ...reply, status: STATUS[failure], headers: { ...reply.headers, ...headers } });
    };

    const host = incoming.headers.host ?? '';
    if (!isOurHost(host, names, options.port())) return refuse('misdirected', { connection: 'close' });
    const candidates = options.routes.flatMap((route) => {
      const params = matchPath(route.path, path);
      return params ? [{ route, params }] : [];
    });
    if (candidates.length === 0) return refuse('not-found');
    const chosen = candidates.find((candidate) => candidate.route.method === method);
    if (!chosen) {
      const allowed = candidates.map((candidate) => candidate.route.method).flatMap((m) => (m === 'GET' ? ['GET', 'HEAD'] : [m]));
      return refuse('method-not-allowed', { allow: [...new Set(allowed)].join(', ') });
    }
    const { route, params } = chosen;
    const stream = (reply: HttpStreamReply) => {
      if (!options.streams) return refuse('internal');
      const start = options.streams.start(response, reply, securityHeaders(nonce), incoming.method === 'HEAD');
      if (start.code === 'full') return refuse('unavailable', { 'retry-after': '10' });
      if (start.code === 'replaced') return send(start.reply);
      options.log?.(`${options.logPrefix ?? 'http'}: ${incoming.method ?? '-'} ${printable(path)} ${reply.status} stream${reply.note ? ` ${reply.note}` : ''}`);
    };
    readBody(incoming, method === 'POST' ? maxBodyBytes : 0).then(async (body) => {
      if (body.code !== 'ok') return refuse(body.code, body.code === 'too-large' ? { connection: 'close' } : {});
      const form = parseForm(body.bytes, incoming.headers['content-type']);
      if (typeof form === 'string') return refuse(form);
      const request: HttpRequest = { method: route.method, path, params, query, headers: incoming.headers, origin: `http://${host}`, cookies: parseCookies(incoming.headers.cookie), form, nonce };
      let reply: HttpReply | HttpStreamReply;
      try {
        reply = await route.handle(request);
      } catch {
        return refuse('internal');
      }
      if (!isStreamReply(reply)) return send(reply);
      try {
        stream(reply);
      } catch {
        // A stream that failed after its headers went out can only be cut.
        if (response.headersSent) response.destroy();
        else refuse('internal');
      }
    }, () => response.destroy());
  };
}

/** The `:name` segments of `pattern` in `path` (percent-decoded), or undefined when `path` does not match it. */
function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  if (!pattern.includes('/:')) return pattern === path ? {} : undefined;
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    if (want[i]!.startsWith(':')) {
      if (got[i] === '') return undefined;
      try {
        params[want[i]!.slice(1)] = decodeURIComponent(got[i]!);
      } catch {
        return undefined;
      }
    } else if (want[i] !== got[i]) return undefined;
  }
  return params;
}

/** The Host header names this machine's loopback (or our address) on our port: a page on another name reached us by DNS rebinding. */
function isOurHost(host: string, names: ReadonlySet<string>, port: number): boolean {
  const match = /^(\[[0-9a-f:.]+\]|[^:[\]]+):(\d{1,5})$/i.exec(host);
  return match !== null && names.has(match[1]!.toLowerCase()) && Number(match[2]) === port;
}

type Body = { code: 'ok'; bytes: Buffer } | { code: 'too-large' };

/** The body up to `limit` bytes; past it, reading stops and the connection is closed after the reply. */
function readBody(request: IncomingMessage, limit: number): Promise<Body> {
  return new Promise((resolve, reject) => {
    const declared = Number(request.headers['content-length'] ?? 0);
    if (declared > limit) return resolve({ code: 'too-large' });
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        request.removeAllListeners('data').pause();
        resolve({ code: 'too-large' });
      } else chunks.push(chunk);
    });
    request.on('end', () => resolve({ code: 'ok', bytes: Buffer.concat(chunks) }));
    request.on('error', reject);
  });
}

/** Fields of a form body (RFC 6749's encoding) or, as Auth0 also takes, a JSON object of strings. */
function parseForm(bytes: Buffer, contentType: string | undefined): URLSearchParams | RouterFailure {
  if (bytes.length === 0) return new URLSearchParams();
  const type = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  const text = bytes.toString('utf8');
  if (type === 'application/x-www-form-urlencoded') return new URLSearchParams(text);
  if (type !== 'application/json') return 'unsupported-media-type';
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return 'malformed-body';
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return 'malformed-body';
  const form = new URLSearchParams();
  for (const [name, field] of Object.entries(value)) {
    if (typeof field !== 'string') return 'malformed-body';
    form.append(name, field);
  }
  return form;
}

function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0) cookies.set(part.slice(0, at).trim(), part.slice(at + 1).trim());
  }
  return cookies;
}

/**
 * Headers on every response: nothing cached (codes and tokens), no framing, no sniffing, and no referrer
 * to other sites (the user code is in the URL). A page's script may connect to this server alone (the
 * console's live feed, an EventSource). Not 'no-referrer': browsers then send `Origin: null` on
 * the page's own form POSTs, which the CSRF check refuses.
 */
function securityHeaders(nonce: string): Record<string, string> {
  return {
    'content-security-policy': `default-src 'none'; style-src 'nonce-${nonce}'; script-src 'nonce-${nonce}'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'`,
    'x-frame-options': 'DENY',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'same-origin',
    'cache-control': 'no-store',
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
  };
}

function writeReply(response: ServerResponse, reply: HttpReply, nonce: string, head: boolean): void {
  const body = reply.body ?? '';
  response.writeHead(reply.status, { ...securityHeaders(nonce), 'content-length': Buffer.byteLength(body), ...reply.headers });
  response.end(head ? undefined : body);
}

/** A path as a log shows it: printable ASCII only (Node refuses other bytes in a request line today; this does not rely on it), at most 200 characters. */
function printable(path: string): string {
  const clean = path.replace(/[^\x20-\x7e]/g, '?');
  return clean.length > 200 ? `${clean.slice(0, 200)}...` : clean;
}
