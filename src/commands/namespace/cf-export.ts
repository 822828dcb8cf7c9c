import { formatFiltersJson } from '../../pki/filters.js';
import { requireNamespace, withCloud, type NamespaceFlags } from '../cloud-flags.js';
import type { Deps } from '../deps.js';
import { currentFilters } from './filters.js';

export interface CfExportOptions extends NamespaceFlags {
  certificateFilterFile?: string;
}

/** `tcld n cf exp`: the namespace's filters as JSON, printed or written to --certificate-filter-file. */
export async function run(options: CfExportOptions, deps: Deps): Promise<string> {
  const namespace = requireNamespace(options.namespace);
  const current = await withCloud(options, deps, (client) => client.getNamespace(namespace));
  const json = formatFiltersJson(currentFilters(current));
  if (!options.certificateFilterFile) return json;
  await deps.files.writeAll([{ path: options.certificateFilterFile, data: `${json}\n`, mode: 0o644 }]);
  return `certificate filters written to ${options.certificateFilterFile}`;
}
