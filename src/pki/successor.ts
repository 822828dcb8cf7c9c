/**
 * CA rotation: what a successor CA keeps of the CA it replaces (`tcld gen ca --like old.pem`).
 * It keeps the organization and the key algorithm; the key, serial and name are new, since Temporal
 * Cloud requires distinct names in an accepted bundle that holds both CAs during the rollover.
 */
import { X509Certificate, type KeyObject } from 'node:crypto';
import type { Name } from '@peculiar/asn1-x509';
import { CertificateError } from '../errors.js';
import { factsOf } from './certificate-facts.js';
import { endEntityKeySpec } from './issue.js';
import { describeKey, type KeySpec } from './keys.js';
import { parsePemBlocks } from './pem.js';
import { MalformedCertificateError, NAME_ATTRIBUTE, nameKey, parseCertificateStructure } from './x509.js';

export interface CaLikeness {
  /** The old CA's first organization (O), or undefined when its subject has none. */
  organization: string | undefined;
  /** The old key's curve, or RSA of tcld's size (an old 2048-bit RSA CA is succeeded by RSA 4096). */
  keySpec: KeySpec;
  /** The old subject, which the successor's must differ from. */
  subject: Name;
}

/** Reads what a successor keeps from an old CA certificate (PEM, the first certificate, or DER). */
export function describeCaForSuccession(input: string | Uint8Array): CaLikeness {
  const text = typeof input === 'string' ? input : Buffer.from(input).toString('latin1');
  const der = text.includes('-----BEGIN') ? parsePemBlocks(text).find((b) => b.label === 'CERTIFICATE')?.der : input;
  if (!der || typeof der === 'string') throw new CertificateError('the old CA certificate file holds no PEM certificate (-----BEGIN CERTIFICATE-----)');
  let certificate: X509Certificate;
  try {
    certificate = new X509Certificate(der);
  } catch {
    throw new CertificateError('the old CA certificate is malformed: it is not a valid X.509 certificate');
  }
  try {
    const subject = parseCertificateStructure(certificate.raw).tbsCertificate.subject;
    factsOf(certificate).parsed; // every part tcld reads decodes, or the file is refused here
    const organization = subject.flatMap((rdn) => [...rdn]).find((atv) => atv.type === NAME_ATTRIBUTE.organization)?.value.toString();
    return { organization, keySpec: endEntityKeySpec(describeKey(certificate.publicKey as KeyObject)), subject };
  } catch (error) {
    if (error instanceof CertificateError && !(error instanceof MalformedCertificateError)) throw error; // an unsupported key: said as it is
    throw new CertificateError(`the old CA certificate is malformed: ${error instanceof MalformedCertificateError ? error.reason : 'it is not a valid X.509 certificate'}`);
  }
}

/** Whether two names are one name as Temporal Cloud compares them (case-insensitively). */
export function sameName(a: Name, b: Name): boolean {
  return nameKey(a) === nameKey(b);
}
