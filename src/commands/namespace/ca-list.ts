import { listCertificates, type ListCertificatesOptions } from '../accepted-ca/list.js';
import { namespaceBundle } from '../accepted-ca/target.js';
import { requireNamespace, type NamespaceFlags } from '../cloud-flags.js';
import type { Deps } from '../deps.js';
import type { Printable } from '../output-format.js';

export { EXPIRY_WARNING_DAYS, type CaListEntry } from '../accepted-ca/list.js';

export type CaListOptions = NamespaceFlags & ListCertificatesOptions;

/** `tcld n ca l`: the namespace's accepted CA certificates, with warnings for those near or past expiry. */
export async function run(options: CaListOptions, deps: Deps): Promise<Printable> {
  return listCertificates(namespaceBundle(requireNamespace(options.namespace)), options, deps);
}
