/**
 * A namespace mutation as the Cloud Ops API wants it: read the namespace, apply a change to its spec,
 * send the whole spec back guarded by resource_version. When another writer got there first and the
 * user did not pin a version, read again, apply the same change again, and retry, so that concurrent
 * changes by different people all survive.
 *
 * Conflicts are retried for a time budget, not a number of rounds: on a busy machine with many writers
 * a round can lose many times in a row, and what the user cares about is how long tcld keeps trying.
 */
import { UserError } from '../errors.js';
import type { CloudClient } from './client.js';
import { CloudError } from './errors.js';
import type { IAsyncOperation, INamespace, INamespaceSpec } from './proto.js';

/** What a change decided for the namespace it was shown. */
export type SpecChange = { spec: INamespaceSpec; summary: string } | { unchanged: string };

/** How conflicts are retried: jittered exponential backoff ("full jitter") within a time budget. */
export interface ConflictRetryOptions {
  /** Keep retrying until this long after the first read. Default 30 000 ms. */
  budgetMs?: number;
  /** The first backoff's ceiling; it doubles each round. Default 20 ms. */
  firstDelayMs?: number;
  /** The ceiling's cap. Default 1 000 ms. */
  maxDelayMs?: number;
}

/** Time and chance as the retry loop sees them; tests pass a fake clock whose sleep only moves it on. */
export interface RetryClock {
  /** Milliseconds from any fixed point. */
  now(): number;
  sleep(ms: number): Promise<void>;
  /** Uniform in [0, 1). */
  random(): number;
}

export const realClock: RetryClock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((settle) => setTimeout(settle, ms)),
  random: Math.random,
};

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
  /** How long and how often to retry conflicts. */
  retry?: ConflictRetryOptions;
  /** Default: the real clock, setTimeout and Math.random. */
  clock?: RetryClock;
  /** Called before each retry after a conflict (for --enable-debug-logs). */
  onConflict?: (round: number) => void;
}

export type MutationResult =
  | { changed: true; operation: IAsyncOperation; summary: string; namespace: INamespace }
  | { changed: false; reason: string; namespace: INamespace };

/** The pause after the `round`th conflict: uniform in [0, min(max, first·2^(round-1))]. */
export function conflictBackoffMs(round: number, random: number, retry: ConflictRetryOptions = {}): number {
  const ceiling = Math.min(retry.maxDelayMs ?? 1_000, (retry.firstDelayMs ?? 20) * 2 ** Math.min(round - 1, 30));
  return Math.round(random * ceiling);
}

export async function mutateNamespace(client: CloudClient, options: MutateNamespaceOptions): Promise<MutationResult> {
  const clock = options.clock ?? realClock;
  const budgetMs = options.retry?.budgetMs ?? 30_000;
  const started = clock.now();
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
      if (!(thrown instanceof CloudError)) throw thrown;
      const error = thrown;
      if (error.isNothingToChange) return { changed: false, reason: error.details, namespace: current };
      if (!error.isConflict) throw error;
      if (options.resourceVersion !== undefined) {
        throw new UserError(
          `resource version ${options.resourceVersion} is stale: the namespace is now at ${current.resourceVersion ?? '?'} or later; read it again (tcld n g) or leave out --resource-version`,
        );
      }
      const elapsed = clock.now() - started;
      if (elapsed >= budgetMs) {
        const rounds = `${round} round${round === 1 ? '' : 's'}`;
        throw new UserError(`the namespace kept changing under this update: gave up after ${(elapsed / 1000).toFixed(1)} s and ${rounds}; try again`);
      }
      options.onConflict?.(round);
      await clock.sleep(Math.min(conflictBackoffMs(round, clock.random(), options.retry), budgetMs - elapsed));
    }
  }
}
