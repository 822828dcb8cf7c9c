/** What every Cloud Ops API command shares: connecting with tcld's global connection flags, and mutating. */
import type { CloudClient } from '../cloud/client.js';
import type { IAsyncOperation, INamespace, INamespaceSpec } from '../cloud/proto.js';
import type { MutableResource, ResourceMutationResult, SpecChange } from '../cloud/mutate.js';
import { tcldRequestStatus, type TcldRequestStatusResponse } from '../cloud/tcld-json.js';
import { InterruptedError, UsageError, UserError, errorKind } from '../errors.js';
import type { Deps } from './deps.js';

export interface ConnectionFlags {
  server?: string;
  apiKey?: string;
  insecure?: boolean;
  tlsServerName?: string;
  enableDebugLogs?: boolean;
  /** Where `tcld login` keeps its tokens (tokens.json); default $HOME/.config/tcld. */
  configDir?: string;
}

/**
 * Connects with tcld's credentials, in its order: --api-key (TEMPORAL_CLOUD_API_KEY), else the stored
 * login, read and refreshed before the first call (and only if a call is made). With neither the first
 * call fails with one line saying to run `tcld login` or pass --api-key: unlike tcld, no login starts by itself.
 */
export async function connect(flags: ConnectionFlags, deps: Deps): Promise<CloudClient> {
  const debug = flags.enableDebugLogs ? (line: string) => deps.err(`debug: ${line}`) : undefined;
  if (flags.apiKey) debug?.('authenticating with the API key');
  return deps.cloud({
    ...(flags.apiKey ? { apiKey: flags.apiKey } : { accessToken: loginToken(flags.configDir, deps, debug) }),
    ...(flags.server ? { server: flags.server } : {}),
    ...(flags.insecure ? { insecure: true } : {}),
    ...(flags.tlsServerName ? { tlsServerName: flags.tlsServerName } : {}),
    ...(debug ? { debug } : {}),
  });
}

/** The stored login's access token; the login code loads on the first call. */
function loginToken(configDir: string | undefined, deps: Deps, debug: ((line: string) => void) | undefined): () => Promise<string> {
  let source: (() => Promise<string>) | undefined;
  return async () => {
    if (!source) {
      const [{ storedLoginToken }, { configFolder }] = await Promise.all([import('../cloud/login/session.js'), import('../cloud/login/token-store.js')]);
      source = storedLoginToken(configFolder(configDir, deps.env), { files: deps.files, now: () => deps.now(), ...(debug ? { debug } : {}) });
    }
    return source();
  };
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

/**
 * What a mutation decided, for the CLI to print. `requested`: tcld's UpdateNamespaceResponse,
 * `{"requestStatus": {...}}` (the final state with --wait), and a one-line summary for stderr;
 * `unchanged`: --idempotent and nothing to change (tcld prints nothing and exits 0); `declined`:
 * the user answered no to the confirmation, and nothing was sent.
 */
export type MutationOutcome =
  | { code: 'requested'; response: TcldRequestStatusResponse; summary: string }
  | { code: 'unchanged'; reason: string }
  | { code: 'declined' };

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
  const { namespaceResource } = await import('../cloud/mutate.js');
  const subject: MutationSubject<INamespace, INamespaceSpec> = {
    resource: namespaceResource(client, flags.namespace),
    requestResource: () => ({ resourceId: flags.namespace, resourceType: 'namespace' }),
    label: () => `namespace ${flags.namespace}`,
  };
  return mutateSubject(client, subject, flags, deps, change);
}

/** The flags of a mutation of any resource: tcld's request id and resource version, --idempotent and --wait. */
export interface ResourceMutationFlags extends ConnectionFlags {
  requestId?: string;
  resourceVersion?: string;
  idempotent?: boolean;
  wait?: boolean;
}

/** A resource as a mutation's output names it, with how it is read and written. */
export interface MutationSubject<R, S> {
  resource: MutableResource<R, S>;
  /** tcld's RequestStatus names the resource: `{resourceId: 'myns.acct', resourceType: 'namespace'}`. */
  requestResource: (current: R) => { resourceId: string; resourceType: string };
  /** The summary for people starts with it: `namespace myns.acct`. */
  label: (current: R) => string;
}

/** mutate for any resource (a namespace, the account): one implementation of retries, --idempotent and --wait. */
export async function mutateSubject<R, S>(
  client: CloudClient,
  subject: MutationSubject<R, S>,
  flags: ResourceMutationFlags,
  deps: Deps,
  change: (current: R) => SpecChange<S>,
): Promise<MutationOutcome> {
  const { mutateResource } = await import('../cloud/mutate.js');
  const result: ResourceMutationResult<R> = await mutateResource(subject.resource, {
    change,
    ...(flags.resourceVersion ? { resourceVersion: flags.resourceVersion } : {}),
    ...(flags.requestId ? { requestId: flags.requestId } : {}),
    newId: () => (require('node:crypto') as typeof import('node:crypto')).randomUUID(),
    onConflict: (round) => flags.enableDebugLogs && deps.err(`debug: ${subject.resource.noun} changed meanwhile; applying the change again (round ${round + 1})`),
  });
  if (!result.changed) {
    if (flags.idempotent) return { code: 'unchanged', reason: result.reason };
    throw new UserError(`nothing to change: ${result.reason} (--idempotent accepts this)`);
  }
  const requestId = String(result.operation.id ?? '');
  let operation = result.operation;
  if (flags.wait) operation = await waitFor(client, requestId, deps);
  const requestStatus = tcldRequestStatus(operation, subject.requestResource(result.current));
  return {
    code: 'requested',
    response: { requestStatus },
    summary: `${subject.label(result.current)}: ${result.summary} (request ${requestId}, ${requestStatus.state})`,
  };
}

/** --request-id, else a random one: the same id on a retry keeps the request from running twice. */
export function requestIdOf(requestId: string | undefined): string {
  return requestId || (require('node:crypto') as typeof import('node:crypto')).randomUUID();
}

/**
 * A request the API took, as tcld prints it: the operation (its final state with --wait) as tcld's
 * RequestStatus on `resource`, and a one-line summary `<resource type> <id>: <what> (request <id>, <state>)`.
 */
export async function requested(
  client: CloudClient,
  operation: IAsyncOperation,
  flags: { wait?: boolean },
  deps: Deps,
  resource: { resourceId: string; resourceType: string },
  what: string,
): Promise<MutationOutcome> {
  const requestId = String(operation.id ?? '');
  const final = flags.wait && requestId ? await waitFor(client, requestId, deps) : operation;
  const requestStatus = tcldRequestStatus(final, resource);
  return { code: 'requested', response: { requestStatus }, summary: `${resource.resourceType} ${resource.resourceId}: ${what} (request ${requestId}, ${requestStatus.state})` };
}

const SPINNER = '⠋⠙⠹⠸⠼⠴⠦⠧⠇⠏';

/**
 * --wait: polls the operation, with a spinner on a terminal and one plain line elsewhere. Ctrl-C
 * stops the wait, not the request: the InterruptedError says how to wait for it again. Resolves the
 * operation as it ended (fulfilled; any other end is a UserError).
 */
export async function waitFor(client: CloudClient, requestId: string, deps: Deps): Promise<IAsyncOperation> {
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
  return final;
}

export function requireNamespace(namespace: string | undefined): string {
  if (!namespace) throw new UsageError('required flag --namespace not set (or set TEMPORAL_CLOUD_NAMESPACE)');
  return namespace;
}
