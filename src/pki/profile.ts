/**
 * The certificate profile: tcld's choices, corrected where Temporal Cloud's documented
 * requirements for client certificates demand it. Every number here has a reason.
 */

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** notBefore is backdated so that a peer whose clock is slightly behind accepts a fresh certificate (tcld: 1 minute). */
export const NOT_BEFORE_GRACE_MS = MINUTE;

/** tcld refuses a CA validity of 7 days or less. */
export const CA_MIN_VALIDITY_MS = 7 * DAY;

/** tcld refuses a CA validity of more than 365 days. */
export const CA_MAX_VALIDITY_MS = 365 * DAY;

/** A leaf without an explicit validity expires this long before its CA (tcld: 24 hours). */
export const LEAF_DEFAULT_MARGIN_MS = DAY;

/** Random bytes in a serial number: 16 bytes, top bit cleared so the INTEGER stays positive (RFC 5280 4.1.2.2). */
export const SERIAL_BYTES = 16;

/** Random characters at the end of the SAN DNS name, as tcld's `client.root.<org>.<4 chars>`. */
export const DNS_SUFFIX_LENGTH = 4;

/** Lowercase letters and digits: valid in any position of a DNS label (tcld also draws '-' and capitals). */
export const DNS_SUFFIX_ALPHABET = 'abcdefghijklmnopqrstuvwxyz0123456789';

/**
 * The organization's label in a DNS name is cut to 42 characters so that the longest generated name,
 * `client.endentity.<label>.<4>`, fits RFC 5280's upper bound for a common name (ub-common-name, 64)
 * and, with it, RFC 1035's 63 octets for a label.
 */
export const ORGANIZATION_LABEL_MAX = 42;

export type KeyAlgorithm = 'ecdsa-p384' | 'rsa-4096';

/** tcld's default: ECDSA on P-384, signed with SHA-384. */
export const DEFAULT_KEY_ALGORITHM: KeyAlgorithm = 'ecdsa-p384';

/** RSA keys are 4096 bits, as tcld's --rsa makes them. */
export const RSA_MODULUS_BITS = 4096;

/** RSA below 2048 bits is refused, in requests and in bundles: NIST SP 800-131A disallows it, and so do current TLS stacks. */
export const RSA_MIN_BITS = 2048;
