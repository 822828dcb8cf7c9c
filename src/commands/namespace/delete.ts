import { tcldRequestStatus } from '../../cloud/tcld-json.js';
import { UserError } from '../../errors.js';
import { requireNamespace, waitFor, withCloud, type MutationOutcome, type NamespaceFlags } from '../cloud-flags.js';
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
    const requestId = options.requestId || (require('node:crypto') as typeof import('node:crypto')).randomUUID();
    let operation = await client.deleteNamespace({
      namespace,
      resourceVersion: options.resourceVersion || String(current.resourceVersion ?? ''),
      asyncOperationId: requestId,
    });
    const operationId = String(operation.id ?? requestId);
    if (options.wait) operation = await waitFor(client, operationId, deps);
    const requestStatus = tcldRequestStatus(operation, { resourceId: namespace, resourceType: 'namespace' });
    return { code: 'requested', response: { requestStatus }, summary: `namespace ${namespace}: deleted (request ${operationId}, ${requestStatus.state})` };
  });
}
