/**
 * What admission checks read from a certificate, parsed once per certificate and kept: parsing the
 * DER costs about as much as a signature check, and the gateway asks on every handshake.
 */
import type { KeyObject, X509Certificate } from 'node:crypto';
import { NameConstraints, id_ce_nameConstraints, type GeneralName, type Name } from '@peculiar/asn1-x509';
import { AsnConvert } from '@peculiar/asn1-schema';
import type { FilterSubject } from './filters.js';
import { DerError, tbsFields } from './der.js';
import { formatName, stringValue } from './format-name.js';
import { judgeSignatureAlgorithm, type SignatureAlgorithmVerdict } from './signature-algorithm.js';
import {
  KeyUsageFlags,
  MalformedCertificateError,
  NAME_ATTRIBUTE,
  basicConstraintsOf,
  extendedKeyUsageOf,
  keyUsageOf,
  nameKey,
  parseCertificateStructure,
  subjectAlternativeNamesOf,
} from './x509.js';

/** RFC 5280 4.2.1.12 and the id-kp purposes a reader is likely to meet, by their usual names. */
export const EKU = {
  any: '2.5.29.37.0',
  serverAuth: '1.3.6.1.5.5.7.3.1',
  clientAuth: '1.3.6.1.5.5.7.3.2',
} as const;

const EKU_NAMES: Readonly<Record<string, string>> = {
  [EKU.any]: 'anyExtendedKeyUsage',
  [EKU.serverAuth]: 'serverAuth',
  [EKU.clientAuth]: 'clientAuth',
  '1.3.6.1.5.5.7.3.3': 'codeSigning',
  '1.3.6.1.5.5.7.3.4': 'emailProtection',
  '1.3.6.1.5.5.7.3.8': 'timeStamping',
  '1.3.6.1.5.5.7.3.9': 'OCSPSigning',
};

/** Parsed once, on first use: the bundle's CAs are indexed by name without parsing any of them. */
interface Parsed {
  subject: string;
  issuer: string;
  /** Whether the issuer name equals the subject name (attribute by attribute, values case-insensitively): a root, or one that claims to be. */
  selfNamed: boolean;
  notBefore: Date;
  notAfter: Date;
  basicConstraints: { ca: boolean; pathLength?: number } | undefined;
  keyUsage: number | undefined;
  extendedKeyUsage: string[] | undefined;
  signature: SignatureAlgorithmVerdict;
  filterSubject: Required<FilterSubject>;
  /** For name constraints: the subject as parsed, the subjectAltName entries, the certificate's own constraints. */
  subjectName: Name;
  alternativeNames: GeneralName[];
  nameConstraints: NameConstraints | undefined;
  /** The OIDs of the extensions marked critical. */
  criticalExtensions: string[];
}

export class CertificateFacts {
  /** SHA-256 of the DER, as node prints it: equal fingerprints are the same certificate. */
  readonly fingerprint: string;
  /** The subject as OpenSSL prints it (RFC 2253 escapes, one attribute a line), lowercased: equal keys are the same name. */
  readonly subjectKey: string;
  readonly issuerKey: string;
  /** Whether `issuer` issued this certificate (names, key identifiers and signature), by the issuer's fingerprint. */
  readonly issuedBy = new Map<string, boolean>();
  /** Whether this certificate's signature verifies with a key, by the key holder's fingerprint. */
  readonly #signedBy = new Map<string, boolean>();
  #parsed: Parsed | undefined;
  #publicKey: KeyObject | undefined;

  constructor(readonly x509: X509Certificate) {
    this.fingerprint = x509.fingerprint256;
    this.subjectKey = (x509.subject ?? '').toLowerCase();
    this.issuerKey = (x509.issuer ?? '').toLowerCase();
  }

