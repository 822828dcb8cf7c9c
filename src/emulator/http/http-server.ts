/** Serving a router on node:http with time bounds, and stopping it with grace as the emulator's other servers do. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { listenOn, type Listener } from '../address.js';

export interface HttpServer {
  port: number;
  /** Stops accepting, lets running requests finish for up to `graceMs`, then cuts the rest. */
  close(): Promise<void>;
}

export interface ServeHttpOptions {
  host: string;
  /** 0: any free port. */
  port: number;
  /** Which listener this is, for ListenError and PortInUseError. */
  listener: Listener;
  /** Made with the port bound (the router checks Host headers against it). */
  handler: (port: () => number) => (request: IncomingMessage, response: ServerResponse) => void;
  /** How long close() lets running requests finish, in ms. Default 1000. */
  graceMs?: number;
}

/** Whole request, headers included, must arrive within this: a slow or endless body holds nothing for long. */
const REQUEST_TIMEOUT_MS = 15_000;
const HEADERS_TIMEOUT_MS = 10_000;
/** Enough for a browser's parallel connections and a polling CLI on one machine. */
const MAX_CONNECTIONS = 256;

export async function serveHttp(options: ServeHttpOptions): Promise<HttpServer> {
  let bound = 0;
  const server: Server = createServer({ requestTimeout: REQUEST_TIMEOUT_MS, headersTimeout: HEADERS_TIMEOUT_MS }, options.handler(() => bound));
  server.maxConnections = MAX_CONNECTIONS;
  server.keepAliveTimeout = 5_000;
  bound = await listenOn(server, options.host, options.port, options.listener);
  let closing: Promise<void> | undefined;
  return {
    port: bound,
    close() {
      return (closing ??= new Promise<void>((resolve) => {
        const timer = setTimeout(() => server.closeAllConnections(), options.graceMs ?? 1000);
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        server.closeIdleConnections();
      }));
    },
  };
}
