import { CertificateError } from '../errors.js';
import { requireOrganization, type GeneratedCertificate } from './ca.js';
import type { CertificateRequest } from './csr.js';
import { issueCertificateForKey } from './issue.js';
import type { CertificateAuthority } from './issuer.js';
import { leafExpiry } from './leaf.js';
import { clientDnsName, randomSuffix } from './names.js';
import { DNS_SUFFIX_LENGTH, NOT_BEFORE_GRACE_MS } from './profile.js';
import { secureRandom, type RandomSource } from './random.js';
import { buildName, type NameAttribute } from './x509.js';

export interface IssueForRequestOptions {
  /** The issuing CA, loaded with loadCertificateAuthority. */
  ca: CertificateAuthority;
  /** The request, read and checked with parseCertificateRequest. */
  request: CertificateRequest;
  /** The subject's O. Default: the request's O; one of the two is required. */
  organization?: string;
  /** The subject's OU. Default: the request's OU, if any. */
  organizationalUnit?: string;
  /** The subject's CN. Default: the request's CN, else the certificate's SAN DNS name. */
  commonName?: string;
  /** Validity in milliseconds. Default: until 24 hours before the CA expires. Must not outlast the CA. */
  validityMs?: number;
  /** Default: new Date(). */
  now?: Date;
  /** Default: node:crypto randomBytes. */
  random?: RandomSource;
}

/**
 * Issues a client certificate for a request's public key, in the profile of generateEndEntityCertificate
 * (CA:FALSE, digitalSignature, clientAuth, SAN `client.endentity.<org>.<suffix>`). Of the request only
 * the key and the subject's O, OU and CN are used; requested extensions are not: the CA sets the profile.
 */
export async function issueEndEntityCertificateForRequest(options: IssueForRequestOptions): Promise<Omit<GeneratedCertificate, 'privateKeyPem'>> {
  const { ca, request } = options;
  const organization = options.organization ?? request.organization;
  if (organization === undefined) throw new CertificateError('the certificate signing request has no organization (O), and none was given');
  requireOrganization(organization);
  const now = options.now ?? new Date();
  const random = options.random ?? secureRandom;
  const notAfter = leafExpiry(ca, now, options.validityMs);
  const dnsName = clientDnsName('endentity', organization, randomSuffix(random(DNS_SUFFIX_LENGTH)));
  const organizationalUnit = options.organizationalUnit || request.organizationalUnit;
  const attributes: Array<[NameAttribute, string]> = [['organization', organization]];
  if (organizationalUnit) attributes.push(['organizationalUnit', organizationalUnit]);
  attributes.push(['commonName', options.commonName || request.commonName || dnsName]);
  const issued = await issueCertificateForKey(
    ca,
    {
      subject: buildName(attributes),
      dnsNames: [dnsName],
      extendedKeyUsage: 'clientAuth',
      notBefore: new Date(now.getTime() - NOT_BEFORE_GRACE_MS),
      notAfter,
      random,
      distinctNameHint: 'choose another --common-name',
    },
    request.subjectPublicKeyInfo,
  );
  return { certificatePem: issued.certificatePem, dnsName, notBefore: issued.notBefore, notAfter: issued.notAfter };
}
