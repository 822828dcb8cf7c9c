/**
 * TLS server certificates for the emulator's mTLS gateway (`tcld dev-server`), issued by a dev-server
 * CA made with generateCertificateAuthority. Same machinery as client certificates (issue.ts), with
 * extended key usage serverAuth and the server's DNS names.
 */
import { CertificateError } from '../errors.js';
import type { KeySpec } from './keys.js';
import type { GeneratedCertificate } from './ca.js';
import { formatDuration } from './duration.js';
import { stringValue } from './format-name.js';
import { issueCertificate } from './issue.js';
import type { CertificateAuthority } from './issuer.js';
import { NOT_BEFORE_GRACE_MS } from './profile.js';
import { secureRandom, type RandomSource } from './random.js';
import { NAME_ATTRIBUTE, buildName, type NameAttribute } from './x509.js';

/** The subject's O when the CA's subject has none. */
export const SERVER_ORGANIZATION = 'tcld dev-server';

/** RFC 5280's upper bound for a common name (ub-common-name): a longer first DNS name is written as SAN only. */
const COMMON_NAME_MAX = 64;

/** RFC 1035 host names (letters, digits, inner hyphens; labels of 1 to 63, 253 in all), optionally `*.` first. */
const DNS_NAME = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/i;
const IPV4 = /^\d{1,3}(\.\d{1,3}){3}$/;

export interface GenerateServerCertificateOptions {
  /** The issuing CA, loaded with loadCertificateAuthority. The new key has its algorithm (the same curve, or RSA 4096). */
  ca: CertificateAuthority;
  /** The server's DNS names, written as SAN in this order; the first is also the subject's CN. At least one. */
  dnsNames: readonly string[];
  /** IP addresses written as SAN after the DNS names, for a server whose clients connect by IP (an https://127.0.0.1 URI). Default none. */
  ipAddresses?: readonly string[];
  /** Validity in milliseconds, positive; cut short to the CA's expiry rather than outliving it. */
  validityMs: number;
  /** The current time. Default: new Date(). */
  now?: Date;
  /** Source of serial numbers. Default: node:crypto randomBytes. */
  random?: RandomSource;
  /**
   * The server key's kind. Default: the CA's algorithm. A server key signs in every handshake, so a
   * busy endpoint may prefer ECDSA P-256 (several times cheaper to sign with than P-384).
   */
  keySpec?: KeySpec;
}

/**
 * Issues a TLS server certificate: CA:FALSE, keyUsage digitalSignature (and keyEncipherment for RSA),
 * extended key usage serverAuth, SAN DNS names as given, subject O=<the CA's O, or 'tcld dev-server'>
 * and CN=<the first DNS name>, valid from a minute ago. `dnsName` in the result is the first DNS name.
 */
export async function generateServerCertificate(options: GenerateServerCertificateOptions): Promise<GeneratedCertificate> {
  const dnsNames = checkDnsNames(options.dnsNames);
  const now = options.now ?? new Date();
  if (!(options.validityMs > 0)) throw new CertificateError(`validity period must be positive, not ${formatDuration(options.validityMs)}`);
  if (options.ca.notAfter <= now) throw new CertificateError(`CA expired on ${options.ca.notAfter.toISOString()}: generate a new CA`);
  const notAfter = new Date(Math.min(now.getTime() + options.validityMs, options.ca.notAfter.getTime()));

  const first = dnsNames[0]!;
  const attributes: Array<[NameAttribute, string]> = [['organization', organizationOf(options.ca) ?? SERVER_ORGANIZATION]];
  if (first.length <= COMMON_NAME_MAX) attributes.push(['commonName', first]);
  const issued = await issueCertificate(options.ca, {
    subject: buildName(attributes),
    dnsNames,
    ...(options.ipAddresses?.length && { ipAddresses: checkIpAddresses(options.ipAddresses) }),
    extendedKeyUsage: 'serverAuth',
    notBefore: new Date(now.getTime() - NOT_BEFORE_GRACE_MS),
    notAfter,
    random: options.random ?? secureRandom,
    distinctNameHint: 'choose another first DNS name',
    ...(options.keySpec ? { keySpec: options.keySpec } : {}),
  });
  return { certificatePem: issued.certificatePem, privateKeyPem: issued.privateKeyPem, dnsName: first, notBefore: issued.notBefore, notAfter: issued.notAfter };
}

function checkDnsNames(dnsNames: readonly string[]): string[] {
  if (dnsNames.length === 0) throw new CertificateError('a server certificate needs at least one DNS name (for example localhost)');
  for (const name of dnsNames) {
    if (IPV4.test(name) || name.includes(':')) {
      throw new CertificateError(`'${name}' is an IP address, not a DNS name: give a name such as localhost and connect with it as the TLS server name`);
    }
    if (name.length > 253 || !DNS_NAME.test(name)) {
      throw new CertificateError(`'${name}' is not a DNS name: use letters, digits, hyphens and dots (a leading *. for a wildcard)`);
    }
  }
  return [...dnsNames];
}

function checkIpAddresses(ipAddresses: readonly string[]): string[] {
  for (const address of ipAddresses) {
    if (!IPV4.test(address) && !/^[0-9a-f:.]*:[0-9a-f:.]*$/i.test(address)) throw new CertificateError(`'${address}' is not an IP address such as 127.0.0.1 or ::1`);
  }
  return [...ipAddresses];
}

/** The CA subject's first O, when it has one. */
function organizationOf(ca: CertificateAuthority): string | undefined {
  for (const rdn of ca.subject) {
    for (const atv of rdn) {
      if (atv.type === NAME_ATTRIBUTE.organization) return stringValue(atv.value);
    }
  }
  return undefined;
}
