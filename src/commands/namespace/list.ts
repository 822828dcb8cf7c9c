import { withCloud, type ConnectionFlags } from '../cloud-flags.js';
import type { Deps } from '../deps.js';

/** `tcld n l`: the namespaces the API key can see, as tcld prints them. */
export async function run(options: ConnectionFlags, deps: Deps): Promise<{ namespaces: string[] }> {
  const namespaces = await withCloud(options, deps, (client) => client.getNamespaces());
  return { namespaces: namespaces.map((n) => String(n.namespace)) };
}
