import { setCertificates, type SetCertificatesOptions } from '../accepted-ca/set.js';
import { accountMetricsBundle } from '../accepted-ca/target.js';
import type { MutationOutcome } from '../cloud-flags.js';
import type { Deps } from '../deps.js';

/** `tcld a m ca s`: replaces the account metrics endpoint's whole accepted bundle. */
export async function run(options: SetCertificatesOptions, deps: Deps): Promise<MutationOutcome> {
  return setCertificates(accountMetricsBundle, options, deps);
}
