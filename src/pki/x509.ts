import { createHash, sign, verify, type KeyObject } from 'node:crypto';
import { AsnConvert, AsnSerializer, OctetString } from '@peculiar/asn1-schema';
import { BitString as AsnBitString, Sequence as AsnSequence } from 'asn1js';
import {
  AlgorithmIdentifier,
  AttributeTypeAndValue,
  AttributeValue,
  AuthorityKeyIdentifier,
  BasicConstraints,
  Certificate,
  ExtendedKeyUsage,
  Extension,
  Extensions,
  GeneralName,
  KeyIdentifier,
  KeyUsage,
  KeyUsageFlags,
  Name,
  RelativeDistinguishedName,
  SubjectAlternativeName,
  SubjectKeyIdentifier,
  SubjectPublicKeyInfo,
  TBSCertificate,
  Validity,
  Version,
  id_ce_authorityKeyIdentifier,
  id_ce_basicConstraints,
  id_ce_extKeyUsage,
  id_ce_keyUsage,
  id_ce_subjectAltName,
  id_ce_subjectKeyIdentifier,
  id_kp_clientAuth,
  id_kp_serverAuth,
} from '@peculiar/asn1-x509';
import { CertificateError } from '../errors.js';
import type { SignatureScheme } from './keys.js';
import { SERIAL_BYTES } from './profile.js';

/** Attribute types of the subject names we write (RFC 5280 appendix A). */
export const NAME_ATTRIBUTE = {
  organization: '2.5.4.10',
  organizationalUnit: '2.5.4.11',
  commonName: '2.5.4.3',
} as const;

export type NameAttribute = keyof typeof NAME_ATTRIBUTE;

/** Builds a distinguished name, one attribute per RDN in the given order, each a UTF8String (RFC 5280 4.1.2.6). */
export function buildName(attributes: ReadonlyArray<[NameAttribute, string]>): Name {
  return new Name(
    attributes.map(
      ([attribute, value]) =>
        new RelativeDistinguishedName([
          new AttributeTypeAndValue({ type: NAME_ATTRIBUTE[attribute], value: new AttributeValue({ utf8String: value }) }),
        ]),
    ),
  );
}

/** A positive serial: random bytes with the top bit clear and a non-zero first byte, so DER keeps all of them. */
export function serialFromRandom(random: Uint8Array): ArrayBuffer {
  const serial = Uint8Array.from(random.subarray(0, SERIAL_BYTES));
  if (serial.length !== SERIAL_BYTES) throw new RangeError(`need ${SERIAL_BYTES} random bytes`);
  serial[0] = serial[0]! & 0x7f || 0x01;
  return serial.buffer;
}

/** Parses a SubjectPublicKeyInfo from its DER, or from a key (exported as DER first). */
export function parseSubjectPublicKeyInfo(key: KeyObject | Uint8Array): SubjectPublicKeyInfo {
  const der = key instanceof Uint8Array ? key : key.export({ type: 'spki', format: 'der' });
  return AsnConvert.parse(der, SubjectPublicKeyInfo);
}

/**
 * A name as Temporal Cloud compares names on a chain: attribute types and values, case-insensitively.
 * Two names with equal keys are the same name.
 */
export function nameKey(name: Name): string {
  return JSON.stringify(name.map((rdn) => rdn.map((atv) => [atv.type, atv.value.toString().toLowerCase()])));
}

/** RFC 5280 4.2.1.2 method (1): the SHA-1 of the subjectPublicKey bits. */
export function keyIdentifierOf(spki: SubjectPublicKeyInfo): Uint8Array {
  return createHash('sha1').update(new Uint8Array(spki.subjectPublicKey)).digest();
}

function extension(extnID: string, critical: boolean, value: object): Extension {
  return new Extension({ extnID, critical, extnValue: new OctetString(AsnConvert.serialize(value)) });
}

/** Extensions that every certificate of a kind shares are serialized once per process. */
const shared = new Map<string, Extension>();
function once(key: string, make: () => Extension): Extension {
  let found = shared.get(key);
  if (!found) shared.set(key, (found = make()));
  return found;
}

function subjectAltNameOfDnsNames(dnsNames: readonly string[], ipAddresses: readonly string[] = []): Extension {
  const names = [...dnsNames.map((dNSName) => new GeneralName({ dNSName })), ...ipAddresses.map((iPAddress) => new GeneralName({ iPAddress }))];
  return extension(id_ce_subjectAltName, false, new SubjectAlternativeName(names));
}

