/** Addresses and listening, as every listener of the emulator (API, gateway, metrics) does them. */
import type { Server } from 'node:net';

/** Which of the emulator's listeners: the Cloud Ops API, the namespaces' mTLS gateway, the Prometheus metrics endpoint, the sign-in (OAuth) port, or the account metrics endpoint. */
export type Listener = 'api' | 'gateway' | 'metrics' | 'auth' | 'account-metrics';

/** The server cannot listen where asked: an address not on this host, a privileged port... */
export class ListenError extends Error {
  override name = 'ListenError';
  constructor(
    message: string,
    readonly listener: Listener = 'api',
  ) {
    super(message);
  }
}

export class PortInUseError extends ListenError {
  override name = 'PortInUseError';
  constructor(
    readonly port: number,
    listener: Listener = 'api',
  ) {
    super(`port ${port} is in use`, listener);
  }
}

/** `host:port`, or `[v6]:port` for an IPv6 host. */
export function formatHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Listens on `host:port` (exclusively) and resolves the port bound (the OS's choice for 0); a busy port is PortInUseError. */
export function listenOn(server: Server, host: string, port: number, listener: Listener): Promise<number> {
  return new Promise((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new PortInUseError(port, listener)
          : new ListenError(`cannot listen on ${formatHostPort(host, port)}: ${error.message}`, listener),
      );
    server.once('error', failed);
    server.listen({ host, port, exclusive: true }, () => {
      server.off('error', failed);
      resolve((server.address() as { port: number }).port);
    });
  });
}
