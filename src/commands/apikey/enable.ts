import type { MutationOutcome } from '../cloud-flags.js';
import type { Deps } from '../deps.js';
import { setDisabled } from './set-disabled.js';
import type { ApiKeyMutationFlags } from './shared.js';

/** `tcld apikey enable -i <id>`: a disabled key authenticates again. */
export async function run(options: ApiKeyMutationFlags, deps: Deps): Promise<MutationOutcome> {
  return setDisabled(options, deps, false);
}
