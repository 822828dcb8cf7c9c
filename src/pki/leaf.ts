import { CertificateError } from '../errors.js';
import { requireOrganization, type GeneratedCertificate } from './ca.js';
import { formatDuration } from './duration.js';
import { issueCertificate } from './issue.js';
import { loadCertificateAuthority, type CertificateAuthority, type LoadCertificateAuthorityOptions } from './issuer.js';
import { clientDnsName, randomSuffix } from './names.js';
import { DNS_SUFFIX_LENGTH, LEAF_DEFAULT_MARGIN_MS, NOT_BEFORE_GRACE_MS } from './profile.js';
import { secureRandom, type RandomSource } from './random.js';
import { buildName, type NameAttribute } from './x509.js';

export interface GenerateEndEntityCertificateOptions {
  /** The issuing CA: loaded once with loadCertificateAuthority (fastest for many leaves), or its PEM files' contents. */
  ca: CertificateAuthority | Omit<LoadCertificateAuthorityOptions, 'now'>;
  /** The organization, written as the subject's O. Required and not blank. */
  organization: string;
  /** Written as the subject's OU when given. */
  organizationalUnit?: string;
  /** The subject's CN. Default: the certificate's SAN DNS name. */
  commonName?: string;
  /** Validity in milliseconds. Default: until 24 hours before the CA expires. Must not outlast the CA. */
  validityMs?: number;
  /** The current time. Default: new Date(). */
  now?: Date;
  /** Source of serial numbers and name suffixes. Default: node:crypto randomBytes. */
  random?: RandomSource;
}

/**
 * Issues a client (end-entity) certificate in tcld's profile with the key usages Temporal Cloud requires:
 * CA:FALSE, digitalSignature, extended key usage clientAuth, SAN `client.endentity.<org>.<suffix>`,
 * and a fresh key of the CA's own algorithm.
 */
export async function generateEndEntityCertificate(options: GenerateEndEntityCertificateOptions): Promise<GeneratedCertificate> {
  const organization = requireOrganization(options.organization);
  const now = options.now ?? new Date();
  const random = options.random ?? secureRandom;
  const ca = 'keySpec' in options.ca ? options.ca : loadCertificateAuthority({ ...options.ca, now });
  const notBefore = new Date(now.getTime() - NOT_BEFORE_GRACE_MS);
  const notAfter = leafExpiry(ca, now, options.validityMs);

  const dnsName = clientDnsName('endentity', organization, randomSuffix(random(DNS_SUFFIX_LENGTH)));
  const attributes: Array<[NameAttribute, string]> = [['organization', organization]];
  if (options.organizationalUnit) attributes.push(['organizationalUnit', options.organizationalUnit]);
  attributes.push(['commonName', options.commonName || dnsName]);
  const issued = await issueCertificate(ca, {
    subject: buildName(attributes),
    dnsNames: [dnsName],
    extendedKeyUsage: 'clientAuth',
    notBefore,
    notAfter,
    random,
    distinctNameHint: 'choose another --common-name',
  });
  return { certificatePem: issued.certificatePem, privateKeyPem: issued.privateKeyPem, dnsName, notBefore: issued.notBefore, notAfter: issued.notAfter };
}

/** The leaf's notAfter: explicit validity that must fit inside the CA's, or the CA's expiry minus 24 hours. */
export function leafExpiry(ca: Pick<CertificateAuthority, 'notAfter'>, now: Date, validityMs?: number): Date {
  if (validityMs === undefined) {
    const notAfter = new Date(ca.notAfter.getTime() - LEAF_DEFAULT_MARGIN_MS);
    if (notAfter <= now) {
      throw new CertificateError(`CA expires on ${ca.notAfter.toISOString()}, too soon to issue a certificate: generate a new CA`);
    }
    return notAfter;
  }
  if (validityMs <= 0) throw new CertificateError(`validity period must be positive, not ${formatDuration(validityMs)}`);
  const notAfter = new Date(now.getTime() + validityMs);
  const excess = notAfter.getTime() - ca.notAfter.getTime();
  if (excess > 0) {
    const room = formatDuration(Math.max(0, ca.notAfter.getTime() - now.getTime()));
    throw new CertificateError(
      `validity period ${formatDuration(validityMs)} would make the certificate outlive its CA (expires ${ca.notAfter.toISOString()}) by ${formatDuration(excess)}: use at most ${room}`,
    );
  }
  return notAfter;
}
