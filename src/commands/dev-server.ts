import type { Deps } from './deps.js';

export interface DevServerOptions {
  port: string;
  ip: string;
  db?: string;
  apiKey?: string[];
  namespace?: string[];
  account: string;
  asyncDelay: string;
}

/** `tcld dev-server`: STUB, being written. */
export async function run(_options: DevServerOptions, _deps: Deps): Promise<void> {
  throw new Error('not implemented');
}
