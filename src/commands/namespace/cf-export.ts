import { requireNamespace, withCloud, type NamespaceFlags } from '../cloud-flags.js';
import type { Deps } from '../deps.js';
import { printJson, TCLD_OBJECT_INDENT, type Printable } from '../output-format.js';
import { currentFilters, tcldFiltersDocument, tcldFiltersText } from './filters.js';

export interface CfExportOptions extends NamespaceFlags {
  certificateFilterFile?: string;
}

/**
 * `tcld n cf exp`: the namespace's filters as tcld prints them (`{}` when there is none); with
 * --certificate-filter-file also written there, the same text, as tcld does.
 */
export async function run(options: CfExportOptions, deps: Deps): Promise<Printable> {
  const namespace = requireNamespace(options.namespace);
  const current = await withCloud(options, deps, (client) => client.getNamespace(namespace));
  const filters = currentFilters(current);
  if (options.certificateFilterFile) {
    await deps.files.writeAll([{ path: options.certificateFilterFile, data: `${tcldFiltersText(filters)}\n`, mode: 0o644 }], { signal: deps.signal });
  }
  return printJson(tcldFiltersDocument(filters), TCLD_OBJECT_INDENT);
}
