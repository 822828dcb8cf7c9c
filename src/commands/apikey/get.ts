import { tcldApiKey } from '../../cloud/tcld-apikey.js';
import { withCloud, type ConnectionFlags } from '../cloud-flags.js';
import type { Deps } from '../deps.js';
import { printJson, TCLD_PROTO_INDENT, type Printable } from '../output-format.js';

export interface ApiKeyGetOptions extends ConnectionFlags {
  id: string;
}

/** `tcld apikey get -i <id>`: the key as tcld prints it (no secret: the API never returns one after create). */
export async function run(options: ApiKeyGetOptions, deps: Deps): Promise<Printable> {
  const key = await withCloud(options, deps, (client) => client.getApiKey(options.id));
  return printJson(tcldApiKey(key), TCLD_PROTO_INDENT);
}
