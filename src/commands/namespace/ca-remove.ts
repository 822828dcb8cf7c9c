import { removeCertificates, type RemoveCertificatesOptions } from '../accepted-ca/remove.js';
import { namespaceBundle } from '../accepted-ca/target.js';
import { requireNamespace, type MutationFlags, type MutationOutcome } from '../cloud-flags.js';
import type { Deps } from '../deps.js';

export type CaRemoveOptions = MutationFlags & RemoveCertificatesOptions;

/** `tcld n ca r`: removes CA certificates (given as PEM, or by fingerprint) after a confirmation. */
export async function run(options: CaRemoveOptions, deps: Deps): Promise<MutationOutcome> {
  return removeCertificates(namespaceBundle(requireNamespace(options.namespace)), options, deps);
}
