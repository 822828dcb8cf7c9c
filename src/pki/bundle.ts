/**
 * A namespace's accepted client CA bundle (`spec.mtls_auth.accepted_client_ca`: the PEM bytes) and
 * Temporal Cloud's documented rules for it. Pure: no I/O. One implementation serves the CLI's checks
 * before sending, the emulator's validation, and the tests.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { CertificateError, UserError } from '../errors.js';
import { factsOf } from './certificate-facts.js';
import { DerError, readTlv } from './der.js';
import { scanPem, toPem } from './pem.js';
import { MalformedCertificateError } from './x509.js';

export {
  BUNDLE_MAX_BYTES,
  BUNDLE_MAX_CERTIFICATES,
  PROBLEMS_SHOWN,
  checkBundle,
  checkBundleInput,
  summarizeProblems,
  type BundleCode,
  type BundleProblem,
} from './bundle-rules.js';

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

/** PEM labels that hold a certificate: RFC 7468's, and the legacy one its section 5.1 says to accept. */
const CERTIFICATE_LABELS = new Set(['CERTIFICATE', 'X509 CERTIFICATE']);

/**
 * Parses PEM text holding zero or more CERTIFICATE blocks (text between blocks is ignored; a block
 * that is not a certificate, or does not parse, throws CertificateError naming its position).
 * Bytes that hold no PEM but are one DER certificate are accepted as that certificate. Empty input
 * (or only whitespace) gives no certificates: whether that is an error is the caller's decision.
 * Every part of each certificate that tcld reads is decoded here, so that a certificate accepted
 * here cannot fail later on a malformed name, time or extension.
 */
export function parseBundle(pem: string | Uint8Array, options: ReadCertificatesOptions = {}): BundleCertificate[] {
  return readCertificates(pem, bundleCertificateOf, options);
}

export interface ReadCertificatesOptions {
  /** What messages call the input: `the file`. Default `the bundle`. */
  name?: string;
}

/**
 * The reading every bundle parser shares (the same accepted input, the same messages): `make` turns one
 * certificate's DER into the record wanted, throwing when it does not parse. Linear in the input.
 */
export function readCertificates<T>(pem: string | Uint8Array, make: (der: Uint8Array) => T, options: ReadCertificatesOptions = {}): T[] {
  const input = options.name ?? 'the bundle';
  const text = typeof pem === 'string' ? pem : Buffer.from(pem.buffer, pem.byteOffset, pem.byteLength).toString('utf8');
  const { blocks, unended } = scanPem(text);
  if (blocks.length === 0 && unended === 0) {
    if (text.trim() === '') return [];
    if (typeof pem !== 'string' && looksLikeDer(pem)) {
      try {
        return [make(pem)];
      } catch (error) {
        throw new CertificateError(`${input} is not PEM, and as DER it is malformed: ${reasonOf(error)}`);
      }
    }
    throw new CertificateError(`${input} is not PEM: it holds no -----BEGIN CERTIFICATE----- block`);
  }
  if (unended > 0) {
    const lines = unended === 1 ? 'a -----BEGIN----- line has' : `${unended} -----BEGIN----- lines have`;
    throw new CertificateError(`${input} is not valid PEM: ${lines} no matching -----END----- line`);
  }
  return blocks.map((block, index) => {
    const position = index + 1;
    if (!CERTIFICATE_LABELS.has(block.label)) {
      const label = block.label.length > 40 ? `${block.label.slice(0, 40)}…` : block.label;
      throw new CertificateError(
        `entry ${position} of ${input} holds a ${label} block, not a certificate: a CA bundle holds only CERTIFICATE blocks`,
      );
    }
    if (!block.base64) throw new CertificateError(`certificate ${position} of ${input} is malformed: its PEM content is not base64`);
    try {
      return make(block.der);
    } catch (error) {
      throw new CertificateError(`certificate ${position} of ${input} is malformed: ${reasonOf(error)}`);
    }
  });
}

/** What is wrong with a certificate that did not parse, in our words (never a library's, never the input's). */
function reasonOf(error: unknown): string {
  if (error instanceof MalformedCertificateError) return error.reason;
  if (error instanceof DerError && error.namesPart) return error.message;
  return 'it is not a valid X.509 certificate';
}

