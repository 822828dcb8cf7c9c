import { apiJson } from '../../cloud/api-json.js';
import { tcldRequestStatus, type TcldRequestStatusResponse } from '../../cloud/tcld-json.js';
import { UsageError } from '../../errors.js';
import { waitFor, withCloud, type ConnectionFlags } from '../cloud-flags.js';
import type { Deps } from '../deps.js';
import { API_INDENT, printJson, TCLD_PROTO_INDENT, type Printable } from '../output-format.js';

export interface RequestGetOptions extends ConnectionFlags {
  requestId?: string;
  /** Accepted from scripts that follow tcld's README (`r g -r ID -n NS`) and ignored. */
  namespace?: string;
  wait?: boolean;
  /** json (default), tcld's GetRequestStatusResponse; api, the Cloud Ops API's AsyncOperation. */
  output?: 'json' | 'api';
}

/** `tcld r g -r <id>`: a request's status, `{"requestStatus": {...}}` as tcld prints it (with --wait: once it has ended). */
export async function run(options: RequestGetOptions, deps: Deps): Promise<Printable> {
  const id = options.requestId;
  if (!id) throw new UsageError('required flag --request-id not set');
  const output = options.output ?? 'json';
  const operation = await withCloud(options, deps, async (client) => {
    return options.wait ? waitFor(client, id, deps) : client.getAsyncOperation(id);
  });
  if (output === 'api') return printJson(apiJson('AsyncOperation', operation), API_INDENT);
  const response: TcldRequestStatusResponse = { requestStatus: tcldRequestStatus(operation) };
  return printJson(response, TCLD_PROTO_INDENT);
}
