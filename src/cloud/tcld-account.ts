/**
 * A Cloud Ops API Account as Go tcld prints it (`tcld account get`: its internal api.account.v1.Account
 * through gogo jsonpb with EmitDefaults), so that scripts reading `.spec.metrics.acceptedClientCa`,
 * `.metrics.uri`, `.resourceVersion` or `.state` work unchanged; fields in tcld's order, with `id`
 * (the public API's account ID, which tcld's message lacks) first. What the Cloud Ops API does not
 * carry prints as tcld's empty value. tcld's `spec.metrics.enabled` has no field in the public API: the
 * endpoint is on exactly while the bundle holds a CA, so it is printed as that.
 */
import type { IAccount } from './proto.js';
import { resourceState } from './tcld-namespace.js';

export interface TcldAccount {
  id: string;
  resourceVersion: string;
  spec: { metrics: { enabled: boolean; acceptedClientCa: string }; outputSinks: Record<string, never> };
  /** Active, Updating… as for a namespace. */
  state: string;
  requestId: string;
  createdTime: null;
  lastModifiedTime: null;
  metrics: { uri: string } | null;
  awsExternalId: string;
  outputSinks: Record<string, never>;
  gcpSinkSettings: null;
  cloudProvidersAvailable: never[];
}

export function tcldAccount(account: IAccount): TcldAccount {
  const pem = account.spec?.metrics?.acceptedClientCa;
  const bundle = pem && pem.length > 0 ? Buffer.from(pem) : Buffer.alloc(0);
  return {
    id: String(account.id ?? ''),
    resourceVersion: String(account.resourceVersion ?? ''),
    // Base64 of the bundle's PEM, as tcld's API holds it (and as `tcld n g` prints a namespace's).
    spec: { metrics: { enabled: bundle.length > 0, acceptedClientCa: bundle.toString('base64') }, outputSinks: {} },
    state: resourceState(account),
    requestId: String(account.asyncOperationId ?? ''),
    createdTime: null,
    lastModifiedTime: null,
    metrics: account.metrics?.uri ? { uri: String(account.metrics.uri) } : null,
    awsExternalId: '',
    outputSinks: {},
    gcpSinkSettings: null,
    cloudProvidersAvailable: [],
  };
}
