import { addCertificates, type AddCertificatesOptions } from '../accepted-ca/add.js';
import { namespaceBundle } from '../accepted-ca/target.js';
import { requireNamespace, type MutationFlags, type MutationOutcome } from '../cloud-flags.js';
import type { Deps } from '../deps.js';

export type CaAddOptions = MutationFlags & AddCertificatesOptions;

/** `tcld n ca a`: adds CA certificates to the namespace's accepted bundle. */
export async function run(options: CaAddOptions, deps: Deps): Promise<MutationOutcome> {
  return addCertificates(namespaceBundle(requireNamespace(options.namespace)), options, deps);
}
