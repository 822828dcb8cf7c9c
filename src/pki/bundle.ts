/**
 * A namespace's accepted client CA bundle (`spec.mtls_auth.accepted_client_ca`: the PEM bytes) and
 * Temporal Cloud's documented rules for it. Pure: no I/O. One implementation serves the CLI's checks
 * before sending, the emulator's validation, and the tests.
 */
import { createHash, X509Certificate } from 'node:crypto';
import { CertificateError, UserError } from '../errors.js';
import { formatName } from './format-name.js';
import { describeKey } from './keys.js';
import { parsePemBlocks, toPem } from './pem.js';
import { judgeSignatureAlgorithm } from './signature-algorithm.js';
import { isCaByBasicConstraints, nameKey, parseCertificateStructure } from './x509.js';

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

/** PEM labels that hold a certificate: RFC 7468's, and the legacy one its section 5.1 says to accept. */
const CERTIFICATE_LABELS = new Set(['CERTIFICATE', 'X509 CERTIFICATE']);
const BEGIN = /-----BEGIN [A-Z0-9 ]+-----/g;

/**
 * Parses PEM text holding zero or more CERTIFICATE blocks (text between blocks is ignored; a block
 * that is not a certificate, or does not parse, throws CertificateError naming its position).
 * Bytes that hold no PEM but are one DER certificate are accepted as that certificate. Empty input
 * (or only whitespace) gives no certificates: whether that is an error is the caller's decision.
 */
export function parseBundle(pem: string | Uint8Array): BundleCertificate[] {
  return readCertificates(pem, bundleCertificateOf);
}

/**
 * The reading every bundle parser shares (the same accepted input, the same messages): `make` turns one
 * certificate's DER into the record wanted, throwing when it does not parse.
 */
export function readCertificates<T>(pem: string | Uint8Array, make: (der: Uint8Array) => T): T[] {
  const text = typeof pem === 'string' ? pem : Buffer.from(pem.buffer, pem.byteOffset, pem.byteLength).toString('utf8');
  const blocks = parsePemBlocks(text);
  const begins = text.match(BEGIN)?.length ?? 0;
  if (begins === 0) {
    if (text.trim() === '') return [];
    const der = typeof pem === 'string' ? undefined : derCertificate(pem, make);
    if (der) return [der];
    throw new CertificateError('the bundle is not PEM: it holds no -----BEGIN CERTIFICATE----- block');
  }
  const unended = begins - blocks.length;
  if (unended > 0) {
    const lines = unended === 1 ? 'a -----BEGIN----- line has' : `${unended} -----BEGIN----- lines have`;
    throw new CertificateError(`the bundle is not valid PEM: ${lines} no matching -----END----- line`);
  }
  return blocks.map((block, index) => {
    const position = index + 1;
    if (!CERTIFICATE_LABELS.has(block.label)) {
      throw new CertificateError(
        `entry ${position} of the bundle holds a ${block.label} block, not a certificate: a CA bundle holds only CERTIFICATE blocks`,
      );
    }
    try {
      return make(block.der);
    } catch {
      throw new CertificateError(`certificate ${position} of the bundle is malformed: it is not a valid X.509 certificate`);
    }
  });
}

/** One certificate from its DER; throws (not a CertificateError) when it does not parse. */
export function bundleCertificateOf(der: Uint8Array): BundleCertificate {
  const x509 = new X509Certificate(der);
  const structure = parseCertificateStructure(x509.raw);
  const { validity, subject, issuer } = structure.tbsCertificate;
  return {
    fingerprint: fingerprintOf(x509.raw),
    subject: formatName(subject),
    issuer: formatName(issuer),
    notBefore: validity.notBefore.getTime(),
    notAfter: validity.notAfter.getTime(),
    pem: toPem('CERTIFICATE', x509.raw),
    x509,
  };
}

/** tcld's fingerprint: lowercase hex SHA-1 of the DER. */
export function fingerprintOf(der: Uint8Array): string {
  return createHash('sha1').update(der).digest('hex');
}

function derCertificate<T>(bytes: Uint8Array, make: (der: Uint8Array) => T): T | undefined {
  // A DER certificate is a SEQUENCE (0x30); anything else is not worth parsing.
  if (bytes[0] !== 0x30) return undefined;
  try {
    return make(bytes);
  } catch {
    return undefined;
  }
}

