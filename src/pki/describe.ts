/**
 * Everything `tcld cert inspect` shows of a certificate, as plain data (stable for --output json)
 * and as text for people. Pure: no I/O; the time is given.
 */
import type { X509Certificate } from 'node:crypto';
import { extendedKeyUsageNames, factsOf, formatTime, keyUsageNames, oneLine } from './certificate-facts.js';
import { formatDuration } from './duration.js';

const DAY_MS = 86_400_000;

/** One certificate's details; names in Go's pkix.Name form, as `tcld n ca l` prints them. */
export interface CertificateDetails {
  subject: string;
  issuer: string;
  /** Hex, uppercase, as openssl prints it (without separators). */
  serialNumber: string;
  /** As node and openssl print them: `DNS:worker.myco`, `IP Address:127.0.0.1`, `email:a@b`. */
  subjectAlternativeNames: string[];
  notBefore: string;
  notAfter: string;
  /** Whole days until notAfter (rounded toward zero), negative once expired. */
  daysLeft: number;
  expired: boolean;
  notYetValid: boolean;
  /** `RSA`, `ECDSA`, `Ed25519`, …; `bits` the modulus or curve size, `curve` the NIST name. */
  key: { type: string; bits?: number; curve?: string };
  signatureAlgorithm: string;
  /** basicConstraints CA:TRUE. */
  ca: boolean;
  /** The CA's pathLenConstraint, when it has one. */
  pathLength?: number;
  /** RFC 5280 names of the key usage bits; absent when the certificate has no keyUsage extension. */
  keyUsage?: string[];
  /** Purposes by name (clientAuth, serverAuth, …), unknown ones as OIDs; absent without the extension. */
  extendedKeyUsage?: string[];
  /** Uppercase colon-separated hex, as `openssl x509 -fingerprint` prints them. */
  fingerprints: { sha1: string; sha256: string };
}

const CURVES: Readonly<Record<string, { name: string; bits: number }>> = {
  prime256v1: { name: 'P-256', bits: 256 },
  secp384r1: { name: 'P-384', bits: 384 },
  secp521r1: { name: 'P-521', bits: 521 },
};

/** The details of one certificate at `now`. */
export function describeCertificateDetails(x509: X509Certificate, now: Date): CertificateDetails {
  const { parsed } = factsOf(x509);
  const details: CertificateDetails = {
    subject: parsed.subject,
    issuer: parsed.issuer,
    serialNumber: x509.serialNumber.toUpperCase(),
    subjectAlternativeNames: x509.subjectAltName ? x509.subjectAltName.split(', ') : [],
    notBefore: formatTime(parsed.notBefore),
    notAfter: formatTime(parsed.notAfter),
    daysLeft: Math.trunc((parsed.notAfter.getTime() - now.getTime()) / DAY_MS),
    expired: parsed.notAfter.getTime() <= now.getTime(),
    notYetValid: parsed.notBefore.getTime() > now.getTime(),
    key: keyOf(x509),
    signatureAlgorithm: parsed.signature.name,
    ca: parsed.basicConstraints?.ca ?? false,
    fingerprints: { sha1: x509.fingerprint, sha256: x509.fingerprint256 },
  };
  if (parsed.basicConstraints?.pathLength !== undefined) details.pathLength = parsed.basicConstraints.pathLength;
  if (parsed.keyUsage !== undefined) details.keyUsage = splitNames(keyUsageNames(parsed.keyUsage));
  if (parsed.extendedKeyUsage !== undefined) details.extendedKeyUsage = splitNames(extendedKeyUsageNames(parsed.extendedKeyUsage));
  return details;
}

function splitNames(names: string): string[] {
  return names === 'none' ? [] : names.split(', ');
}

function keyOf(x509: X509Certificate): CertificateDetails['key'] {
  let key;
  try {
    key = x509.publicKey;
  } catch {
    return { type: 'unknown (node cannot read it)' };
  }
  const details = key.asymmetricKeyDetails ?? {};
  switch (key.asymmetricKeyType) {
    case 'rsa':
    case 'rsa-pss':
      return { type: key.asymmetricKeyType === 'rsa' ? 'RSA' : 'RSA-PSS', ...(details.modulusLength ? { bits: details.modulusLength } : {}) };
    case 'ec': {
      const curve = CURVES[details.namedCurve ?? ''];
      return curve ? { type: 'ECDSA', bits: curve.bits, curve: curve.name } : { type: 'ECDSA', curve: String(details.namedCurve) };
    }
    case 'ed25519':
      return { type: 'Ed25519', bits: 256 };
    case 'ed448':
      return { type: 'Ed448', bits: 456 };
    default:
      return { type: String(key.asymmetricKeyType) };
  }
}

/** `ECDSA P-384`, `RSA 4096 bits`. */
export function formatKey(key: CertificateDetails['key']): string {
  if (key.curve) return `${key.type} ${key.curve}`;
  return key.bits ? `${key.type} ${key.bits} bits` : key.type;
}

/** Several certificates for people: one block each, a blank line between them. */
export function formatCertificateDetails(list: readonly CertificateDetails[], now: Date, source: string): string {
  const blocks = list.map((d, index) => {
    const heading = list.length > 1 ? `certificate ${index + 1} of ${list.length} in ${source}` : `certificate in ${source}`;
    const rows: Array<[string, string]> = [
      ['subject', oneLine(d.subject)],
      ['issuer', oneLine(d.issuer)],
      ['serial', d.serialNumber],
      ['SANs', d.subjectAlternativeNames.join(', ') || 'none'],
      ['not before', d.notBefore],
      ['not after', `${d.notAfter} (${timeLeft(d, now)})`],
      ['key', formatKey(d.key)],
      ['signature', d.signatureAlgorithm],
      ['CA', d.ca ? `yes${d.pathLength !== undefined ? ` (pathlen:${d.pathLength})` : ''}` : 'no'],
      ['key usage', d.keyUsage ? d.keyUsage.join(', ') || 'none' : 'not restricted (no extension)'],
      ['ext key usage', d.extendedKeyUsage ? d.extendedKeyUsage.join(', ') || 'none' : 'not restricted (no extension)'],
      ['SHA-1', d.fingerprints.sha1],
      ['SHA-256', d.fingerprints.sha256],
    ];
    const width = Math.max(...rows.map(([label]) => label.length)) + 1;
    return [heading, ...rows.map(([label, value]) => `  ${`${label}:`.padEnd(width)} ${value}`)].join('\n');
  });
  return blocks.join('\n\n');
}

/** `expires in 29d23h`, `expired 2d ago`, `not valid for another 3h`. */
function timeLeft(d: CertificateDetails, now: Date): string {
  const left = Date.parse(d.notAfter) - now.getTime();
  const rounded = (ms: number) => formatDuration(Math.floor(Math.abs(ms) / 60_000) * 60_000);
  if (left <= 0) return `expired ${rounded(left)} ago`;
  const wait = Date.parse(d.notBefore) - now.getTime();
  const prefix = wait > 0 ? `not valid for another ${rounded(wait)}; ` : '';
  return `${prefix}expires in ${rounded(left)}`;
}
