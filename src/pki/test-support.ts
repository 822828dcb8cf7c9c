import type { RandomSource } from './random.js';

/** A deterministic random source for tests: bytes 1, 2, 3, ... continuing across calls. */
export function countingRandom(start = 1): RandomSource {
  let next = start;
  return (size) => Uint8Array.from({ length: size }, () => next++ & 0xff);
}

export const DAY_MS = 86_400_000;
export const FIXED_NOW = new Date('2026-11-27T12:00:00.000Z');
