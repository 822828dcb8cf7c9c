import { apiJson } from '../../cloud/api-json.js';
import { tcldNamespace } from '../../cloud/tcld-namespace.js';
import { requireNamespace, withCloud, type NamespaceFlags } from '../cloud-flags.js';
import type { Deps } from '../deps.js';
import { API_INDENT, printJson, TCLD_PROTO_INDENT, type Printable } from '../output-format.js';

export interface NamespaceGetOptions extends NamespaceFlags {
  /** json (default), tcld's Namespace; api, the Cloud Ops API's Namespace message. */
  output?: 'json' | 'api';
}

/** `tcld n g`: the namespace, as tcld prints it (`.spec.acceptedClientCa`, `.resourceVersion`, `.state`…) or as the API returns it. */
export async function run(options: NamespaceGetOptions, deps: Deps): Promise<Printable> {
  const namespace = requireNamespace(options.namespace);
  const output = options.output ?? 'json';
  const found = await withCloud(options, deps, (client) => client.getNamespace(namespace));
  return output === 'api' ? printJson(apiJson('Namespace', found), API_INDENT) : printJson(tcldNamespace(found), TCLD_PROTO_INDENT);
}
