import { apiJson } from '../../cloud/api-json.js';
import { tcldAccount } from '../../cloud/tcld-account.js';
import { accountBundle } from '../accepted-ca/target.js';
import { withCloud, type ConnectionFlags } from '../cloud-flags.js';
import type { Deps } from '../deps.js';
import { API_INDENT, printJson, TCLD_PROTO_INDENT, type Printable } from '../output-format.js';

export interface AccountGetOptions extends ConnectionFlags {
  /** json (default), tcld's Account; table, a summary; api, the Cloud Ops API's Account message. */
  output?: 'json' | 'table' | 'api';
}

/**
 * `tcld a g`: the account, as tcld prints it (`.metrics.uri`, `.spec.metrics.acceptedClientCa`,
 * `.resourceVersion`…), as the API returns it, or as one summary row: its ID, state, metrics endpoint
 * and metrics CAs (how many, and when the first expires).
 */
export async function run(options: AccountGetOptions, deps: Deps): Promise<Printable> {
  const account = await withCloud(options, deps, (client) => client.getAccount());
  const output = options.output ?? 'json';
  if (output === 'api') return printJson(apiJson('Account', account), API_INDENT);
  const printed = tcldAccount(account);
  if (output === 'json') return printJson(printed, TCLD_PROTO_INDENT);
  const cas = accountBundle(account);
  const firstExpiry = cas.length === 0 ? '-' : new Date(Math.min(...cas.map((ca) => ca.notAfter.getTime()))).toISOString().replace('.000Z', 'Z');
  const endpoint = printed.metrics?.uri ?? (cas.length === 0 ? 'off (no metrics CA)' : 'on (no URI reported)');
  return {
    format: 'table',
    header: ['ACCOUNT', 'STATE', 'METRICS ENDPOINT', 'METRICS CAS', 'FIRST CA EXPIRY'],
    rows: [[printed.id, printed.state, endpoint, String(cas.length), firstExpiry]],
  };
}
