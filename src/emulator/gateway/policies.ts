/**
 * Each namespace's admission policy (its auth method, and for mTLS its accepted CA bundle and
 * certificate filters, prepared for admitClient), read from the store once per resource version and
 * forgotten as soon as the store says the namespace changed: a handshake with a fresh entry costs no query.
 */
import { admits, authMethodOf, type AuthMethod } from '../../cloud/auth-method.js';
import type { INamespaceSpec } from '../../cloud/proto.js';
import { errorKind } from '../../errors.js';
import { parseBundleOnce } from '../certificate-memo.js';
import { decodeStoredSpec } from '../namespace-view.js';
import type { Store } from '../store.js';
import { preparePolicy, type PreparedPolicy } from '../../pki/admission.js';
import { canonicalFilter, type CertificateFilter } from '../../pki/filters.js';

/** How a namespace judges client certificates: it does not (with why), or by these rules. */
export type MtlsPolicy =
  | { kind: 'closed'; reason: string; code: 'mtls-disabled' | 'no-accepted-ca' | 'unusable-bundle' }
  | { kind: 'open'; prepared: PreparedPolicy; cas: string[] };

/** What the gateway knows of a namespace: none such, or its auth method with its certificate rules and whether API keys are taken. */
export type NamespacePolicy =
  | { kind: 'unknown' }
  | { kind: 'known'; resourceVersion: string; authMethod: AuthMethod; mtls: MtlsPolicy; apiKey: boolean };

export interface PolicyCache {
  policyOf(namespaceId: string): NamespacePolicy;
  /** Whether a namespace exists; answered from the cache when it can be. */
  exists(namespaceId: string): boolean;
  /** Stops listening to the store. */
  close(): void;
}

export function createPolicyCache(store: Store): PolicyCache {
  const cache = new Map<string, Extract<NamespacePolicy, { kind: 'known' }>>();
  const unsubscribe = store.onNamespaceChange((id) => cache.delete(id));

  function policyOf(namespaceId: string): NamespacePolicy {
    const cached = cache.get(namespaceId);
    if (cached) return cached;
    const row = store.namespace(namespaceId);
    if (!row) return { kind: 'unknown' }; // not cached: any name can be asked for, and a namespace may be created
    const decoded = decodeStoredSpec(row);
    // A damaged row refuses its own clients with a reason; it takes nothing else down.
    const policy: Extract<NamespacePolicy, { kind: 'known' }> = decoded.ok
      ? {
          kind: 'known',
          resourceVersion: row.resourceVersion,
          authMethod: authMethodOf(decoded.spec),
          mtls: mtlsPolicyOf(namespaceId, decoded.spec),
          apiKey: admits(authMethodOf(decoded.spec)).apiKey,
        }
      : {
          kind: 'known',
          resourceVersion: row.resourceVersion,
          authMethod: 'restricted',
          mtls: { kind: 'closed', reason: `namespace ${namespaceId} cannot be read: ${decoded.reason}`, code: 'unusable-bundle' },
          apiKey: false,
        };
    cache.set(namespaceId, policy);
    return policy;
  }

  return {
    policyOf,
    exists: (namespaceId) => cache.has(namespaceId) || store.resourceVersion(namespaceId) !== undefined,
    close: unsubscribe,
  };
}

function mtlsPolicyOf(id: string, spec: INamespaceSpec): MtlsPolicy {
  const mtls = spec.mtlsAuth;
  if (!mtls?.enabled) {
    return { kind: 'closed', reason: `mTLS is not enabled on namespace ${id} (spec.mtls_auth.enabled is false)`, code: 'mtls-disabled' };
  }
  // protobufjs leaves an unset bytes field as an empty array, not a Uint8Array.
  const pem = mtls.acceptedClientCa && mtls.acceptedClientCa.length > 0 ? Uint8Array.from(mtls.acceptedClientCa) : undefined;
  if (!pem) {
    return { kind: 'closed', reason: `namespace ${id} accepts no client CA yet (add one: tcld namespace accepted-client-ca add)`, code: 'no-accepted-ca' };
  }
  const opened = openBundle(pem, (mtls.certificateFilters ?? []).map(canonicalFilter));
  if (opened.kind === 'unusable') {
    return { kind: 'closed', reason: `the accepted client CA bundle of namespace ${id} is unusable: ${opened.message}`, code: 'unusable-bundle' };
  }
  if (opened.kind === 'empty') {
    return { kind: 'closed', reason: `namespace ${id} accepts no client CA yet (add one: tcld namespace accepted-client-ca add)`, code: 'no-accepted-ca' };
  }
  return opened;
}

/**
 * A stored bundle (PEM) and filters as what admits clients: admission's prepared policy and the CAs
 * OpenSSL trusts; or why nothing can be admitted. Shared by the namespaces' gateway and the account
 * metrics endpoint.
 */
export function openBundle(
  pem: Uint8Array,
  filters: CertificateFilter[],
): { kind: 'open'; prepared: PreparedPolicy; cas: string[] } | { kind: 'empty' } | { kind: 'unusable'; message: string } {
  let bundle;
  try {
    bundle = parseBundleOnce(pem);
  } catch (error) {
    // The API refuses such bundles, so only a database written by something else gets here.
    if (errorKind(error) === undefined) throw error;
    return { kind: 'unusable', message: (error as Error).message };
  }
  if (bundle.length === 0) return { kind: 'empty' };
  return { kind: 'open', prepared: preparePolicy({ bundle, filters }), cas: bundle.map((ca) => ca.x509.toString()) };
}