/** One certificate from its DER, every part tcld reads decoded; throws when it does not parse. */
export function bundleCertificateOf(der: Uint8Array): BundleCertificate {
  const x509 = new X509Certificate(der);
  const { subject, issuer, notBefore, notAfter } = factsOf(x509).parsed;
  return {
    fingerprint: fingerprintOf(x509.raw),
    subject,
    issuer,
    notBefore,
    notAfter,
    pem: toPem('CERTIFICATE', x509.raw),
    x509,
  };
}

/** tcld's fingerprint: lowercase hex SHA-1 of the DER. */
export function fingerprintOf(der: Uint8Array): string {
  return createHash('sha1').update(der).digest('hex');
}

/** One DER SEQUENCE (0x30) with a length that fits the bytes: anything else is not worth parsing as a certificate. */
function looksLikeDer(bytes: Uint8Array): boolean {
  try {
    return readTlv(bytes, 0, 0x30).end <= bytes.length;
  } catch {
    return false;
  }
}

/** The bundle as Temporal Cloud stores it: the certificates' PEM, joined. Empty string for none. */
export function formatBundle(certificates: readonly BundleCertificate[]): string {
  return certificates.map((c) => c.pem).join('');
}

/** The certificates that have expired at `now`. */
export function expiredCertificates(certificates: readonly BundleCertificate[], now: Date): BundleCertificate[] {
  return certificates.filter((c) => c.notAfter.getTime() <= now.getTime());
}

export type BundleChange =
  | { changed: true; certificates: BundleCertificate[] }
  /** `already-present`: a given certificate is in the bundle already (tcld refuses that; --idempotent accepts it). */
  | { changed: false; code: 'nothing-given' | 'already-present'; reason: string };

/**
 * Adds certificates; refuses one given twice in `added` (CertificateError: the input is wrong). When one
 * is in the bundle already (by fingerprint), nothing is added (`already-present`), unless `skipPresent`:
 * then the others are. Adding nothing is `{ changed: false }` too. Does not check the result: see checkBundle.
 */
export function addToBundle(current: readonly BundleCertificate[], added: readonly BundleCertificate[], skipPresent = false): BundleChange {
  if (added.length === 0) return { changed: false, code: 'nothing-given', reason: 'no certificate to add' };
  const present = new Set(current.map((c) => c.fingerprint));
  const adding = new Set<string>();
  for (const certificate of added) {
    if (adding.has(certificate.fingerprint)) {
      throw new CertificateError(`certificate with fingerprint '${certificate.fingerprint}' is given twice: add it once`);
    }
    adding.add(certificate.fingerprint);
  }
  const fresh = added.filter((c) => !present.has(c.fingerprint));
  if (fresh.length === 0 || (fresh.length < added.length && !skipPresent)) {
    const first = added.find((c) => present.has(c.fingerprint))!;
    return { changed: false, code: 'already-present', reason: `certificate with fingerprint '${first.fingerprint}' already exists` };
  }
  return { changed: true, certificates: [...current, ...fresh] };
}

/**
 * Removes certificates by fingerprint: hex in either case, plain or colon-separated (`AA:BB:…`, as
 * openssl prints it). Refuses one that is not in the bundle (UserError), so nothing is removed
 * then, and text that is no fingerprint (CertificateError). Removing nothing is `{ changed: false }`. Does not check the result: see checkBundle.
 */
export function removeFromBundle(current: readonly BundleCertificate[], fingerprints: readonly string[]): BundleChange {
  if (fingerprints.length === 0) return { changed: false, code: 'nothing-given', reason: 'no certificate to remove' };
  const present = new Set(current.map((c) => c.fingerprint));
  const removing = new Set<string>();
  for (const given of fingerprints) {
    const fingerprint = normalizeFingerprint(given);
    if (!/^[0-9a-f]{40}$/.test(fingerprint)) {
      throw new CertificateError(`'${given}' is not a certificate fingerprint: give the 40 hex digits tcld lists (tcld n ca l)`);
    }
    if (!present.has(fingerprint)) throw new UserError(`certificate with fingerprint '${given}' does not exist in the bundle`);
    removing.add(fingerprint);
  }
  return { changed: true, certificates: current.filter((c) => !removing.has(c.fingerprint)) };
}

/** Lowercase hex without separators: `AA:BB:CC` and ` aabbcc ` are both `aabbcc`. */
export function normalizeFingerprint(fingerprint: string): string {
  return fingerprint.trim().replace(/:/g, '').toLowerCase();
}
