import { requested, requestIdOf, withCloud, type MutationOutcome } from '../cloud-flags.js';
import type { Deps } from '../deps.js';
import type { ApiKeyMutationFlags } from './shared.js';

export type ApiKeyDeleteOptions = ApiKeyMutationFlags;

/** `tcld apikey delete -i <id>`: at --resource-version, else the key's current one (read first, as tcld). */
export async function run(options: ApiKeyDeleteOptions, deps: Deps): Promise<MutationOutcome> {
  return withCloud(options, deps, async (client) => {
    const resourceVersion = options.resourceVersion || String((await client.getApiKey(options.id)).resourceVersion ?? '');
    const operation = await client.deleteApiKey({ keyId: options.id, resourceVersion, asyncOperationId: requestIdOf(options.requestId) });
    return requested(client, operation, options, deps, { resourceId: options.id, resourceType: 'apikey' }, 'delete requested');
  });
}
