import type { MutationOutcome } from '../cloud-flags.js';
import type { Deps } from '../deps.js';
import { setDisabled } from './set-disabled.js';
import type { ApiKeyMutationFlags } from './shared.js';

/** `tcld apikey disable -i <id>`: the key stops authenticating; enable brings it back. */
export async function run(options: ApiKeyMutationFlags, deps: Deps): Promise<MutationOutcome> {
  return setDisabled(options, deps, true);
}
