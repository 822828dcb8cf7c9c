import type { CloudClient, CloudConnectionOptions } from '../cloud/client.js';
import type { Files } from '../io/files.js';
import type { RandomSource } from '../pki/random.js';

/** Everything a handler touches outside its own logic; the CLI passes real ones, tests pass fakes. */
export interface Deps {
  files: Files;
  /** Asks a yes/no question; resolves false on "no" or end of input. */
  confirm(question: string): Promise<boolean>;
  /** Asks for a secret such as a passphrase, hidden on a terminal; resolves undefined at the end of input. */
  promptSecret(question: string): Promise<string | undefined>;
  now(): Date;
  random: RandomSource;
  env: Readonly<Record<string, string | undefined>>;
  /** Writes a line for the user (stdout) while a long-running command works, e.g. a server's log. */
  out(line: string): void;
  /** Writes a line of diagnostics (stderr): warnings, progress, debug logs. */
  err(line: string): void;
  /** Whether stderr is a terminal (spinners only there). */
  interactive: boolean;
  /** On a terminal, replaces the status line on stderr (undefined clears it); elsewhere does nothing. */
  status(text: string | undefined): void;
  /**
   * Aborted on SIGINT or SIGTERM (its reason is the signal's name), for commands that run until stopped
   * and for any command while it listens for 'abort' (a --wait); with no listener, the signal ends tcld.
   */
  signal: AbortSignal;
  /** Connects to the Cloud Ops API (gRPC and protobuf load only when this is called). */
  cloud(options: CloudConnectionOptions): Promise<CloudClient>;
  /** Opens a URL in the user's browser, as tcld does (xdg-open, open, rundll32), without waiting for it. */
  openUrl(url: string): Promise<OpenUrlOutcome>;
}

/** Whether the browser was asked to open a URL, or why not. */
export type OpenUrlOutcome = { code: 'opened' } | { code: 'no-display' | 'unsupported-platform' } | { code: 'failed'; message: string };

/** What the generation commands report: the files they wrote, or that the user declined. */
export type WrittenFiles =
  | {
      written: true;
      subject: string;
      files: Array<{ path: string; what: string }>;
      /** For certificates: when it expires and its SAN DNS name (a request has neither). */
      notAfter?: Date;
      dnsName?: string;
    }
  | { written: false };
