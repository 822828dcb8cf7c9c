/**
 * The issuing steps every end-entity profile shares (client certificates in leaf.ts, TLS server
 * certificates in server-certificate.ts): a fresh key of the CA's algorithm, CA:FALSE, the key usages
 * that key needs, one extended key usage, the CA's key identifier, SAN DNS names, the CA's signature.
 */
import type { Name, SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import { CertificateError } from '../errors.js';
import { wholeSeconds } from './ca.js';
import type { CertificateAuthority } from './issuer.js';
import { generateKeys, signatureSchemeOf, type KeySpec } from './keys.js';
import { toPem } from './pem.js';
import { RSA_MODULUS_BITS, SERIAL_BYTES } from './profile.js';
import type { RandomSource } from './random.js';
import { KeyUsageFlags, SignatureMismatchError, extensions, nameKey, parseSubjectPublicKeyInfo, serialFromRandom, signCertificate } from './x509.js';

/** What an end-entity certificate is for: TLS client authentication (RFC 5280 4.2.1.12 id-kp-clientAuth) or a TLS server. */
export type EndEntityUsage = 'clientAuth' | 'serverAuth';

export interface IssueCertificateOptions {
  subject: Name;
  /** Written as the SAN's DNS names, in this order. At least one. */
  dnsNames: readonly string[];
  /** Written as the SAN's IP addresses after the DNS names (a server reached by IP). Default none. */
  ipAddresses?: readonly string[];
  /** The certificate's one extended key usage. */
  extendedKeyUsage: EndEntityUsage;
  notBefore: Date;
  notAfter: Date;
  /** Source of the serial number. */
  random: RandomSource;
  /** The end of the refusal of a subject equal to the CA's: what the user should change. Default: 'choose another subject'. */
  distinctNameHint?: string;
  /** The new key's kind. Default: the CA's algorithm (the same curve, or RSA 4096). */
  keySpec?: KeySpec;
}

export interface IssuedCertificate {
  /** The certificate, PEM. */
  certificatePem: string;
  /** Its private key, unencrypted PKCS#8 PEM. */
  privateKeyPem: string;
  /** The validity as written (X.509 times carry whole seconds). */
  notBefore: Date;
  notAfter: Date;
}

/** Issues an end-entity certificate from `ca` with a fresh key; throws CertificateError when its subject equals the CA's. */
export async function issueCertificate(ca: CertificateAuthority, options: IssueCertificateOptions): Promise<IssuedCertificate> {
  checkIssueOptions(ca, options);
  const keys = await generateKeys(options.keySpec ?? endEntityKeySpec(ca.keySpec));
  const issued = await issueCertificateForKey(ca, options, parseSubjectPublicKeyInfo(keys.publicKeyDer));
  return { ...issued, privateKeyPem: keys.privateKeyPem };
}

/**
 * Issues an end-entity certificate from `ca` for a public key made elsewhere (a certificate signing
 * request): the same profile, without a private key. The caller checks that the key is RSA or ECDSA.
 */
export async function issueCertificateForKey(
  ca: CertificateAuthority,
  options: IssueCertificateOptions,
  subjectPublicKeyInfo: SubjectPublicKeyInfo,
): Promise<Omit<IssuedCertificate, 'privateKeyPem'>> {
  checkIssueOptions(ca, options);
  const isRsa = subjectPublicKeyInfo.algorithm.algorithm === RSA_ENCRYPTION;
  // keyEncipherment only for RSA: it names RSA key transport, meaningless for an ECDSA key (as tcld).
  const usage = KeyUsageFlags.digitalSignature | (isRsa ? KeyUsageFlags.keyEncipherment : 0);
  // Nothing leaves here that its CA's public key does not verify: a damaged key is caught at load, and this catches the rest.
  const der = await signCertificate(
    {
      serialNumber: serialFromRandom(options.random(SERIAL_BYTES)),
      subject: options.subject,
      issuer: ca.subject,
      notBefore: options.notBefore,
      notAfter: options.notAfter,
      subjectPublicKeyInfo,
      extensions: [
        extensions.basicConstraints(false),
        extensions.keyUsage(usage),
        options.extendedKeyUsage === 'serverAuth' ? extensions.serverAuth() : extensions.clientAuth(),
        extensions.authorityKeyIdentifier(ca.keyIdentifier),
        options.ipAddresses?.length ? extensions.subjectAltNames(options.dnsNames, options.ipAddresses) : extensions.dnsNames(options.dnsNames),
      ],
    },
    { privateKey: ca.privateKey, scheme: signatureSchemeOf(ca.keySpec), verifyWith: ca.certificate.publicKey },
  ).catch((error: unknown) => {
    if (!(error instanceof SignatureMismatchError)) throw error;
    throw new CertificateError("the certificate signed with the CA key does not verify against the CA certificate's public key: the CA key or certificate is damaged");
  });
  return {
    certificatePem: toPem('CERTIFICATE', der),
    notBefore: wholeSeconds(options.notBefore),
    notAfter: wholeSeconds(options.notAfter),
  };
}

/** rsaEncryption (RFC 8017 appendix C): the SubjectPublicKeyInfo algorithm of every RSA key. */
const RSA_ENCRYPTION = '1.2.840.113549.1.1.1';

function checkIssueOptions(ca: CertificateAuthority, options: IssueCertificateOptions): void {
  if (options.dnsNames.length === 0) throw new CertificateError('a certificate needs at least one DNS name');
  refuseNameOfIssuer(options.subject, ca, options.distinctNameHint ?? 'choose another subject');
}

/** An end-entity key uses its CA's algorithm: the same curve, or RSA of tcld's size. */
export function endEntityKeySpec(caSpec: KeySpec): KeySpec {
  return caSpec.type === 'rsa' ? { type: 'rsa', bits: RSA_MODULUS_BITS } : caSpec;
}

/** Temporal Cloud requires every name on the chain to be unique, compared case-insensitively. */
function refuseNameOfIssuer(subject: Name, ca: CertificateAuthority, hint: string): void {
  if (nameKey(subject) === nameKey(ca.subject)) {
    throw new CertificateError(
      `the certificate's subject would equal its CA's (${ca.certificate.subject.replace(/\n/g, ', ')}); Temporal Cloud requires distinct names: ${hint}`,
    );
  }
}
