/**
 * A mutation as the Cloud Ops API wants it: read the resource (a namespace, the account), apply a
 * change to its spec, send the whole spec back guarded by resource_version. When another writer got
 * there first and the user did not pin a version, read again, apply the same change again, and retry,
 * so that concurrent changes by different people all survive. One loop for every resource: each
 * supplies only how it is read and written (MutableResource).
 *
 * Conflicts are retried for a time budget, not a number of rounds: on a busy machine with many writers
 * a round can lose many times in a row, and what the user cares about is how long tcld keeps trying.
 */
import { UserError } from '../errors.js';
import type { CloudClient } from './client.js';
import { CloudError } from './errors.js';
import type { IAccount, IAccountSpec, IAsyncOperation, INamespace, INamespaceSpec } from './proto.js';

/** What a change decided for the resource it was shown: a new spec (of type S), or why nothing changes. */
export type SpecChange<S = INamespaceSpec> = { spec: S; summary: string } | { unchanged: string };

/** How one kind of resource (R, with a spec of type S) is read and written; mutateResource does the rest. */
export interface MutableResource<R, S> {
  /** For messages: `the namespace`, `the account`. */
  noun: string;
  /** The command that reads it again, named when a pinned resource version is stale: `tcld n g`. */
  readCommand: string;
  read(): Promise<R>;
  resourceVersion(current: R): string;
  write(request: { spec: S; resourceVersion: string; asyncOperationId: string }): Promise<IAsyncOperation>;
}

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

export interface MutateOptions<R, S> {
  /** Computes the new spec from the current resource; may throw a UserError to refuse. */
  change: (current: R) => SpecChange<S>;
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

export interface MutateNamespaceOptions extends MutateOptions<INamespace, INamespaceSpec> {
  namespace: string;
}

export type ResourceMutationResult<R> =
  | { changed: true; operation: IAsyncOperation; summary: string; current: R }
  | { changed: false; reason: string; current: R };

export type MutationResult =
  | { changed: true; operation: IAsyncOperation; summary: string; namespace: INamespace }
  | { changed: false; reason: string; namespace: INamespace };

/** The pause after the `round`th conflict: uniform in [0, min(max, first·2^(round-1))]. */
export function conflictBackoffMs(round: number, random: number, retry: ConflictRetryOptions = {}): number {
  const ceiling = Math.min(retry.maxDelayMs ?? 1_000, (retry.firstDelayMs ?? 20) * 2 ** Math.min(round - 1, 30));
  return Math.round(random * ceiling);
}

/** mutateResource for a namespace. */
export async function mutateNamespace(client: CloudClient, options: MutateNamespaceOptions): Promise<MutationResult> {
  const result = await mutateResource(namespaceResource(client, options.namespace), options);
  return { ...result, namespace: result.current };
}

/** A namespace as mutateResource reads and writes it. */
export function namespaceResource(client: CloudClient, namespace: string): MutableResource<INamespace, INamespaceSpec> {
  return {
    noun: 'the namespace',
    readCommand: 'tcld n g',
    read: () => client.getNamespace(namespace),
    resourceVersion: (current) => String(current.resourceVersion ?? ''),
    write: (request) => client.updateNamespace({ namespace, ...request }),
  };
}

/** The account (its metrics endpoint's CA bundle is its spec) as mutateResource reads and writes it. */
export function accountResource(client: CloudClient): MutableResource<IAccount, IAccountSpec> {
  return {
    noun: 'the account',
    readCommand: 'tcld account get',
    read: () => client.getAccount(),
    resourceVersion: (current) => String(current.resourceVersion ?? ''),
    write: (request) => client.updateAccount(request),
  };
}

export async function mutateResource<R, S>(resource: MutableResource<R, S>, options: MutateOptions<R, S>): Promise<ResourceMutationResult<R>> {
  const clock = options.clock ?? realClock;
  const budgetMs = options.retry?.budgetMs ?? 30_000;
  const started = clock.now();
  for (let round = 1; ; round++) {
    const current = await resource.read();
    const decided = options.change(current);
    if ('unchanged' in decided) return { changed: false, reason: decided.unchanged, current };
    try {
      const operation = await resource.write({
        spec: decided.spec,
        resourceVersion: options.resourceVersion ?? resource.resourceVersion(current),
        asyncOperationId: options.requestId ?? options.newId(),
      });
      return { changed: true, operation, summary: decided.summary, current };
    } catch (thrown) {
      if (!(thrown instanceof CloudError)) throw thrown;
      const error = thrown;
      if (error.isNothingToChange) return { changed: false, reason: error.details, current };
      if (!error.isConflict) throw error;
      if (options.resourceVersion !== undefined) {
        throw new UserError(
          `resource version ${options.resourceVersion} is stale: ${resource.noun} is now at ${resource.resourceVersion(current) || '?'} or later; read it again (${resource.readCommand}) or leave out --resource-version`,
        );
      }
      const elapsed = clock.now() - started;
      if (elapsed >= budgetMs) {
        const rounds = `${round} round${round === 1 ? '' : 's'}`;
        throw new UserError(`${resource.noun} kept changing under this update: gave up after ${(elapsed / 1000).toFixed(1)} s and ${rounds}; try again`);
      }
      options.onConflict?.(round);
      await clock.sleep(Math.min(conflictBackoffMs(round, clock.random(), options.retry), budgetMs - elapsed));
    }
  }
}
