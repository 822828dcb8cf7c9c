import type { RandomSource } from '../pki/random.js';

/** A version 4 UUID from the given randomness: resource versions and operation IDs. */
export function randomUuid(random: RandomSource): string {
  const b = Buffer.from(random(16));
  b[6] = (b[6]! & 0x0f) | 0x40;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const hex = b.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** 32 hexadecimal digits, as Temporal Cloud's identity IDs look: user and API key IDs. */
export function randomHexId(random: RandomSource): string {
  return Buffer.from(random(16)).toString('hex');
}

/** An API key for a run that was given none: 32 random bytes, URL-safe base64, recognisable prefix. */
export function generateApiKey(random: RandomSource): string {
  return `tcld-dev-${Buffer.from(random(32)).toString('base64url')}`;
}
