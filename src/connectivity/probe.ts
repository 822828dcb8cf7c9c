/**
 * A bare TLS handshake with the client's certificate, to learn precisely where a connection fails:
 * the SDK reports most TLS failures as a vague UNAVAILABLE, while node:tls keeps OpenSSL's reason.
 */
import { isIP } from 'node:net';
import { connect } from 'node:tls';

export interface ProbeOptions {
  host: string;
  port: number;
  servername: string;
  /** The server's root CA; undefined: the system's trust store. */
  ca?: string;
  cert: string;
  key: string;
  timeoutMs?: number;
}

export type ProbeResult =
  | { stage: 'admitted' }
  | { stage: 'dns' | 'connect' | 'server-certificate' | 'server-name' | 'client-refused' | 'timeout' | 'tls'; detail: string };

/** How long an established connection must stay open to count as admitted (TLS 1.3 refusals arrive after the handshake). */
const SETTLE_MS = 300;

export function probeTls(options: ProbeOptions): Promise<ProbeResult> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (result: ProbeResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    let socket: ReturnType<typeof connect>;
    try {
      socket = connect({
        host: options.host,
        port: options.port,
        // RFC 6066 forbids an IP address as server name; node warns about it.
        ...(isIP(options.servername) ? {} : { servername: options.servername }),
        ...(options.ca !== undefined ? { ca: options.ca } : {}),
        cert: options.cert,
        key: options.key,
        ALPNProtocols: ['h2'],
        minVersion: 'TLSv1.2',
      });
    } catch (error) {
      // A certificate and key that are not a pair fail before any connection is made.
      resolve({ stage: 'tls', detail: error instanceof Error ? error.message : String(error) });
      return;
    }
    const timer = setTimeout(() => finish({ stage: 'timeout', detail: `no answer within ${options.timeoutMs ?? 5000} ms` }), options.timeoutMs ?? 5000);
    socket.on('secureConnect', () => {
      // HTTP/2 starts with the client's preface; a server that refused the certificate closes instead of answering.
      socket.write('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
      setTimeout(() => finish({ stage: 'admitted' }), SETTLE_MS);
    });
    socket.on('end', () => finish({ stage: 'client-refused', detail: 'the server closed the connection after the handshake' }));
    socket.on('close', () => finish({ stage: 'client-refused', detail: 'the server closed the connection' }));
    socket.on('error', (error: NodeJS.ErrnoException) => finish(classify(error, socket.authorized === true)));
  });
}

function classify(error: NodeJS.ErrnoException, handshakeDone: boolean): ProbeResult {
  const code = error.code ?? '';
  const detail = `${code ? `${code}: ` : ''}${error.message}`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { stage: 'dns', detail };
  if (code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return { stage: 'connect', detail };
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') return { stage: 'server-name', detail };
  if (/CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ISSUER/.test(code)) return { stage: 'server-certificate', detail };
  if (/alert (bad certificate|certificate required|unknown ca|certificate unknown|certificate expired|handshake failure)/i.test(error.message)) {
    return { stage: 'client-refused', detail };
  }
  if (code === 'ECONNRESET' || code === 'EPIPE' || handshakeDone) return { stage: 'client-refused', detail };
  return { stage: 'tls', detail };
}
