import { apiJson } from '../../cloud/api-json.js';
import { tcldNamespace } from '../../cloud/tcld-namespace.js';
import { requireNamespace, withCloud, type NamespaceFlags } from '../cloud-flags.js';
import type { Deps } from '../deps.js';
import { API_INDENT, chooseOutput, printJson, TCLD_PROTO_INDENT, type Printable } from '../output-format.js';

/** `n g --output`: json (default), tcld's Namespace; api, the Cloud Ops API's Namespace message. */
export const NAMESPACE_GET_OUTPUTS = ['json', 'api'] as const;

export interface NamespaceGetOptions extends NamespaceFlags {
  output?: string;
}

/** `tcld n g`: the namespace, as tcld prints it (`.spec.acceptedClientCa`, `.resourceVersion`, `.state`…) or as the API returns it. */
export async function run(options: NamespaceGetOptions, deps: Deps): Promise<Printable> {
  const namespace = requireNamespace(options.namespace);
  const output = chooseOutput(options.output, NAMESPACE_GET_OUTPUTS);
  const found = await withCloud(options, deps, (client) => client.getNamespace(namespace));
  return output === 'api' ? printJson(apiJson('Namespace', found), API_INDENT) : printJson(tcldNamespace(found), TCLD_PROTO_INDENT);
}