export const extensions = {
  /** CA:TRUE with pathlen:0 (tcld's CAs sign leaves only) unless told otherwise; null: no path length limit. */
  basicConstraints: (ca: boolean, pathLength: number | null = 0) =>
    once(`bc:${ca}:${pathLength}`, () =>
      extension(
        id_ce_basicConstraints,
        true,
        new BasicConstraints(ca ? { cA: true, ...(pathLength === null ? {} : { pathLenConstraint: pathLength }) } : {}),
      ),
    ),
  keyUsage: (flags: KeyUsageFlags) => once(`ku:${flags}`, () => extension(id_ce_keyUsage, true, new KeyUsage(flags))),
  clientAuth: () => once('eku:clientAuth', () => extension(id_ce_extKeyUsage, false, new ExtendedKeyUsage([id_kp_clientAuth]))),
  serverAuth: () => once('eku:serverAuth', () => extension(id_ce_extKeyUsage, false, new ExtendedKeyUsage([id_kp_serverAuth]))),
  dnsName: (dnsName: string) => subjectAltNameOfDnsNames([dnsName]),
  dnsNames: (dnsNames: readonly string[]) => subjectAltNameOfDnsNames(dnsNames),
  /** DNS names, then IP addresses (dotted IPv4 or IPv6 text). */
  subjectAltNames: (dnsNames: readonly string[], ipAddresses: readonly string[]) => subjectAltNameOfDnsNames(dnsNames, ipAddresses),
  subjectKeyIdentifier: (id: Uint8Array) => extension(id_ce_subjectKeyIdentifier, false, new SubjectKeyIdentifier(id)),
  authorityKeyIdentifier: (id: Uint8Array) =>
    extension(id_ce_authorityKeyIdentifier, false, new AuthorityKeyIdentifier({ keyIdentifier: new KeyIdentifier(id) })),
};

export { KeyUsageFlags };

export interface CertificateTemplate {
  serialNumber: ArrayBuffer;
  subject: Name;
  issuer: Name;
  notBefore: Date;
  notAfter: Date;
  subjectPublicKeyInfo: SubjectPublicKeyInfo;
  extensions: Extension[];
}

export interface Signer {
  privateKey: KeyObject;
  scheme: SignatureScheme;
  /** Checks the signature against this public key (the CA certificate's) before returning; a mismatch throws SignatureMismatchError. */
  verifyWith?: KeyObject;
}

/** A signature that does not verify against the key it was checked with: the signing key does not match it. */
export class SignatureMismatchError extends Error {
  override name = 'SignatureMismatchError';
}

/** Serializes the TBSCertificate, signs it with node:crypto on the thread pool and returns the certificate's DER. */
export async function signCertificate(template: CertificateTemplate, signer: Signer): Promise<Uint8Array> {
  const algorithm = new AlgorithmIdentifier({
    algorithm: signer.scheme.oid,
    ...(signer.scheme.nullParameters ? { parameters: null } : {}),
  });
  const tbsCertificate = new TBSCertificate({
    version: Version.v3,
    serialNumber: template.serialNumber,
    signature: algorithm,
    issuer: template.issuer,
    validity: new Validity({ notBefore: template.notBefore, notAfter: template.notAfter }),
    subject: template.subject,
    subjectPublicKeyInfo: template.subjectPublicKeyInfo,
    extensions: new Extensions(template.extensions),
  });
  const tbsNode = AsnSerializer.toASN(tbsCertificate);
  const tbs = new Uint8Array(tbsNode.toBER());
  // ECDSA signatures come out DER-encoded (node's default dsaEncoding), which is what X.509 carries.
  const signature = await new Promise<Buffer>((resolve, reject) =>
    sign(signer.scheme.hash, tbs, signer.privateKey, (error, result) => (error ? reject(error) : resolve(result))),
  );
  const { verifyWith } = signer;
  if (verifyWith) {
    // On the thread pool too, like signing: many certificates issued at once keep the event loop free.
    const verified = await new Promise<boolean>((resolve, reject) =>
      verify(signer.scheme.hash, tbs, verifyWith, signature, (error, result) => (error ? reject(error) : resolve(result))),
    );
    if (!verified) throw new SignatureMismatchError('the signature does not verify against the given public key');
  }
  // RFC 5280 4.1: Certificate ::= SEQUENCE { tbsCertificate, signatureAlgorithm, signatureValue BIT STRING }.
  // Composed from the already-built TBS node: asn1-x509's Certificate would build the TBS a second time.
  const certificate = new AsnSequence({
    value: [tbsNode, AsnSerializer.toASN(algorithm), new AsnBitString({ valueHex: signature })],
  });
  return new Uint8Array(certificate.toBER());
}

