/**
 * What the gateway reads of a client: its certificate chain as sent, its subject for log lines, and a
 * failed handshake explained in words.
 */
import type { X509Certificate } from 'node:crypto';
import type { TLSSocket } from 'node:tls';
import { MAX_CHAIN_LENGTH } from '../../pki/admission.js';
import { formatName } from '../../pki/format-name.js';
import { parseCertificateStructure } from '../../pki/x509.js';


/** Why a handshake failed, in words, with what to do about it. */
export function handshakeFailure(error: Error & { code?: string; reason?: string }, servername: string, domain: string, caPath: string | undefined): string {
  switch (error.code) {
    case 'ERR_SSL_NO_SUITABLE_SIGNATURE_ALGORITHM':
      // Without a server name there is no certificate to present, which is how this shows.
      if (servername === '') return `no TLS server name (SNI): connect with <namespace id>.${domain} as the TLS server name`;
      break;
    case 'ECONNRESET':
      return `the client closed the connection during the TLS handshake (does it trust the dev server CA${caPath ? ` ${caPath}` : ''} as its server root CA?)`;
    case 'ERR_SSL_UNSUPPORTED_PROTOCOL':
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
      return `TLS handshake failed (${error.reason ?? error.code}): the endpoint speaks TLS 1.2 or later only`;
    case 'ERR_SSL_NO_APPLICATION_PROTOCOL':
      return 'TLS handshake failed: the client does not offer HTTP/2 (ALPN h2), as gRPC clients do';
  }
  return `TLS handshake failed: ${error.reason ?? error.message}`;
}

/**
 * OpenSSL's verdict on the client chain, in words: `permitted subtree violation (UNSPECIFIED)`. Node
 * gives only a code (UNSPECIFIED for errors it has no name for, such as name constraint violations);
 * the words come from its TLS handle when it has them.
 */
export function opensslVerdict(socket: TLSSocket): string {
  const code = String(socket.authorizationError ?? 'no verdict');
  let words: string | undefined;
  try {
    words = verifyErrorOf(socket)?.message;
  } catch {
    words = undefined;
  }
  return words && words !== code ? `${words} (${code})` : code;
}

/**
 * OpenSSL's verification error for the client chain, read from the socket's TLS handle (a Node
 * internal): null when it verified, undefined when the handle gives no verdict to read.
 */
export function verifyErrorOf(socket: TLSSocket): (Error & { code?: string }) | null | undefined {
  const handle = (socket as unknown as { _handle?: { verifyError?: () => (Error & { code?: string }) | null } })._handle;
  return typeof handle?.verifyError === 'function' ? handle.verifyError() : undefined;
}

/**
 * The client's chain: its certificate, then what it sent to chain it, linked by issuer as Node finds
 * them among the certificates the client sent (cheaper than getPeerCertificate(true), which converts
 * each certificate to an object).
 */
export function peerChain(socket: TLSSocket): X509Certificate[] | undefined {
  const leaf = socket.getPeerX509Certificate();
  if (!leaf) return undefined;
  const chain = [leaf];
  const seen = new Set([leaf.fingerprint256]);
  for (let issuer = leaf.issuerCertificate; issuer && chain.length < MAX_CHAIN_LENGTH && !seen.has(issuer.fingerprint256); issuer = issuer.issuerCertificate) {
    seen.add(issuer.fingerprint256);
    chain.push(issuer);
  }
  return chain;
}

/** The subject as tcld prints names: `CN=client.endentity.myco.ab12,O=myco`. */
export function formatSubject(certificate: X509Certificate): string {
  try {
    return formatName(parseCertificateStructure(certificate.raw).tbsCertificate.subject);
  } catch {
    return certificate.subject.replace(/\n/g, ',');
  }
}
