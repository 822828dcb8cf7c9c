import { mutate, requireNamespace, withCloud, type MutationFlags, type MutationOutcome } from '../cloud-flags.js';
import type { Deps } from '../deps.js';
import { currentFilters, readFilters, refuseInvalidFilters, sameFilters, specWithFilters, type FilterInputFlags } from './filters.js';

export type CfImportOptions = MutationFlags & FilterInputFlags;

/** `tcld n cf imp`: replaces the namespace's certificate filters with those in the JSON given. */
export async function run(options: CfImportOptions, deps: Deps): Promise<MutationOutcome> {
  const namespace = requireNamespace(options.namespace);
  const filters = await readFilters(options, deps);
  refuseInvalidFilters(filters);
  return withCloud(options, deps, (client) =>
    mutate(client, { ...options, namespace }, deps, (current) =>
      sameFilters(currentFilters(current), filters)
        ? { unchanged: 'the namespace already has exactly these filters' }
        : { spec: specWithFilters(current, filters), summary: `imported ${filters.length} certificate filter(s)` },
    ),
  );
}
