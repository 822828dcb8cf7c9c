/** What the apikey mutations share: the request id, --wait, and tcld's `{"requestStatus": {...}}`. */
import type { CloudClient } from '../../cloud/client.js';
import type { IAsyncOperation } from '../../cloud/proto.js';
import { tcldRequestStatus } from '../../cloud/tcld-json.js';
import { waitFor, type ConnectionFlags, type MutationOutcome } from '../cloud-flags.js';
import type { Deps } from '../deps.js';

export interface ApiKeyMutationFlags extends ConnectionFlags {
  id: string;
  resourceVersion?: string;
  requestId?: string;
  wait?: boolean;
  idempotent?: boolean;
}

/** --request-id, else a random one: the same id on a retry keeps the request from running twice. */
export function requestIdOf(requestId: string | undefined): string {
  return requestId || (require('node:crypto') as typeof import('node:crypto')).randomUUID();
}

/** tcld's RequestStatus for an operation on a key, after waiting for it to end with --wait. */
export async function requested(
  client: CloudClient,
  operation: IAsyncOperation,
  flags: { wait?: boolean },
  deps: Deps,
  keyId: string,
  summary: string,
): Promise<MutationOutcome> {
  const requestId = String(operation.id ?? '');
  const final = flags.wait && requestId ? await waitFor(client, requestId, deps) : operation;
  const requestStatus = tcldRequestStatus(final, { resourceId: keyId, resourceType: 'apikey' });
  return { code: 'requested', response: { requestStatus }, summary: `apikey ${keyId}: ${summary} (request ${requestId}, ${requestStatus.state})` };
}
