import type { Deps } from '../commands/deps.js';
import { nodeFiles } from '../io/files.js';
import { secureRandom } from '../pki/random.js';

/** The real dependencies of a command run; loaded only when a command runs, since they bring node:crypto. */
export function nodeDeps(confirm: Deps['confirm'], env: Deps['env']): Deps {
  return { files: nodeFiles, confirm, now: () => new Date(), random: secureRandom, env };
}
