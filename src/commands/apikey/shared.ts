/** The flags every apikey mutation takes. */
import type { ConnectionFlags } from '../cloud-flags.js';

export interface ApiKeyMutationFlags extends ConnectionFlags {
  id: string;
  resourceVersion?: string;
  requestId?: string;
  wait?: boolean;
  idempotent?: boolean;
}
