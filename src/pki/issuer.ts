import { X509Certificate, createPrivateKey, sign, verify, type KeyObject } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { AuthorityKeyIdentifier, id_ce_authorityKeyIdentifier, type Certificate, type Name } from '@peculiar/asn1-x509';
import { CertificateError } from '../errors.js';
import { factsOf, oneLine } from './certificate-facts.js';
import { describeKey, signatureSchemeOf, type KeySpec } from './keys.js';
import { parsePemBlocks } from './pem.js';
import { decryptPrivateKey, isEncryptedKeyPem } from './protected-key.js';
import {
  KeyUsageFlags,
  MalformedCertificateError,
  keyIdentifierOf,
  parseCertificateStructure,
  parseSubjectPublicKeyInfo,
  subjectKeyIdentifierOf,
} from './x509.js';

/** A CA certificate and its key, checked and ready to issue certificates. */
export interface CertificateAuthority {
  certificate: X509Certificate;
  privateKey: KeyObject;
  keySpec: KeySpec;
  /** The CA's subject, reused verbatim as the issuer of what it signs (RFC 5280 7.1 compares names exactly). */
  subject: Name;
  /** The CA's subject key identifier, written as the authority key identifier of what it signs. */
  keyIdentifier: Uint8Array;
  notBefore: Date;
  notAfter: Date;
}

export interface LoadCertificateAuthorityOptions {
  /** The CA certificate, PEM (the first certificate is used) or DER. */
  certificate: string | Uint8Array;
  /** The CA's private key, PEM: PKCS#8, SEC1 (`EC PRIVATE KEY`) or PKCS#1 (`RSA PRIVATE KEY`), encrypted when a passphrase is given. */
  privateKey: string | Uint8Array;
  /** The passphrase of an encrypted key (`ENCRYPTED PRIVATE KEY` or openssl's legacy encryption). Default: none, and an encrypted key is refused. */
  passphrase?: string;
  /** The time at which it must be valid. Default: new Date(). */
  now?: Date;
}

/** Loads a CA for issuing; throws CertificateError saying what is wrong with the certificate or key. */
export function loadCertificateAuthority(options: LoadCertificateAuthorityOptions): CertificateAuthority {
  const [certificate, ...rest] = parseCertificates(options.certificate);
  const { structure, facts } = readCaCertificate(certificate);
  // Read basicConstraints ourselves: node's X509Certificate.ca is also false for CA:TRUE without keyCertSign.
  if (!(facts.basicConstraints?.ca ?? false)) {
    throw new CertificateError(`CA certificate is not a CA (${shortName(facts.subject)} lacks basicConstraints CA:TRUE)`);
  }
  if (facts.keyUsage !== undefined && !(facts.keyUsage & KeyUsageFlags.keyCertSign)) {
    throw new CertificateError('CA certificate may not sign certificates: its key usage lacks keyCertSign');
  }
  const now = options.now ?? new Date();
  const { notBefore, notAfter } = facts;
  if (now > notAfter) throw new CertificateError(`CA certificate expired on ${notAfter.toISOString()}: generate a new CA`);
  if (now < notBefore) throw new CertificateError(`CA certificate is not valid before ${notBefore.toISOString()}`);
  checkOwnSignature(certificate, structure, rest);

  const privateKey = parsePrivateKey(options.privateKey, options.passphrase);
  const keySpec = describeKey(privateKey);
  if (!belongs(certificate, privateKey)) throw new CertificateError('CA key does not belong to the CA certificate');
  checkKeySigns(certificate, privateKey, keySpec);
  return {
    certificate,
    privateKey,
    keySpec,
    subject: structure.tbsCertificate.subject,
    keyIdentifier: keyIdentifier(certificate, structure),
    notBefore,
    notAfter,
  };
}

/** Every part of the CA certificate that issuing reads, decoded once: a malformed one is refused here, saying which part. */
function readCaCertificate(certificate: X509Certificate) {
  try {
    return { structure: parseCertificateStructure(certificate.raw), facts: factsOf(certificate).parsed };
  } catch (error) {
    throw new CertificateError(`CA certificate is malformed: ${error instanceof MalformedCertificateError ? error.reason : 'it is not a valid X.509 certificate'}`);
  }
}

function keyIdentifier(certificate: X509Certificate, structure: Certificate): Uint8Array {
  try {
    return subjectKeyIdentifierOf(structure) ?? keyIdentifierOf(parseSubjectPublicKeyInfo(certificate.publicKey));
  } catch (error) {
    throw new CertificateError(`CA certificate is malformed: ${error instanceof MalformedCertificateError ? error.reason : 'its public key cannot be read'}`);
  }
}

function belongs(certificate: X509Certificate, privateKey: KeyObject): boolean {
  try {
    return certificate.checkPrivateKey(privateKey);
  } catch {
    return false; // a key of another type than the certificate's
  }
}

/** A name on one line, cut when long: messages name the certificate, they do not reproduce it. */
function shortName(name: string): string {
  const line = oneLine(name);
  return line.length > 120 ? `${line.slice(0, 120)}…` : line;
}

