import { randomBytes } from 'node:crypto';

/** Where randomness comes from; tests inject a deterministic source. */
export type RandomSource = (size: number) => Uint8Array;

export const secureRandom: RandomSource = (size) => randomBytes(size);
