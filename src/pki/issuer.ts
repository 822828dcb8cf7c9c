import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import type { Certificate, Name } from '@peculiar/asn1-x509';
import { CertificateError } from '../errors.js';
import { factsOf, oneLine } from './certificate-facts.js';
import { describeKey, type KeySpec } from './keys.js';
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
  const certificate = parseCertificate(options.certificate);
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

  const privateKey = parsePrivateKey(options.privateKey, options.passphrase);
  const keySpec = describeKey(privateKey);
  if (!belongs(certificate, privateKey)) throw new CertificateError('CA key does not belong to the CA certificate');
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

function parseCertificate(input: string | Uint8Array): X509Certificate {
  const block = typeof input === 'string' ? parsePemBlocks(input).find((b) => b.label === 'CERTIFICATE') : undefined;
  if (block && !block.base64) throw new CertificateError('CA certificate is malformed: its PEM content is not base64');
  const der = typeof input === 'string' ? block?.der : input;
  if (!der) throw new CertificateError('CA certificate file holds no PEM certificate (-----BEGIN CERTIFICATE-----)');
  try {
    return new X509Certificate(der);
  } catch {
    throw new CertificateError('CA certificate is malformed: it is not a valid X.509 certificate');
  }
}

function parsePrivateKey(input: string | Uint8Array, passphrase: string | undefined): KeyObject {
  const text = typeof input === 'string' ? input : Buffer.from(input).toString('latin1');
  if (isEncryptedKeyPem(text)) {
    if (passphrase === undefined) throw new EncryptedKeyError('CA key is encrypted: decrypt it first (openssl pkey -in key.pem -out plain.pem)');
    return decryptPrivateKey(text, passphrase, 'CA key');
  }
  try {
    const isPem = text.includes('-----BEGIN');
    return createPrivateKey(isPem ? text : { key: Buffer.from(input), format: 'der', type: 'pkcs8' });
  } catch {
    throw new CertificateError('CA key is not a private key in PEM (PKCS#8, SEC1 EC or PKCS#1 RSA)');
  }
}

/** An encrypted CA key loaded without a passphrase; the CLI adds which option gives one. */
export class EncryptedKeyError extends CertificateError {
  override name = 'EncryptedKeyError';
}
