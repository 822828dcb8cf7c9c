import { setCertificates, type SetCertificatesOptions } from '../accepted-ca/set.js';
import { namespaceBundle } from '../accepted-ca/target.js';
import { requireNamespace, type MutationFlags, type MutationOutcome } from '../cloud-flags.js';
import type { Deps } from '../deps.js';

export type CaSetOptions = MutationFlags & SetCertificatesOptions;

/** `tcld n ca s`: replaces the namespace's whole accepted bundle with the given certificates. */
export async function run(options: CaSetOptions, deps: Deps): Promise<MutationOutcome> {
  return setCertificates(namespaceBundle(requireNamespace(options.namespace)), options, deps);
}
