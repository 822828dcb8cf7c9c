import { addFilters } from '../../pki/filters.js';
import { mutate, requireNamespace, withCloud, type MutationFlags, type MutationOutcome } from '../cloud-flags.js';
import type { Deps } from '../deps.js';
import { currentFilters, readFilters, refuseInvalidFilters, specWithFilters, type FilterInputFlags } from './filters.js';

export type CfAddOptions = MutationFlags & FilterInputFlags;

/** `tcld n cf a`: adds certificate filters to the namespace's. */
export async function run(options: CfAddOptions, deps: Deps): Promise<MutationOutcome> {
  const namespace = requireNamespace(options.namespace);
  const added = await readFilters(options, deps);
  return withCloud(options, deps, (client) =>
    mutate(client, { ...options, namespace }, deps, (current) => {
      const result = addFilters(currentFilters(current), added);
      if (!result.changed) return { unchanged: result.reason };
      refuseInvalidFilters(result.filters);
      return { spec: specWithFilters(current, result.filters), summary: `added ${added.length} certificate filter(s)` };
    }),
  );
}