/** The CA certificate (the first one) and any certificates after it in the same input (its chain). */
function parseCertificates(input: string | Uint8Array): [X509Certificate, ...X509Certificate[]] {
  const blocks = typeof input === 'string' ? parsePemBlocks(input).filter((b) => b.label === 'CERTIFICATE') : undefined;
  if (blocks?.[0] && !blocks[0].base64) throw new CertificateError('CA certificate is malformed: its PEM content is not base64');
  const ders = blocks ? blocks.map((b) => b.der) : [input as Uint8Array];
  if (ders.length === 0) throw new CertificateError('CA certificate file holds no PEM certificate (-----BEGIN CERTIFICATE-----)');
  const [first, ...rest] = ders.map((der) => {
    try {
      return new X509Certificate(der);
    } catch {
      return undefined;
    }
  });
  if (!first) throw new CertificateError('CA certificate is malformed: it is not a valid X.509 certificate');
  return [first, ...rest.filter((c): c is X509Certificate => c !== undefined)];
}

/**
 * A CA certificate whose signature fails was changed after it was signed (or damaged): its names and
 * limits cannot be trusted, and what it issues fails every verifier. It must verify against its own
 * key (a root) or a certificate after it in the file (its issuer). Only an intermediate CA given alone
 * that names its issuer's key (an authority key identifier not its own) cannot be checked here.
 */
function checkOwnSignature(certificate: X509Certificate, structure: Certificate, chain: readonly X509Certificate[]): void {
  if ([certificate, ...chain].some((issuer) => signedBy(certificate, issuer))) return;
  if (chain.length === 0 && !claimsSelfSigned(structure)) return;
  const intermediate = chain.length === 0 && certificate.subject !== certificate.issuer;
  const hint = intermediate ? " (if it is an intermediate CA that names no authority key identifier, put its issuer's certificate after it in the same file)" : '';
  throw new CertificateError(
    `CA certificate's signature does not verify against its own key or another certificate in its file: the certificate was changed after it was signed, or is damaged${hint}`,
  );
}

function signedBy(certificate: X509Certificate, issuer: X509Certificate): boolean {
  try {
    return certificate.verify(issuer.publicKey);
  } catch {
    return false; // a key of a kind node cannot verify with: not this certificate's issuer
  }
}

/** RFC 5280 4.2.1.1: every certificate but a self-signed root names its issuer's key; a root names its own key or none. */
function claimsSelfSigned(structure: Certificate): boolean {
  const authority = authorityKeyIdentifierOf(structure);
  const own = subjectKeyIdentifierOf(structure);
  return authority === undefined || (own !== undefined && Buffer.from(authority).equals(Buffer.from(own)));
}

/** The authorityKeyIdentifier's key identifier; undefined when absent or unreadable (then the certificate must be self-signed). */
function authorityKeyIdentifierOf(structure: Certificate): Uint8Array | undefined {
  const found = structure.tbsCertificate.extensions?.find((e) => e.extnID === id_ce_authorityKeyIdentifier);
  try {
    const identifier = found ? AsnConvert.parse(found.extnValue, AuthorityKeyIdentifier).keyIdentifier : undefined;
    return identifier ? new Uint8Array(identifier.buffer) : undefined;
  } catch {
    return undefined;
  }
}

/** The fixed text a loaded CA key signs once, to prove that its private value matches the certificate's public key. */
const KEY_PROBE = Buffer.from('tcld: does this key sign for its certificate?');

/**
 * checkPrivateKey compares the public halves only: a key file whose private value was changed (a
 * damaged `d`) passes it and then signs certificates that verify against nothing.
 */
function checkKeySigns(certificate: X509Certificate, privateKey: KeyObject, keySpec: KeySpec): void {
  const { hash } = signatureSchemeOf(keySpec);
  let signature: Buffer;
  try {
    signature = sign(hash, KEY_PROBE, privateKey);
  } catch {
    throw new CertificateError('CA key cannot sign: the key file is damaged');
  }
  if (!verify(hash, KEY_PROBE, certificate.publicKey, signature)) {
    throw new CertificateError("CA key's signatures do not verify against the CA certificate's public key: the key file is damaged");
  }
}

function parsePrivateKey(input: string | Uint8Array, passphrase: string | undefined): KeyObject {
  const text = typeof input === 'string' ? input : Buffer.from(input).toString('latin1');
  if (isEncryptedKeyPem(text)) {
    if (passphrase === undefined) throw new EncryptedKeyError('CA key');
    return decryptPrivateKey(text, passphrase, 'CA key');
  }
  try {
    const isPem = text.includes('-----BEGIN');
    return createPrivateKey(isPem ? text : { key: Buffer.from(input), format: 'der', type: 'pkcs8' });
  } catch {
    throw new CertificateError('CA key is not a private key in PEM (PKCS#8, SEC1 EC or PKCS#1 RSA)');
  }
}

/** An encrypted key loaded without a passphrase; the CLI says which option gives one. */
export class EncryptedKeyError extends CertificateError {
  override name = 'EncryptedKeyError';
  constructor(
    /** The key, as messages name it: `CA key`. */
    readonly what: string,
  ) {
    super(`${what} is encrypted: decrypt it first (openssl pkey -in key.pem -out plain.pem)`);
  }
}
