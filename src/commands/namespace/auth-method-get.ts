import { authMethodOf } from '../../cloud/auth-method.js';
import { requireNamespace, withCloud, type NamespaceFlags } from '../cloud-flags.js';
import type { Deps } from '../deps.js';

/** `tcld n am get`: the namespace's auth method, one word as tcld prints it (`mtls`, `api_key`, `api_key_or_mtls`, `restricted`). */
export async function run(options: NamespaceFlags, deps: Deps): Promise<string> {
  const namespace = requireNamespace(options.namespace);
  const found = await withCloud(options, deps, (client) => client.getNamespace(namespace));
  return authMethodOf(found.spec);
}
