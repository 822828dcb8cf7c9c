/**
 * The emulator's Prometheus metrics (prom-client, text exposition format): each namespace CA's expiry,
 * computed from the store at scrape time so that added and removed CAs show without a restart; Cloud
 * Ops API calls by method and status; gateway connections admitted or refused, by reason; and the
 * gRPC calls of admitted clients through the gateway, per namespace, by method and status. One
 * Registry per emulator (never prom-client's global one), so that two emulators in a process do not
 * clash; and a second one with the namespaces' series only, which the account metrics endpoint serves.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { status } from '@grpc/grpc-js';
import { Counter, Gauge, Registry } from 'prom-client';
import { HEALTH_SERVICE, serviceMethods } from '../cloud/proto.js';
import { parseBundleOnce } from './certificate-memo.js';
import type { RefusalCode } from './gateway/connections.js';
import { decodeStoredSpec } from './namespace-view.js';
import { listenOn } from './address.js';
import type { Store } from './store.js';

/** Namespaces read per query while collecting the expiry gauge. */
const PAGE = 500;

export interface EmulatorMetrics {
  registry: Registry;
  /** The namespaces' series only (CA expiry, gateway connections and requests): what the account metrics endpoint serves. */
  namespaceRegistry: Registry;
  /** One Cloud Ops API (or health) call answered with `code`. */
  countCall(method: string, code: status): void;
  /** One gateway connection: admitted, refused for `reason` ('' namespace when it names none that exists), or closed for `reason` once no longer admitted. */
  countConnection(namespace: string, result: 'admitted' | 'refused' | 'closed', reason: RefusalCode | ''): void;
  /** One gRPC call of an admitted client of `namespace` through the gateway, to `path`, ended with `grpcStatus` (undefined: none was sent). */
  countRequest(namespace: string, path: string, grpcStatus: string | undefined): void;
}

export function createMetrics(store: Store): EmulatorMetrics {
  const registry = new Registry();
  const namespaceRegistry = new Registry();
  const both = [registry, namespaceRegistry];
  /** Each namespace's parsed CAs, by resource version: a scrape parses only the bundles that changed. */
  const parsed = new Map<string, { resourceVersion: string; cas: Array<{ fingerprint: string; expiry: number }> }>();

  new Gauge({
    name: 'tcld_namespace_ca_expiry_timestamp_seconds',
    help: "When each CA of a namespace's accepted client CA bundle expires (its notAfter), as a Unix timestamp in seconds; fingerprint as `tcld n ca l` prints it",
    labelNames: ['namespace', 'fingerprint'],
    registers: both,
    collect() {
      this.reset();
      const seen = new Set<string>();
      for (let afterId = '', rows; (rows = store.namespaces({ afterId, name: '', limit: PAGE })).length > 0; afterId = rows[rows.length - 1]!.id) {
        for (const row of rows) {
          seen.add(row.id);
          let entry = parsed.get(row.id);
          if (entry?.resourceVersion !== row.resourceVersion) {
            entry = { resourceVersion: row.resourceVersion, cas: casOf(row) };
            parsed.set(row.id, entry);
          }
          for (const ca of entry.cas) this.set({ namespace: row.id, fingerprint: ca.fingerprint }, ca.expiry);
        }
        if (rows.length < PAGE) break;
      }
      for (const id of parsed.keys()) if (!seen.has(id)) parsed.delete(id);
    },
  });
  const calls = new Counter({
    name: 'tcld_cloud_requests_total',
    help: 'Cloud Ops API and health calls answered, by method and gRPC status',
    labelNames: ['method', 'code'],
    registers: [registry],
  });
  const connections = new Counter({
    name: 'tcld_gateway_connections_total',
    help: "Connections to the namespaces' mTLS endpoint, admitted, refused, or closed when a bundle or filter change no longer admits them (with the reason's code); namespace is empty when the client named none that exists",
    labelNames: ['namespace', 'result', 'reason'],
    registers: both,
  });
  const requests = new Counter({
    name: 'tcld_namespace_requests_total',
    help: "gRPC calls of admitted clients through a namespace's mTLS endpoint, by method (`other` for a path that is no Temporal API method) and gRPC status (CANCELLED when the call ended without one)",
    labelNames: ['namespace', 'method', 'code'],
    registers: both,
  });

  return {
    registry,
    namespaceRegistry,
    countRequest: (namespace, path, grpcStatus) => requests.inc({ namespace, method: methodLabel(path), code: statusLabel(grpcStatus) }),
    countCall: (method, code) => calls.inc({ method, code: status[code] ?? String(code) }),
    countConnection: (namespace, result, reason) => connections.inc({ namespace, result, reason }),
  };
}

/** The Temporal API services whose method names label requests: any other path is `other`, so that a client cannot grow the label set. */
const LABELLED_SERVICES = ['temporal.api.workflowservice.v1.WorkflowService', 'temporal.api.operatorservice.v1.OperatorService', HEALTH_SERVICE];
let knownPaths: Map<string, string> | undefined;

function methodLabel(path: string): string {
  knownPaths ??= new Map(LABELLED_SERVICES.flatMap((service) => serviceMethods(service).map((method) => [method.path, method.name] as const)));
  return knownPaths.get(path) ?? 'other';
}

/** A grpc-status header's value as its status name; a value that is no status is `UNKNOWN`. */
function statusLabel(grpcStatus: string | undefined): string {
  if (grpcStatus === undefined) return 'CANCELLED';
  const code = /^\d{1,2}$/.test(grpcStatus) ? Number(grpcStatus) : NaN;
  return (status[code] as string | undefined) ?? 'UNKNOWN';
}

/**
 * The accepted client CAs of a stored namespace; none when mTLS has none, or when the spec does not
 * decode or the bundle does not parse (the API stores neither: a damaged row costs only its own series).
 */
function casOf(row: { spec: Uint8Array }): Array<{ fingerprint: string; expiry: number }> {
  const decoded = decodeStoredSpec(row);
  if (!decoded.ok) return [];
  const pem = decoded.spec.mtlsAuth?.acceptedClientCa;
  if (!pem || pem.length === 0) return [];
  try {
    return parseBundleOnce(Uint8Array.from(pem)).map((ca) => ({ fingerprint: ca.fingerprint, expiry: Math.floor(ca.notAfter.getTime() / 1000) }));
  } catch {
    return [];
  }
}

export interface MetricsServer {
  port: number;
  close(): Promise<void>;
}

/** Serves `GET /metrics` (and HEAD) on `host:port` (0: any free port); anything else is 404. */
export async function serveMetrics(registry: Registry, host: string, port: number): Promise<MetricsServer> {
  const server: Server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const path = (request.url ?? '').split('?')[0];
    if (path !== '/metrics' || (request.method !== 'GET' && request.method !== 'HEAD')) {
      response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('not found: metrics are at GET /metrics\n');
      return;
    }
    registry.metrics().then(
      (text) => response.writeHead(200, { 'content-type': registry.contentType }).end(request.method === 'HEAD' ? undefined : text),
      (error: Error) => response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end(`cannot collect metrics: ${error.message}\n`),
    );
  });
  const bound = await listenOn(server, host, port, 'metrics');
  let closing: Promise<void> | undefined;
  return {
    port: bound,
    close() {
      return (closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }));
    },
  };
}
