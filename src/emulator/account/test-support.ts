/** Test helpers for the account metrics endpoint: a scrape over mTLS with node:https, as Prometheus would make it. */
import { request } from 'node:https';

export interface ClientPair {
  certificatePem: string;
  privateKeyPem: string;
}

/** What a scrape got: the status and body, or `refused` when the connection was cut (during or after the handshake). */
export type ScrapeResult = { status: number; contentType: string; text: string } | { refused: string };

/**
 * GET `uri` (`https://127.0.0.1:<port>/prometheus`) trusting `serverCa` (the dev server CA), with
 * `client` as the client certificate (none: no certificate), on a new connection each time.
 */
export function scrape(uri: string, serverCa: string | Buffer, client?: ClientPair): Promise<ScrapeResult> {
  return new Promise((resolve) => {
    const call = request(uri, { ca: serverCa, ...(client && { cert: client.certificatePem, key: client.privateKeyPem }), agent: false, timeout: 10_000 }, (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, contentType: String(response.headers['content-type'] ?? ''), text }));
      response.on('error', (error) => resolve({ refused: error.message }));
    });
    call.on('timeout', () => call.destroy(new Error('timed out')));
    call.on('error', (error: NodeJS.ErrnoException) => resolve({ refused: error.code ?? error.message }));
    call.end();
  });
}
