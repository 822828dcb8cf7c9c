import { listCertificates, type ListCertificatesOptions } from '../accepted-ca/list.js';
import { accountMetricsBundle } from '../accepted-ca/target.js';
import type { Deps } from '../deps.js';
import type { Printable } from '../output-format.js';

/** `tcld a m ca l`: the account metrics endpoint's accepted CA certificates, with warnings for those near or past expiry. */
export async function run(options: ListCertificatesOptions, deps: Deps): Promise<Printable> {
  return listCertificates(accountMetricsBundle, options, deps);
}
