import { UserError } from '../../errors.js';
import { requested, requestIdOf, requireNamespace, withCloud, type MutationOutcome, type NamespaceFlags } from '../cloud-flags.js';
import type { Deps } from '../deps.js';

export interface NamespaceDeleteOptions extends NamespaceFlags {
  requestId?: string;
  resourceVersion?: string;
  wait?: boolean;
}

/**
 * `tcld n d`: deletes a namespace after tcld's confirmation. Unlike tcld, which asks first, the
 * namespace is read before the question, so that a namespace that does not exist, or that delete
 * protection keeps, is refused without asking about it.
 */
export async function run(options: NamespaceDeleteOptions, deps: Deps): Promise<MutationOutcome> {
  const namespace = requireNamespace(options.namespace);
  return withCloud(options, deps, async (client) => {
    const current = await client.getNamespace(namespace);
    if (current.spec?.lifecycle?.enableDeleteProtection) {
      throw new UserError(`namespace ${namespace} has delete protection enabled: turn it off first with tcld namespace lifecycle set -n ${namespace} --enable-delete-protection false`);
    }
    const question = `Deleting a namespace will remove it completely and is not reversible.\nDo you still want to delete namespace "${namespace}"?`;
    if (!(await deps.confirm(question))) return { code: 'declined' };
    const operation = await client.deleteNamespace({
      namespace,
      resourceVersion: options.resourceVersion || String(current.resourceVersion ?? ''),
      asyncOperationId: requestIdOf(options.requestId),
    });
    return requested(client, operation, options, deps, { resourceId: namespace, resourceType: 'namespace' }, 'deleted');
  });
}
