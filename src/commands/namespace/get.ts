import { requireNamespace, withCloud, type NamespaceFlags } from '../cloud-flags.js';
import type { Deps } from '../deps.js';

/** `tcld n g`: the namespace as the API returns it (bytes as base64, enums by name, as protojson does). */
export async function run(options: NamespaceFlags, deps: Deps): Promise<Record<string, unknown>> {
  const namespace = requireNamespace(options.namespace);
  const found = await withCloud(options, deps, (client) => client.getNamespace(namespace));
  const { proto } = await import('../../cloud/proto.js');
  const type = proto().temporal.api.cloud.namespace.v1.Namespace;
  return type.toObject(type.fromObject(found), { bytes: String, enums: String, longs: String, json: true });
}
