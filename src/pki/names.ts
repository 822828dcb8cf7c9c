import { DNS_SUFFIX_ALPHABET, DNS_SUFFIX_LENGTH, ORGANIZATION_LABEL_MAX } from './profile.js';

/**
 * Makes an organization name into a DNS label: lowercase letters, digits and single hyphens,
 * never starting or ending with a hyphen. A name with no usable character becomes "org".
 */
export function organizationLabel(organization: string): string {
  const label = organization
    .normalize('NFKD')
    .replace(/\p{M}/gu, '') // accents decomposed by NFKD
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, ORGANIZATION_LABEL_MAX)
    .replace(/^-+|-+$/g, '');
  return label || 'org';
}

/** Picks DNS_SUFFIX_LENGTH characters from random bytes (one byte a character; the tiny modulo bias is harmless in a name). */
export function randomSuffix(random: Uint8Array): string {
  if (random.length < DNS_SUFFIX_LENGTH) throw new RangeError(`need ${DNS_SUFFIX_LENGTH} random bytes`);
  let out = '';
  for (let i = 0; i < DNS_SUFFIX_LENGTH; i++) out += DNS_SUFFIX_ALPHABET[random[i]! % DNS_SUFFIX_ALPHABET.length];
  return out;
}

export type CertificateRole = 'root' | 'endentity';

/** tcld's SAN DNS names: `client.root.<org-label>.<suffix>` for a CA, `client.endentity.<org-label>.<suffix>` for a leaf. */
export function clientDnsName(role: CertificateRole, organization: string, suffix: string): string {
  return `client.${role}.${organizationLabel(organization)}.${suffix}`;
}
