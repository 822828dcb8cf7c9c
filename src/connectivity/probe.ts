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

/** Where a connection failed, as a code for diagnoses (never read back from `detail`, which is for people). */
export type ProbeStage =
  | 'dns'
  | 'connect'
  | 'timeout'
  /** The server broke off at the client's hello, before the client could send its certificate: it takes no connection for the server name asked (or for none). */
  | 'server-name-refused'
  | 'server-certificate'
  /** The server's certificate is not valid for the server name. */
  | 'server-name'
  /** The server hung up or sent an alert after the client had sent its certificate. */
  | 'client-refused'
  | 'tls';

export type ProbeResult = { stage: 'admitted' } | { stage: ProbeStage; detail: string };

/** How long an established connection must stay open to count as admitted (TLS 1.3 refusals arrive after the handshake). */
const SETTLE_MS = 300;

export function probeTls(options: ProbeOptions): Promise<ProbeResult> {
  return new Promise((resolve) => {
    let settled = false;
    let keysDerived = false;
    const finish = (result: ProbeResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    };
    const failed = (failure: Omit<ProbeFailure, 'keysDerived' | 'handshakeDone'>) =>
      finish(classifyFailure({ ...failure, keysDerived, handshakeDone: socket.authorized === true }));
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
    // Only the fact is kept, never the line: it carries a secret of this connection.
    socket.on('keylog', () => (keysDerived = true));
    socket.on('secureConnect', () => {
      // HTTP/2 starts with the client's preface; a server that refused the certificate closes instead of answering.
      socket.write('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
      setTimeout(() => finish({ stage: 'admitted' }), SETTLE_MS);
    });
    socket.on('end', () => failed({ message: 'the server closed the connection' }));
    socket.on('close', () => failed({ message: 'the server closed the connection' }));
    // OpenSSL's reason ('tlsv1 unrecognized name') rather than its whole error string.
    socket.on('error', (error: NodeJS.ErrnoException & { reason?: string }) =>
      failed({ ...(error.code !== undefined && { code: error.code }), message: error.reason ?? error.message }),
    );
  });
}

/** What the client had seen when its connection failed. */
export interface ProbeFailure {
  /** node's error code (ECONNRESET, CERT_HAS_EXPIRED, ERR_SSL_…); none when the server just closed the connection. */
  code?: string;
  message: string;
  /**
   * Whether the client had derived a handshake key (node's 'keylog' event): in TLS 1.3 once it read
   * the ServerHello, in TLS 1.2 as it sent its certificate and key exchange. Either way the client
   * certificate goes out after that point, so a refusal before it is not about that certificate.
   */
  keysDerived: boolean;
  /** Whether the handshake had completed (a TLS 1.3 server refuses a client certificate after that). */
  handshakeDone: boolean;
}

/** Alerts (node's codes without the ERR_SSL_<version>_ALERT_ prefix) that a server sends about the client's certificate. */
const CLIENT_CERTIFICATE_ALERTS = new Set([
  'BAD_CERTIFICATE',
  'CERTIFICATE_REQUIRED',
  'UNKNOWN_CA',
  'CERTIFICATE_UNKNOWN',
  'CERTIFICATE_EXPIRED',
  'CERTIFICATE_REVOKED',
  'UNSUPPORTED_CERTIFICATE',
  'ACCESS_DENIED',
  'HANDSHAKE_FAILURE',
]);

/**
 * Where a failure happened. A refusal before any key was derived is one of the client's hello, whose
 * only part the user picks is the server name: a server with no certificate for the name closes the
 * connection or sends handshake_failure, one that says why sends unrecognized_name.
 */
export function classifyFailure(failure: ProbeFailure): Exclude<ProbeResult, { stage: 'admitted' }> {
  const code = failure.code ?? '';
  const detail = `${code ? `${code}: ` : ''}${failure.message.trim()}`;
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN') return { stage: 'dns', detail };
  if (code === 'ECONNREFUSED' || code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return { stage: 'connect', detail };
  const alert = /^ERR_SSL_(?:SSLV3|TLSV1|TLSV13)_(?:ALERT_)?([A-Z_]+)$/.exec(code)?.[1];
  const hungUp = code === '' || code === 'ECONNRESET' || code === 'EPIPE';
  if (alert === 'UNRECOGNIZED_NAME') return { stage: 'server-name-refused', detail };
  if (!failure.keysDerived && (hungUp || alert === 'HANDSHAKE_FAILURE')) return { stage: 'server-name-refused', detail };
  if (alert !== undefined && failure.keysDerived && CLIENT_CERTIFICATE_ALERTS.has(alert)) return { stage: 'client-refused', detail };
  // Not for alerts, whose codes (ERR_SSL_SSLV3_ALERT_BAD_CERTIFICATE) speak of the client's certificate.
  if (alert === undefined && code === 'ERR_TLS_CERT_ALTNAME_INVALID') return { stage: 'server-name', detail };
  if (alert === undefined && /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ISSUER/.test(code)) return { stage: 'server-certificate', detail };
  if (hungUp || failure.handshakeDone) return { stage: 'client-refused', detail };
  return { stage: 'tls', detail };
}
