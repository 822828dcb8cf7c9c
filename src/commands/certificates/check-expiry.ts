import type { Deps } from '../deps.js';

/** STUB: being written. */
export async function run(_options: Record<string, unknown>, _deps: Deps): Promise<never> {
  throw new Error('not implemented');
}
