import type { RandomSource } from '../pki/random.js';
import type { Files } from '../io/files.js';

/** Everything a handler touches outside its own logic; the CLI passes real ones, tests pass fakes. */
export interface Deps {
  files: Files;
  /** Asks a yes/no question; resolves false on "no" or end of input. */
  confirm(question: string): Promise<boolean>;
  now(): Date;
  random: RandomSource;
  env: Readonly<Record<string, string | undefined>>;
}

/** What the generation commands report: the files they wrote, or that the user declined. */
export type WrittenFiles =
  | { written: true; subject: string; files: Array<{ path: string; what: string }>; notAfter: Date; dnsName: string }
  | { written: false };
