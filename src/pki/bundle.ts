/**
 * A namespace's accepted client CA bundle (`spec.mtls_auth.accepted_client_ca`: the PEM bytes) and
 * Temporal Cloud's documented rules for it. Pure: no I/O. One implementation serves the CLI's checks
 * before sending, the emulator's validation, and the tests.
 *
 * STUB: the signatures are fixed; the implementation is being written.
 */
import type { X509Certificate } from 'node:crypto';

/** At most 16 certificates in a bundle (Temporal Cloud). */
export const BUNDLE_MAX_CERTIFICATES = 16;
/** At most 32 KB of PEM in a bundle (Temporal Cloud). */
export const BUNDLE_MAX_BYTES = 32 * 1024;

/** One CA certificate of a bundle, with what `tcld n ca l` prints of it. */
export interface BundleCertificate {
  /** Lowercase hex SHA-1 of the DER, as tcld prints it. */
  fingerprint: string;
  /** Go's pkix.Name.String() form, as tcld prints it: `CN=client.root.myco.ab12,O=myco`. */
  subject: string;
  issuer: string;
  notBefore: Date;
  notAfter: Date;
  /** This certificate alone, PEM, ending in a newline. */
  pem: string;
  x509: X509Certificate;
}

/**
 * Parses PEM text holding zero or more CERTIFICATE blocks (text between blocks is ignored; a block
 * that is not a certificate, or does not parse, throws CertificateError naming its position).
 */
export function parseBundle(pem: string | Uint8Array): BundleCertificate[] {
  void pem;
  throw new Error('not implemented');
}

/** The bundle as Temporal Cloud stores it: the certificates' PEM, joined. Empty string for none. */
export function formatBundle(certificates: readonly BundleCertificate[]): string {
  void certificates;
  throw new Error('not implemented');
}

export interface BundleProblem {
  /** The certificate concerned, when there is one. */
  fingerprint?: string;
  /** One line saying what is wrong, naming the certificate by subject. */
  message: string;
}

/**
 * Every way the bundle breaks Temporal Cloud's rules at `now` (empty when it is acceptable):
 * no certificate; more than 16; more than 32 KB of PEM; a certificate that is not a CA (CA:TRUE);
 * an expired one; a signature weaker than SHA-256 or not RSA/ECDSA; the same certificate twice
 * (by fingerprint); two subjects equal case-insensitively; a certificate neither self-signed nor
 * issued by another certificate in the bundle.
 */
export function checkBundle(certificates: readonly BundleCertificate[], now: Date): BundleProblem[] {
  void certificates;
  void now;
  throw new Error('not implemented');
}

/** The certificates that have expired at `now`. */
export function expiredCertificates(certificates: readonly BundleCertificate[], now: Date): BundleCertificate[] {
  return certificates.filter((c) => c.notAfter.getTime() <= now.getTime());
}

export type BundleChange = { changed: true; certificates: BundleCertificate[] } | { changed: false; reason: string };

/** Adds certificates; refuses (CertificateError) one already in the bundle, by fingerprint. */
export function addToBundle(current: readonly BundleCertificate[], added: readonly BundleCertificate[]): BundleChange {
  void current;
  void added;
  throw new Error('not implemented');
}

/** Removes certificates by fingerprint (case-insensitive hex); refuses (CertificateError) one that is not in the bundle. */
export function removeFromBundle(current: readonly BundleCertificate[], fingerprints: readonly string[]): BundleChange {
  void current;
  void fingerprints;
  throw new Error('not implemented');
}
