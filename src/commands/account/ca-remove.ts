import { removeCertificates, type RemoveCertificatesOptions } from '../accepted-ca/remove.js';
import { accountMetricsBundle } from '../accepted-ca/target.js';
import type { MutationOutcome } from '../cloud-flags.js';
import type { Deps } from '../deps.js';

/** `tcld a m ca r`: removes CA certificates from the account metrics endpoint's bundle after a confirmation (the last one turns the endpoint off). */
export async function run(options: RemoveCertificatesOptions, deps: Deps): Promise<MutationOutcome> {
  return removeCertificates(accountMetricsBundle, options, deps);
}
