/**
 * A namespace mutation as the Cloud Ops API wants it: read the namespace, apply a change to its spec,
 * send the whole spec back guarded by resource_version. When another writer got there first and the
 * user did not pin a version, read again, apply the same change again, and retry, so that concurrent
 * changes by different people all survive.
 */
import { UserError } from '../errors.js';
import type { CloudClient } from './client.js';
import { asCloudError } from './errors.js';
import type { IAsyncOperation, INamespace, INamespaceSpec } from './proto.js';

/** What a change decided for the namespace it was shown. */
export type SpecChange = { spec: INamespaceSpec; summary: string } | { unchanged: string };

export interface MutateNamespaceOptions {
  namespace: string;
  /** Computes the new spec from the current namespace; may throw a UserError to refuse. */
  change: (current: INamespace) => SpecChange;
  /** The user's --resource-version: sent as is, and a conflict is then the user's to resolve. */
  resourceVersion?: string;
  /** The user's --request-id, used as async_operation_id; otherwise a fresh random id per attempt. */
  requestId?: string;
  /** Random ids for async operations. */
  newId: () => string;
  /** How many read-modify-write rounds before giving up on conflicts. Default 8. */
  maxRounds?: number;
  /** Called before each retry after a conflict (for --enable-debug-logs). */
  onConflict?: (round: number) => void;
}

export type MutationResult =
  | { changed: true; operation: IAsyncOperation; summary: string; namespace: INamespace }
  | { changed: false; reason: string; namespace: INamespace };

export async function mutateNamespace(client: CloudClient, options: MutateNamespaceOptions): Promise<MutationResult> {
  const maxRounds = options.maxRounds ?? 8;
  for (let round = 1; ; round++) {
    const current = await client.getNamespace(options.namespace);
    const decided = options.change(current);
    if ('unchanged' in decided) return { changed: false, reason: decided.unchanged, namespace: current };
    try {
      const operation = await client.updateNamespace({
        namespace: options.namespace,
        spec: decided.spec,
        resourceVersion: options.resourceVersion ?? String(current.resourceVersion ?? ''),
        asyncOperationId: options.requestId ?? options.newId(),
      });
      return { changed: true, operation, summary: decided.summary, namespace: current };
    } catch (thrown) {
      const error = asCloudError(thrown);
      if (!error) throw thrown;
      if (error.isNothingToChange) return { changed: false, reason: error.details, namespace: current };
      if (!error.isConflict) throw error;
      if (options.resourceVersion !== undefined) {
        throw new UserError(
          `resource version ${options.resourceVersion} is stale: the namespace is now at ${current.resourceVersion ?? '?'} or later; read it again (tcld n g) or leave out --resource-version`,
        );
      }
      if (round >= maxRounds) {
        throw new UserError(`the namespace kept changing under this update (${maxRounds} tries); try again`);
      }
      options.onConflict?.(round);
      await new Promise((settle) => setTimeout(settle, Math.round(Math.random() * 50 * round)));
    }
  }
}
