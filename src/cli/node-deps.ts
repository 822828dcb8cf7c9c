import type { Deps } from '../commands/deps.js';
import { nodeFiles } from '../io/files.js';
import { secureRandom } from '../pki/random.js';

export type Runtime = Pick<Deps, 'confirm' | 'promptSecret' | 'env' | 'out' | 'err' | 'interactive' | 'status' | 'signal'>;

/** The real dependencies of a command run; loaded only when a command runs, since they bring node:crypto. */
export function nodeDeps(runtime: Runtime): Deps {
  return {
    files: nodeFiles,
    now: () => new Date(),
    random: secureRandom,
    cloud: async (options) => (await import('../cloud/client.js')).connectCloud(options),
    openUrl: async (url) => (await import('./browser.js')).openUrl(url, runtime.env),
    ...runtime,
  };
}
