import { UsageError } from '../../errors.js';
import { waitFor, withCloud, type ConnectionFlags } from '../cloud-flags.js';
import type { Deps } from '../deps.js';

export interface RequestGetOptions extends ConnectionFlags {
  requestId?: string;
  wait?: boolean;
}

/** `tcld r g -r <id>`: an async operation's state (with --wait: once it has ended). */
export async function run(options: RequestGetOptions, deps: Deps): Promise<Record<string, unknown>> {
  const id = options.requestId;
  if (!id) throw new UsageError('required flag --request-id not set');
  return withCloud(options, deps, async (client) => {
    if (options.wait) await waitFor(client, id, deps);
    const operation = await client.getAsyncOperation(id);
    const { proto } = await import('../../cloud/proto.js');
    const { operationState } = await import('../../cloud/wait.js');
    const type = proto().temporal.api.cloud.operation.v1.AsyncOperation;
    const json = type.toObject(type.fromObject(operation), { enums: String, longs: String, json: true });
    return { ...json, requestId: id, state: operationState(operation) };
  });
}
