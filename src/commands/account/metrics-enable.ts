import { UserError } from '../../errors.js';
import { accountBundle } from '../accepted-ca/target.js';
import { withCloud, type ConnectionFlags, type MutationOutcome } from '../cloud-flags.js';
import type { Deps } from '../deps.js';

/**
 * `tcld a m enable`. The Cloud Ops API has no switch for the metrics endpoint (tcld's internal API has
 * `spec.metrics.enabled`): it is on exactly while the account's metrics bundle holds a CA. So, as tcld,
 * enabling is refused until the bundle has a CA; once it has one the endpoint is already on, which is
 * said, and nothing is sent (exit 0: the usual `ca add`, then `enable` succeeds).
 */
export async function run(options: ConnectionFlags, deps: Deps): Promise<MutationOutcome> {
  const account = await withCloud(options, deps, (client) => client.getAccount());
  const cas = accountBundle(account).length;
  if (cas === 0) {
    throw new UserError(
      'metrics endpoint cannot be enabled until ca certificates have been configured: add one with tcld account metrics accepted-client-ca add --ca-certificate-file <ca.pem>',
    );
  }
  const where = account.metrics?.uri ? ` at ${account.metrics.uri}` : '';
  return { code: 'unchanged', reason: `the metrics endpoint is already enabled${where}: it is on while the account has a metrics CA (it has ${cas})` };
}
