import { mutate, requireNamespace, withCloud, type MutationFlags, type MutationOutcome } from '../cloud-flags.js';
import type { Deps } from '../deps.js';
import { confirmFilterChange, currentFilters, specWithFilters } from './filters.js';

/**
 * `tcld n cf c`: removes every certificate filter (any certificate from an accepted CA is then
 * admitted), after showing the filters that go and asking (as tcld does).
 */
export async function run(options: MutationFlags, deps: Deps): Promise<MutationOutcome> {
  const namespace = requireNamespace(options.namespace);
  return withCloud(options, deps, async (client) => {
    const before = currentFilters(await client.getNamespace(namespace));
    if (before.length > 0 && !(await confirmFilterChange({ kind: 'clear', before }, deps))) return { code: 'declined' };
    return mutate(client, { ...options, namespace }, deps, (current) =>
      currentFilters(current).length === 0
        ? { unchanged: 'the namespace has no certificate filters' }
        : { spec: specWithFilters(current, []), summary: 'cleared the certificate filters' },
    );
  });
}
