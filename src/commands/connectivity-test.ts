import type { Deps } from './deps.js';

export interface ConnectivityTestOptions {
  address: string;
  tlsCertPath: string;
  tlsKeyPath: string;
  tlsServerName?: string;
  tlsCaPath?: string;
  namespace?: string;
  caBundle?: string;
}

/** `tcld connectivity test`: STUB, being written. */
export async function run(_options: ConnectivityTestOptions, _deps: Deps): Promise<string> {
  throw new Error('not implemented');
}
