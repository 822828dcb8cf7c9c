/**
 * The account metrics endpoint, as Temporal Cloud's `https://<account>.tmprl.cloud/prometheus`: an
 * mTLS listener that serves the namespaces' Prometheus series (text exposition format) at
 * GET /prometheus to clients whose certificate chains to a CA of the account's metrics bundle. Each
 * client chain is judged as the gateway judges it: by OpenSSL during the handshake, against the bundle
 * in force as trust anchors (a TLS context per bundle version, from the gateway's server-identities.ts),
 * and by admitClient against the same bundle; both must admit. A bundle change applies to the next
 * connection without a restart, and open connections that it no longer admits are closed. With no
 * bundle the listener stays up and refuses everyone (the endpoint is off, and GetAccount reports no URI).
 *
 * Clients connect by IP (the URI's host), so they send no TLS server name: instead of an SNI callback,
 * each TCP connection is wrapped in a TLSSocket made with the context of the bundle in force.
 */
import type { X509Certificate } from 'node:crypto';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createTcpServer, type Socket } from 'node:net';
import { TLSSocket } from 'node:tls';
import type { Registry } from 'prom-client';
import type { CertificateAuthority } from '../../pki/issuer.js';
import type { RandomSource } from '../../pki/random.js';
import { formatHostPort, listenOn } from '../address.js';
import { formatSubject, peerChain } from '../gateway/peer.js';
import { NO_RESUMPTION, createServerIdentities } from '../gateway/server-identities.js';
import type { AccountStore } from './account-store.js';
import { createMetricsPolicyCache } from './metrics-policy.js';
import { verifyErrorOf } from '../gateway/peer.js';

/** Temporal Cloud's path for the account's metrics. */
export const METRICS_PATH = '/prometheus';
/** A client that has not finished its handshake within this long is cut. */
const HANDSHAKE_TIMEOUT_MS = 10_000;

export interface StartAccountMetricsOptions {
  host: string;
  /** 0: any free port. */
  port: number;
  accounts: AccountStore;
  account: string;
  /** Issues the endpoint's server certificate (the dev server CA). */
  ca: CertificateAuthority;
  /** The series served. */
  registry: Registry;
  now(): Date;
  random: RandomSource;
  /** One line per refusal (with its reasons) and per admission. */
  log?: (line: string) => void;
}

export interface AccountMetricsEndpoint {
  port: number;
  /** `host:port` */
  address: string;
  /** `https://127.0.0.1:<port>/prometheus`: what GetAccount reports as metrics.uri. */
  uri: string;
  close(): Promise<void>;
}

export async function startAccountMetricsEndpoint(options: StartAccountMetricsOptions): Promise<AccountMetricsEndpoint> {
  const log = options.log ?? (() => {});
  // A wildcard address is reached on loopback; the server certificate names the URI's host.
  const uriHost = options.host === '0.0.0.0' ? '127.0.0.1' : options.host === '::' ? '::1' : options.host;
  const identities = createServerIdentities({ ca: options.ca, now: options.now, random: options.random });
  const sockets = new Set<Socket>();
  const admitted = new Map<TLSSocket, { subject: string; chain: readonly X509Certificate[] }>();
  let recheckPending = false;
  const policies = createMetricsPolicyCache(options.accounts, options.account, () => {
    // Told before the change commits: judge open connections once it has.
    if (recheckPending || admitted.size === 0) return;
    recheckPending = true;
    setImmediate(() => {
      recheckPending = false;
      const policy = policies.policy();
      for (const [socket, client] of admitted) {
        const judgement = policies.judge(policy, client.chain, options.now());
        if (judgement.admitted) continue;
        log(`account metrics: closed ${client.subject}: no longer admitted: ${judgement.reasons.join('; ')}`);
        socket.destroy();
      }
    });
  });

  const http = createHttpServer((request: IncomingMessage, response: ServerResponse) => {
    const path = (request.url ?? '').split('?')[0];
    if (path !== METRICS_PATH || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end(`not found: the account's metrics are at GET ${METRICS_PATH}\n`);
      return;
    }
    options.registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': options.registry.contentType }).end(request.method === 'HEAD' ? undefined : text),
      (error: Error) => response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end(`cannot collect metrics: ${error.message}\n`),
    );
  });

  function refuse(socket: Socket, subject: string, reasons: readonly string[]): void {
    log(`account metrics: refused ${subject}: ${reasons.join('; ')}`);
    socket.destroy();
  }

  function admit(socket: TLSSocket): void {
    socket.setTimeout(0);
    const policy = policies.policy();
    const chain = peerChain(socket);
    const subject = chain ? formatSubject(chain[0]!) : '-';
    const judgement = policies.judge(policy, chain, options.now());
    const reasons = judgement.admitted ? [] : [...judgement.reasons];
    const openssl = chain && policy.kind === 'open' ? opensslRefusal(socket) : undefined;
    if (openssl) reasons.push(`OpenSSL's path validation refuses the chain: ${openssl}`);
    if (reasons.length > 0) return refuse(socket, subject, reasons);
    log(`account metrics: admitted ${subject}`);
    admitted.set(socket, { subject, chain: chain! });
    socket.once('close', () => admitted.delete(socket));
    http.emit('connection', socket);
  }

  const front = createTcpServer((raw) => {
    sockets.add(raw);
    raw.once('close', () => sockets.delete(raw));
    raw.on('error', () => raw.destroy());
    identities.contextFor(uriHost, policies.trust(policies.policy())).then(
      (secureContext) => {
        if (raw.destroyed) return;
        const socket = new TLSSocket(raw, { isServer: true, secureContext, requestCert: true, rejectUnauthorized: false, secureOptions: NO_RESUMPTION });
        socket.setTimeout(HANDSHAKE_TIMEOUT_MS, () => refuse(socket, '-', ['no TLS handshake in time']));
        socket.once('secure', () => admit(socket));
        socket.on('error', (error: Error & { reason?: string }) => {
          if (!admitted.has(socket)) refuse(socket, '-', [`TLS handshake failed: ${error.reason ?? error.message}`]);
          else socket.destroy();
        });
      },
      (error: Error) => refuse(raw, '-', [`cannot issue a server certificate: ${error.message}`]),
    );
  });
  let port: number;
  try {
    port = await listenOn(front, options.host, options.port, 'account-metrics');
  } catch (error) {
    policies.close();
    throw error;
  }
  front.on('error', (error: Error) => log(`account metrics: ${error.message}`));

  let closing: Promise<void> | undefined;
  return {
    port,
    address: formatHostPort(options.host, port),
    uri: `https://${formatHostPort(uriHost, port)}${METRICS_PATH}`,
    close() {
      return (closing ??= (async () => {
        const closed = new Promise<void>((resolve) => front.close(() => resolve()));
        policies.close();
        for (const socket of sockets) socket.destroy();
        http.closeAllConnections();
        await closed;
      })());
    },
  };
}

/**
 * OpenSSL's verdict on the client chain, or undefined when it admits it. A TLSSocket made outside a
 * tls.Server does not set `authorized`, so the verdict is read from its TLS handle, failing closed
 * when there is none to read.
 */
function opensslRefusal(socket: TLSSocket): string | undefined {
  const error = verifyErrorOf(socket);
  if (error === undefined) return 'no verdict from OpenSSL';
  return error ? `${error.message} (${error.code ?? 'unknown'})` : undefined;
}
