import { mutate, requireNamespace, withCloud, type MutationFlags, type MutationOutcome } from '../cloud-flags.js';
import type { Deps } from '../deps.js';
import { currentFilters, specWithFilters } from './filters.js';

/** `tcld n cf c`: removes every certificate filter (any certificate from an accepted CA is then admitted). */
export async function run(options: MutationFlags, deps: Deps): Promise<MutationOutcome | { cancelled: true }> {
  const namespace = requireNamespace(options.namespace);
  if (!(await deps.confirm(`clearing all certificate filters of namespace ${namespace}: every certificate its CAs issue will be admitted. confirm:`))) {
    return { cancelled: true };
  }
  return withCloud(options, deps, (client) =>
    mutate(client, { ...options, namespace }, deps, (current) =>
      currentFilters(current).length === 0
        ? { unchanged: 'the namespace has no certificate filters' }
        : { spec: specWithFilters(current, []), summary: 'cleared the certificate filters' },
    ),
  );
}
