import { requireNamespace, withCloud, type NamespaceFlags } from '../cloud-flags.js';
import type { Deps } from '../deps.js';
import { printJson, TCLD_PROTO_INDENT, type Printable } from '../output-format.js';

/**
 * `tcld n lc get`: the namespace's lifecycle spec as tcld prints it, `{"enableDeleteProtection": …}`
 * (tcld fails on a namespace that has none; this prints the default, false).
 */
export async function run(options: NamespaceFlags, deps: Deps): Promise<Printable> {
  const namespace = requireNamespace(options.namespace);
  const found = await withCloud(options, deps, (client) => client.getNamespace(namespace));
  return printJson({ enableDeleteProtection: found.spec?.lifecycle?.enableDeleteProtection === true }, TCLD_PROTO_INDENT);
}
