/**
 * The dev-server's secrets: API keys made with CreateApiKey, OAuth access and refresh tokens. Each is
 * 256 bits from the emulator's RandomSource behind a prefix that says what it is (so a secret found in
 * a log or a file is recognised, and a message can say "access token" instead of "credential"), and
 * each is stored only as its SHA-256 digest.
 */
import { createHash } from 'node:crypto';
import type { RandomSource } from '../../pki/random.js';

export type SecretKind = 'api-key' | 'access-token' | 'refresh-token';

const PREFIXES: Record<SecretKind, string> = {
  'api-key': 'tcld_dev_ak_',
  'access-token': 'tcld_dev_at_',
  'refresh-token': 'tcld_dev_rt_',
};

/** 32 bytes: 256 bits, as base64url (43 characters). */
const SECRET_BYTES = 32;

export function newSecret(kind: SecretKind, random: RandomSource): string {
  return PREFIXES[kind] + Buffer.from(random(SECRET_BYTES)).toString('base64url');
}

/** What kind of secret `secret` looks like, from its prefix; undefined for anything else (a bootstrap key, a typo). */
export function kindOfSecret(secret: string): SecretKind | undefined {
  return (Object.keys(PREFIXES) as SecretKind[]).find((kind) => secret.startsWith(PREFIXES[kind]));
}

/**
 * SHA-256, base64url: what the database keeps. A plain hash suffices (no salt or slow KDF): the
 * secrets are 256 random bits, not passwords a dictionary could find.
 */
export function digestSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}