/** The bundle as Temporal Cloud stores it: the certificates' PEM, joined. Empty string for none. */
export function formatBundle(certificates: readonly BundleCertificate[]): string {
  return certificates.map((c) => c.pem).join('');
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
  if (certificates.length === 0) return [{ message: 'the bundle holds no certificate: add at least one CA certificate' }];
  const problems: BundleProblem[] = [];
  const excess = certificates.length - BUNDLE_MAX_CERTIFICATES;
  if (excess > 0) {
    const count = `${certificates.length} certificates, more than the ${BUNDLE_MAX_CERTIFICATES} Temporal Cloud accepts`;
    problems.push({ message: `the bundle holds ${count}: remove ${excess}` });
  }
  const bytes = Buffer.byteLength(formatBundle(certificates), 'utf8');
  if (bytes > BUNDLE_MAX_BYTES) {
    problems.push({ message: `the bundle is ${bytes} bytes of PEM, more than the ${BUNDLE_MAX_BYTES} (32 KB) Temporal Cloud accepts: remove certificates` });
  }
  certificates.forEach((certificate, index) => {
    for (const message of certificateProblems(certificates, index, now)) {
      problems.push({ fingerprint: certificate.fingerprint, message: `${describe(certificate)} ${message}` });
    }
  });
  return problems;
}

/** `certificate CN=…,O=… (fingerprint 1a2b3c4d)`, on one line whatever the subject holds. */
function describe(certificate: BundleCertificate): string {
  const subject = certificate.subject.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return `certificate ${subject || '(empty subject)'} (fingerprint ${certificate.fingerprint.slice(0, 8)})`;
}

function certificateProblems(all: readonly BundleCertificate[], index: number, now: Date): string[] {
  const certificate = all[index]!;
  const earlier = all.slice(0, index);
  const copy = earlier.findIndex((c) => c.fingerprint === certificate.fingerprint);
  // A copy has every problem of the original, already reported: say only that it is a copy.
  if (copy >= 0) return [`is certificate ${copy + 1} again: remove the copy`];

  const found: string[] = [];
  const structure = parseCertificateStructure(certificate.x509.raw);
  // basicConstraints itself: node's X509Certificate.ca is also false for CA:TRUE without keyCertSign.
  if (!isCaByBasicConstraints(structure)) {
    found.push('is not a CA (its basicConstraints lack CA:TRUE): the bundle takes the CA that issues client certificates, not a client certificate');
  }
  if (certificate.notAfter.getTime() <= now.getTime()) found.push(`expired on ${certificate.notAfter.toISOString()}: remove it`);
  const key = keyProblem(certificate);
  if (key) found.push(key);
  const signature = judgeSignatureAlgorithm(structure.signatureAlgorithm);
  if (!signature.acceptable) found.push(`is signed with ${signature.name}: Temporal Cloud requires RSA or ECDSA with SHA-256 or stronger`);
  const subject = certificate.subject.toLowerCase();
  const namesake = earlier.find((c) => c.fingerprint !== certificate.fingerprint && c.subject.toLowerCase() === subject);
  if (namesake) found.push(`has the same subject as ${describe(namesake)}: each CA needs a distinct subject`);

  const selfNamed = nameKey(structure.tbsCertificate.subject) === nameKey(structure.tbsCertificate.issuer);
  const selfSigned = selfNamed && verifies(certificate, certificate);
  const issued = all.some((c) => c.fingerprint !== certificate.fingerprint && certificate.x509.checkIssued(c.x509) && verifies(certificate, c));
  if (!selfSigned && !issued) {
    found.push(
      selfNamed
        ? 'names itself as its issuer, but its signature does not verify with its own key'
        : `is neither self-signed nor issued by another certificate in the bundle: add its issuer (${certificate.issuer}) too`,
    );
  }
  return found;
}

function verifies(certificate: BundleCertificate, issuer: BundleCertificate): boolean {
  try {
    return certificate.x509.verify(issuer.x509.publicKey);
  } catch {
    return false; // a key or signature algorithm node cannot use
  }
}

/** Temporal Cloud accepts RSA and ECDSA keys on the NIST curves (the same rule keys.ts applies to CA keys). */
function keyProblem(certificate: BundleCertificate): string | undefined {
  try {
    describeKey(certificate.x509.publicKey);
    return undefined;
  } catch (error) {
    const reason = error instanceof CertificateError ? error.message : 'an unreadable key';
    return `has ${reason.replace(/^unsupported key type/, 'an unsupported key type')}`;
  }
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
