import type { SpecChange } from '../../cloud/mutate.js';
import type { INamespace } from '../../cloud/proto.js';
import { addFilters } from '../../pki/filters.js';
import { mutate, requireNamespace, withCloud, type MutationFlags, type MutationOutcome } from '../cloud-flags.js';
import type { Deps } from '../deps.js';
import { confirmFilterChange, currentFilters, readFilters, refuseInvalidFilters, specWithFilters, type FilterInputFlags } from './filters.js';

export type CfAddOptions = MutationFlags & FilterInputFlags;

/**
 * `tcld n cf a`: adds certificate filters to the namespace's, after showing them and asking (as tcld
 * does). A filter already there, or a result Temporal Cloud would refuse, is refused before asking.
 */
export async function run(options: CfAddOptions, deps: Deps): Promise<MutationOutcome> {
  const namespace = requireNamespace(options.namespace);
  const added = await readFilters(options, deps);
  const change = (current: INamespace): SpecChange => {
    const result = addFilters(currentFilters(current), added);
    if (!result.changed) return { unchanged: result.reason };
    refuseInvalidFilters(result.filters);
    return { spec: specWithFilters(current, result.filters), summary: `added ${added.length} certificate filter(s)` };
  };
  return withCloud(options, deps, async (client) => {
    const decided = change(await client.getNamespace(namespace));
    if ('spec' in decided && !(await confirmFilterChange({ kind: 'add', added }, deps))) return { code: 'declined' };
    return mutate(client, { ...options, namespace }, deps, change);
  });
}
