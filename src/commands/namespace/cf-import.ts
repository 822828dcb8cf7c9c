import type { SpecChange } from '../../cloud/mutate.js';
import type { INamespace } from '../../cloud/proto.js';
import { mutate, requireNamespace, withCloud, type MutationFlags, type MutationOutcome } from '../cloud-flags.js';
import type { Deps } from '../deps.js';
import { confirmFilterChange, currentFilters, readFilters, refuseInvalidFilters, sameFilters, specWithFilters, type FilterInputFlags } from './filters.js';

export type CfImportOptions = MutationFlags & FilterInputFlags;

/**
 * `tcld n cf imp`: replaces the namespace's certificate filters with those in the JSON given, after
 * showing the change as a diff and asking (as tcld does). Nothing to change asks nothing.
 */
export async function run(options: CfImportOptions, deps: Deps): Promise<MutationOutcome> {
  const namespace = requireNamespace(options.namespace);
  const filters = await readFilters(options, deps);
  refuseInvalidFilters(filters);
  const change = (current: INamespace): SpecChange =>
    sameFilters(currentFilters(current), filters)
      ? { unchanged: 'the namespace already has exactly these filters' }
      : { spec: specWithFilters(current, filters), summary: `imported ${filters.length} certificate filter(s)` };
  return withCloud(options, deps, async (client) => {
    const before = currentFilters(await client.getNamespace(namespace));
    if (!sameFilters(before, filters) && !(await confirmFilterChange({ kind: 'import', before, after: filters }, deps))) return { code: 'declined' };
    return mutate(client, { ...options, namespace }, deps, change);
  });
}