/**
 * A certificate that cannot be read: `reason` says which part ("its keyUsage extension cannot be read"),
 * and the message names the certificate by what is known of it. Callers that know where the certificate
 * came from (entry 2 of a file) say so with the reason.
 */
export class MalformedCertificateError extends CertificateError {
  override name = 'MalformedCertificateError';
  constructor(
    readonly reason: string,
    what = 'a certificate',
  ) {
    super(`${what} is malformed: ${reason}`);
  }
}

/** The certificate's ASN.1 structure; MalformedCertificateError when it is not an X.509 certificate. */
export function parseCertificateStructure(der: Uint8Array): Certificate {
  try {
    return AsnConvert.parse(der, Certificate);
  } catch {
    throw new MalformedCertificateError('it is not a valid X.509 certificate');
  }
}

/**
 * One extension's value parsed as `type`, or undefined when the certificate has no such extension.
 * A value that does not parse is the certificate's fault: MalformedCertificateError naming the extension.
 */
function extensionOf<T>(certificate: Certificate, oid: string, type: new () => T, name: string): T | undefined {
  const found = certificate.tbsCertificate.extensions?.find((e) => e.extnID === oid);
  if (!found) return undefined;
  try {
    return AsnConvert.parse(found.extnValue, type);
  } catch {
    throw new MalformedCertificateError(`its ${name} extension cannot be read`);
  }
}

/** The subjectKeyIdentifier extension's value, when the certificate has one. */
export function subjectKeyIdentifierOf(certificate: Certificate): Uint8Array | undefined {
  const found = extensionOf(certificate, id_ce_subjectKeyIdentifier, SubjectKeyIdentifier, 'subjectKeyIdentifier');
  return found && new Uint8Array(found.buffer);
}

/** Whether basicConstraints says CA:TRUE (read from the extension itself, whatever the key usage says). */
export function isCaByBasicConstraints(certificate: Certificate): boolean {
  return basicConstraintsOf(certificate)?.ca ?? false;
}

/** The basicConstraints extension (CA flag and pathLenConstraint), or undefined when the certificate has none. */
export function basicConstraintsOf(certificate: Certificate): { ca: boolean; pathLength?: number } | undefined {
  const parsed = extensionOf(certificate, id_ce_basicConstraints, BasicConstraints, 'basicConstraints');
  if (!parsed) return undefined;
  const pathLength = parsed.pathLenConstraint;
  if (pathLength !== undefined && !(Number.isSafeInteger(pathLength) && pathLength >= 0)) {
    throw new MalformedCertificateError('its basicConstraints extension has an invalid pathLenConstraint');
  }
  return pathLength === undefined ? { ca: parsed.cA === true } : { ca: parsed.cA === true, pathLength };
}

/** The extended key usage OIDs, or undefined when the certificate has no extendedKeyUsage extension. */
export function extendedKeyUsageOf(certificate: Certificate): string[] | undefined {
  const found = extensionOf(certificate, id_ce_extKeyUsage, ExtendedKeyUsage, 'extendedKeyUsage');
  return found && [...found];
}

/** The subjectAltName entries (empty when the certificate has no subjectAltName extension). */
export function subjectAlternativeNamesOf(certificate: Certificate): GeneralName[] {
  return [...(extensionOf(certificate, id_ce_subjectAltName, SubjectAlternativeName, 'subjectAltName') ?? [])];
}

/** The keyUsage flags, or undefined when the certificate has no keyUsage extension. */
export function keyUsageOf(certificate: Certificate): number | undefined {
  const found = extensionOf(certificate, id_ce_keyUsage, KeyUsage, 'keyUsage');
  if (!found) return undefined;
  try {
    return found.toNumber();
  } catch {
    throw new MalformedCertificateError('its keyUsage extension cannot be read');
  }
}
