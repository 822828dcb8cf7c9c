// Types of ensure-browser.mjs, for the TypeScript tests that import it (test/browser.ts, test/ensure-browser.test.ts).

export declare const SKIP_INSTALL_VARIABLE: 'TCLD_SKIP_BROWSER_INSTALL';

/** What decideBrowserAction needs to know about this machine. */
export interface BrowserFacts {
  /** The Chromium found (findChromium), or null. */
  chromium: string | null;
  /** TCLD_SKIP_BROWSER_INSTALL=1. */
  optedOut: boolean;
  /** apt-get is on PATH. */
  aptGet: boolean;
  /** process.getuid(), or null where there is none. */
  uid: number | null;
  /** `sudo -n true` succeeds (asked only when not root and an install would otherwise happen). */
  passwordlessSudo: boolean;
}

export type SkipCode = 'opted-out' | 'no-apt-get' | 'not-root';

export type BrowserAction =
  | { kind: 'present'; path: string }
  | { kind: 'install'; sudo: boolean }
  | { kind: 'skip'; code: SkipCode; message: string };

export interface CommandResult {
  status: number | null;
  output: string;
}

export interface EnsureBrowserDeps {
  env?: Record<string, string | undefined>;
  facts?: BrowserFacts;
  run?: (command: string[]) => CommandResult;
  find?: (pathVariable: string) => string | null;
  log?: (line: string) => void;
}

export declare function which(name: string, pathVariable?: string): string | null;
export declare function findChromium(pathVariable?: string, fallbacks?: readonly string[]): string | null;
export declare function decideBrowserAction(facts: BrowserFacts): BrowserAction;
export declare function installCommands(sudo: boolean): string[][];
export declare function gatherFacts(env?: Record<string, string | undefined>): BrowserFacts;
export declare function ensureBrowser(deps?: EnsureBrowserDeps): string | null;
