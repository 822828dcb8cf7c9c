/** `disable` and `enable`: one read-modify-write of the key's spec, refused when it is already so (as tcld). */
import { UserError } from '../../errors.js';
import { requested, requestIdOf, withCloud, type MutationOutcome } from '../cloud-flags.js';
import type { Deps } from '../deps.js';
import type { ApiKeyMutationFlags } from './shared.js';

export async function setDisabled(options: ApiKeyMutationFlags, deps: Deps, disabled: boolean): Promise<MutationOutcome> {
  const word = disabled ? 'disabled' : 'enabled';
  return withCloud(options, deps, async (client) => {
    const key = await client.getApiKey(options.id);
    if ((key.spec?.disabled === true) === disabled) {
      // tcld's words; --idempotent makes it a success with nothing sent.
      if (options.idempotent) return { code: 'unchanged', reason: `apikey ${options.id} is already ${word}` };
      throw new UserError(`apikey is already ${word}`);
    }
    const operation = await client.updateApiKey({
      keyId: options.id,
      spec: { ...key.spec, disabled },
      resourceVersion: options.resourceVersion || String(key.resourceVersion ?? ''),
      asyncOperationId: requestIdOf(options.requestId),
    });
    return requested(client, operation, options, deps, { resourceId: options.id, resourceType: 'apikey' }, `${disabled ? 'disable' : 'enable'} requested`);
  });
}
