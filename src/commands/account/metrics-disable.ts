import { removeCertificates } from '../accepted-ca/remove.js';
import { accountMetricsBundle } from '../accepted-ca/target.js';
import type { MutationOutcome, ResourceMutationFlags } from '../cloud-flags.js';
import type { Deps } from '../deps.js';

export type MetricsDisableOptions = ResourceMutationFlags;

/**
 * `tcld a m disable`. The Cloud Ops API turns the metrics endpoint off only by emptying its CA bundle,
 * so this is `accepted-client-ca remove --all`, asked first (--auto_confirm skips the question):
 * adding a CA again turns it back on. An account with no metrics CA has nothing to disable.
 */
export async function run(options: MetricsDisableOptions, deps: Deps): Promise<MutationOutcome> {
  return removeCertificates(accountMetricsBundle, { ...options, all: true }, deps);
}
