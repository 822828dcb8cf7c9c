/** What every Cloud Ops API command shares: connecting with tcld's global connection flags, and mutating. */
import type { CloudClient } from '../cloud/client.js';
import type { IAsyncOperation, INamespace } from '../cloud/proto.js';
import type { MutationResult, SpecChange } from '../cloud/mutate.js';
import { InterruptedError, UsageError, UserError, errorKind } from '../errors.js';
import type { Deps } from './deps.js';

export interface ConnectionFlags {
  server?: string;
  apiKey?: string;
  insecure?: boolean;
  tlsServerName?: string;
  enableDebugLogs?: boolean;
}

export async function connect(flags: ConnectionFlags, deps: Deps): Promise<CloudClient> {
  return deps.cloud({
    apiKey: flags.apiKey ?? '',
    ...(flags.server ? { server: flags.server } : {}),
    ...(flags.insecure ? { insecure: true } : {}),
    ...(flags.tlsServerName ? { tlsServerName: flags.tlsServerName } : {}),
    ...(flags.enableDebugLogs ? { debug: (line: string) => deps.err(`debug: ${line}`) } : {}),
  });
}

/** Opens a client, runs `work` with it, and always closes it. */
export async function withCloud<T>(flags: ConnectionFlags, deps: Deps, work: (client: CloudClient) => Promise<T>): Promise<T> {
  const client = await connect(flags, deps);
  try {
    return await work(client);
  } finally {
    client.close();
  }
}

export interface NamespaceFlags extends ConnectionFlags {
  namespace: string;
}

export interface MutationFlags extends NamespaceFlags {
  requestId?: string;
  resourceVersion?: string;
  idempotent?: boolean;
  wait?: boolean;
}

/** What a mutation command prints (JSON): the request to follow with `tcld request get`, or that nothing changed. */
export interface MutationOutcome {
  namespace: string;
  changed: boolean;
  summary: string;
  requestId?: string;
  state?: string;
}

/**
 * Runs a read-modify-write of the namespace spec with conflict retries, then applies --idempotent
 * (no error when nothing changes) and --wait (block until the operation ends).
 */
export async function mutate(
  client: CloudClient,
  flags: MutationFlags,
  deps: Deps,
  change: (current: INamespace) => SpecChange,
): Promise<MutationOutcome> {
  const { mutateNamespace } = await import('../cloud/mutate.js');
  const result: MutationResult = await mutateNamespace(client, {
    namespace: flags.namespace,
    change,
    ...(flags.resourceVersion ? { resourceVersion: flags.resourceVersion } : {}),
    ...(flags.requestId ? { requestId: flags.requestId } : {}),
    newId: () => (require('node:crypto') as typeof import('node:crypto')).randomUUID(),
    onConflict: (round) => flags.enableDebugLogs && deps.err(`debug: the namespace changed meanwhile; applying the change again (round ${round + 1})`),
  });
  if (!result.changed) {
    if (flags.idempotent) return { namespace: flags.namespace, changed: false, summary: `nothing to change: ${result.reason}` };
    throw new UserError(`nothing to change: ${result.reason} (--idempotent accepts this)`);
  }
  const requestId = String(result.operation.id ?? '');
  const { operationState } = await import('../cloud/wait.js');
  const outcome = { namespace: flags.namespace, changed: true, summary: result.summary, requestId, state: operationState(result.operation) };
  return flags.wait ? { ...outcome, state: await waitFor(client, requestId, deps) } : outcome;
}

const SPINNER = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏';

/**
 * --wait: polls the operation, with a spinner on a terminal and one plain line elsewhere. Ctrl-C
 * stops the wait, not the request: the InterruptedError says how to wait for it again.
 */
export async function waitFor(client: CloudClient, requestId: string, deps: Deps): Promise<string> {
  const { operationState, waitForOperation } = await import('../cloud/wait.js');
  const { DEFAULT_SERVER } = await import('../cloud/client.js');
  if (!deps.interactive) deps.err(`waiting for request ${requestId} to finish`);
  let tick = 0;
  let final: IAsyncOperation;
  try {
    final = await waitForOperation(client, requestId, {
      signal: deps.signal,
      onPoll: (operation) => deps.status(`${SPINNER[tick++ % SPINNER.length]} request ${requestId}: ${operationState(operation)}`),
    });
  } catch (error) {
    if (errorKind(error) !== 'interrupted') throw error;
    const server = client.server === DEFAULT_SERVER ? '' : ` --server ${client.server}`;
    throw new InterruptedError(`interrupted; request ${requestId} was not cancelled: to wait for it again, run tcld r g -r ${requestId} --wait${server}`);
  } finally {
    deps.status(undefined);
  }
  const state = operationState(final);
  if (state !== 'fulfilled') {
    throw new UserError(`request ${requestId} ended ${state}${final.failureReason ? `: ${final.failureReason}` : ''}`);
  }
  return state;
}

export function requireNamespace(namespace: string | undefined): string {
  if (!namespace) throw new UsageError('required flag --namespace not set (or set TEMPORAL_CLOUD_NAMESPACE)');
  return namespace;
}
