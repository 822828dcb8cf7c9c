import { addCertificates, type AddCertificatesOptions } from '../accepted-ca/add.js';
import { accountMetricsBundle } from '../accepted-ca/target.js';
import type { MutationOutcome } from '../cloud-flags.js';
import type { Deps } from '../deps.js';

/** `tcld a m ca a`: adds CA certificates to the account metrics endpoint's accepted bundle (the first one turns the endpoint on). */
export async function run(options: AddCertificatesOptions, deps: Deps): Promise<MutationOutcome> {
  return addCertificates(accountMetricsBundle, options, deps);
}