  get parsed(): Parsed {
    return (this.#parsed ??= parse(this.x509));
  }

  get publicKey(): KeyObject {
    return (this.#publicKey ??= this.x509.publicKey);
  }

  /** Whether `issuer` issued this certificate: names and key identifiers agree, and the signature verifies. */
  isIssuedBy(issuer: CertificateFacts): boolean {
    let verdict = this.issuedBy.get(issuer.fingerprint);
    if (verdict === undefined) {
      try {
        verdict = this.x509.checkIssued(issuer.x509) && this.isSignedBy(issuer);
      } catch {
        verdict = false; // an issuer whose public key node cannot read signed nothing we can check
      }
      this.issuedBy.set(issuer.fingerprint, verdict);
    }
    return verdict;
  }

  /** Whether this certificate's signature verifies with `signer`'s public key (names aside); asked once per signer. */
  isSignedBy(signer: CertificateFacts): boolean {
    let verdict = this.#signedBy.get(signer.fingerprint);
    if (verdict === undefined) {
      try {
        verdict = this.x509.verify(signer.publicKey);
      } catch {
        verdict = false; // a key or signature algorithm node cannot use
      }
      this.#signedBy.set(signer.fingerprint, verdict);
    }
    return verdict;
  }
}

const known = new WeakMap<X509Certificate, CertificateFacts>();

/** The facts of a certificate object, made once per object. */
export function factsOf(x509: X509Certificate): CertificateFacts {
  let facts = known.get(x509);
  if (!facts) known.set(x509, (facts = new CertificateFacts(x509)));
  return facts;
}

/**
 * Everything admission and `cert inspect` read, at once: a certificate OpenSSL accepted whose names,
 * times or extensions do not decode is refused here, as a MalformedCertificateError naming the part.
 */
function parse(x509: X509Certificate): Parsed {
  try {
    return parseFields(x509);
  } catch (error) {
    const what = `the certificate with SHA-256 fingerprint ${x509.fingerprint256.slice(0, 23)}…`;
    if (error instanceof MalformedCertificateError) throw new MalformedCertificateError(error.reason, what);
    const reason = error instanceof DerError ? error.message : 'it is not a valid X.509 certificate';
    throw new MalformedCertificateError(reason, what);
  }
}

function parseFields(x509: X509Certificate): Parsed {
  const structure = parseCertificateStructure(x509.raw);
  const { subject, issuer, extensions } = structure.tbsCertificate;
  const validity = tbsFields(x509.raw);
  const alternativeNames = subjectAlternativeNamesOf(structure);
  const constraints = extensions?.find((e) => e.extnID === id_ce_nameConstraints);
  return {
    subject: formatName(subject),
    issuer: formatName(issuer),
    selfNamed: nameKey(subject) === nameKey(issuer),
    notBefore: validity.notBefore,
    notAfter: validity.notAfter,
    basicConstraints: basicConstraintsOf(structure),
    keyUsage: keyUsageOf(structure),
    extendedKeyUsage: extendedKeyUsageOf(structure),
    signature: judgeSignatureAlgorithm(structure.signatureAlgorithm),
    filterSubject: filterSubjectOf(subject, alternativeNames),
    subjectName: subject,
    alternativeNames,
    nameConstraints: constraints ? AsnConvert.parse(constraints.extnValue, NameConstraints) : undefined,
    criticalExtensions: (extensions ?? []).filter((e) => e.critical).map((e) => e.extnID),
  };
}

/**
 * What certificate filters see: the CN (the last one, as Go's pkix.Name keeps it), every O and OU, and
 * the SAN's DNS names only. Temporal Cloud documents the SAN filter against DNS names; counting
 * emails, URIs or IP addresses too would let a filter admit certificates it was not written for.
 */
function filterSubjectOf(subject: Name, alternativeNames: readonly GeneralName[]): Required<FilterSubject> {
  const values = (type: string) =>
    subject.flatMap((rdn) => rdn.filter((atv) => atv.type === type).map((atv) => stringValue(atv.value))).filter((v): v is string => v !== undefined);
  const commonNames = values(NAME_ATTRIBUTE.commonName);
  return {
    commonName: commonNames.slice(-1),
    organization: values(NAME_ATTRIBUTE.organization),
    organizationalUnit: values(NAME_ATTRIBUTE.organizationalUnit),
    subjectAlternativeNames: alternativeNames.flatMap((name) => (name.dNSName === undefined ? [] : [name.dNSName])),
  };
}

/** `digitalSignature, keyEncipherment`: the flags set, by their RFC 5280 names. */
export function keyUsageNames(flags: number): string {
  const names = Object.entries(KeyUsageFlags)
    .filter((entry): entry is [string, number] => typeof entry[1] === 'number' && (flags & entry[1]) !== 0)
    .map(([name]) => name);
  return names.join(', ') || 'none';
}

/** `serverAuth, codeSigning`: the purposes by name, unknown ones as their OIDs. */
export function extendedKeyUsageNames(oids: readonly string[]): string {
  return oids.map((oid) => EKU_NAMES[oid] ?? oid).join(', ') || 'none';
}

/** A name on one line whatever it holds: control characters shown as \xNN. */
export function oneLine(name: string): string {
  return name.replace(/[\x00-\x1f\x7f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`) || '(empty name)';
}

/** `2026-01-01T00:00:00Z`: X.509 times carry whole seconds. */
export function formatTime(date: Date): string {
  return date.toISOString().replace(/\.000Z$/, 'Z');
}
