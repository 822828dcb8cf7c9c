import { createPrivateKey } from 'node:crypto';
import { CertificateError } from '../errors.js';
import { formatDuration } from './duration.js';
import { generateKeys, keySpecOf, signatureSchemeOf, type KeySpec } from './keys.js';
import { clientDnsName, randomSuffix } from './names.js';
import { toPem } from './pem.js';
import {
  CA_MAX_VALIDITY_MS,
  CA_MIN_VALIDITY_MS,
  DEFAULT_KEY_ALGORITHM,
  DNS_SUFFIX_LENGTH,
  NOT_BEFORE_GRACE_MS,
  SERIAL_BYTES,
  type KeyAlgorithm,
} from './profile.js';
import { secureRandom, type RandomSource } from './random.js';
import {
  KeyUsageFlags,
  buildName,
  extensions,
  keyIdentifierOf,
  parseSubjectPublicKeyInfo,
  serialFromRandom,
  signCertificate,
} from './x509.js';

export interface GenerateCertificateAuthorityOptions {
  /** The organization, written as the subject's O. Required and not blank. */
  organization: string;
  /** Validity in milliseconds: more than 7 days and at most 365 days (tcld's limits). See parseDuration. */
  validityMs: number;
  /** Key algorithm. Default: 'ecdsa-p384' (tcld's default); 'rsa-4096' is tcld's --rsa. */
  keyAlgorithm?: KeyAlgorithm;
  /** An exact key spec (another curve: a successor of an older CA); wins over keyAlgorithm. */
  keySpec?: KeySpec;
  /** The current time. Default: new Date(). */
  now?: Date;
  /** Source of serial numbers and name suffixes. Default: node:crypto randomBytes. */
  random?: RandomSource;
}

export interface GeneratedCertificate {
  /** The certificate, PEM. */
  certificatePem: string;
  /** Its private key, unencrypted PKCS#8 PEM (`-----BEGIN PRIVATE KEY-----`). */
  privateKeyPem: string;
  /** The DNS name written as SAN (and, for a CA, as CN). */
  dnsName: string;
  notBefore: Date;
  notAfter: Date;
}

/** Throws unless the organization has a visible character. */
export function requireOrganization(organization: string): string {
  if (organization.trim() === '') throw new CertificateError('organization must not be blank');
  return organization;
}

export function checkCaValidity(validityMs: number): void {
  if (validityMs <= CA_MIN_VALIDITY_MS || validityMs > CA_MAX_VALIDITY_MS) {
    throw new CertificateError(
      `CA validity period ${formatDuration(validityMs)} is out of range: it must be more than ${formatDuration(CA_MIN_VALIDITY_MS)} and at most ${formatDuration(CA_MAX_VALIDITY_MS)} (1y)`,
    );
  }
}

/**
 * Generates a self-signed client CA in tcld's profile: CA:TRUE with pathlen:0, keyCertSign and cRLSign,
 * a subject key identifier, subject O=<org> and CN=<its SAN DNS name> (so that successive CAs of one
 * organization, and their leaves, all have distinct names, as Temporal Cloud requires).
 */
export async function generateCertificateAuthority(options: GenerateCertificateAuthorityOptions): Promise<GeneratedCertificate> {
  const organization = requireOrganization(options.organization);
  checkCaValidity(options.validityMs);
  const algorithm = options.keyAlgorithm ?? DEFAULT_KEY_ALGORITHM;
  const now = options.now ?? new Date();
  const random = options.random ?? secureRandom;

  const spec = options.keySpec ?? keySpecOf(algorithm);
  const keys = await generateKeys(spec);
  const spki = parseSubjectPublicKeyInfo(keys.publicKeyDer);
  const dnsName = clientDnsName('root', organization, randomSuffix(random(DNS_SUFFIX_LENGTH)));
  const name = buildName([
    ['organization', organization],
    ['commonName', dnsName],
  ]);
  // keyEncipherment only for RSA: it names RSA key transport, meaningless for an ECDSA key (as tcld).
  const usage =
    KeyUsageFlags.digitalSignature |
    KeyUsageFlags.keyCertSign |
    KeyUsageFlags.cRLSign |
    (spec.type === 'rsa' ? KeyUsageFlags.keyEncipherment : 0);
  const notBefore = new Date(now.getTime() - NOT_BEFORE_GRACE_MS);
  const notAfter = new Date(now.getTime() + options.validityMs);

  const der = await signCertificate(
    {
      serialNumber: serialFromRandom(random(SERIAL_BYTES)),
      subject: name,
      issuer: name,
      notBefore,
      notAfter,
      subjectPublicKeyInfo: spki,
      extensions: [
        extensions.basicConstraints(true),
        extensions.keyUsage(usage),
        extensions.subjectKeyIdentifier(keyIdentifierOf(spki)),
        extensions.dnsName(dnsName),
      ],
    },
    { privateKey: createPrivateKey(keys.privateKeyPem), scheme: signatureSchemeOf(spec) },
  );
  return {
    certificatePem: toPem('CERTIFICATE', der),
    privateKeyPem: keys.privateKeyPem,
    dnsName,
    notBefore: wholeSeconds(notBefore),
    notAfter: wholeSeconds(notAfter),
  };
}

/** X.509 times carry whole seconds; report what the certificate actually says. */
export function wholeSeconds(date: Date): Date {
  return new Date(Math.floor(date.getTime() / 1000) * 1000);
}
