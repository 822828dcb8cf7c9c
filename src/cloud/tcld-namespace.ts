/**
 * A Cloud Ops API Namespace as Go tcld prints it (`tcld n g`: its internal api.namespace.v1.Namespace
 * through gogo jsonpb with EmitDefaults), so that scripts reading `.spec.acceptedClientCa`,
 * `.spec.certificateFilters`, `.resourceVersion` or `.state` work unchanged. Fields in tcld's order;
 * what the Cloud Ops API does not carry prints as tcld's empty value ([], {}, null, "").
 */
import { canonicalFilter, filterSpecOf } from '../pki/filters.js';
import type { INamespace } from './proto.js';
import { rfc3339 } from './tcld-json.js';

export interface TcldCertificateFilter {
  commonName: string;
  organization: string;
  organizationalUnit: string;
  subjectAlternativeName: string;
}

export interface TcldRegionId {
  name: string;
  /** CloudProviderAws, CloudProviderGcp or CloudProviderUnspecified. */
  provider: string;
}

export interface TcldNamespaceSpec {
  /** Base64 of the accepted CA bundle (PEM), as tcld's API holds it. */
  acceptedClientCa: string;
  retentionDays: number;
  searchAttributes: Record<string, string>;
  certificateFilters: TcldCertificateFilter[];
  environment: string;
  codecSpec: TcldCodecSpec | null;
  passiveRegions: string[];
  /** Restricted, Mtls, ApiKey or ApiKeyOrMtls. */
  authMethod: string;
  regionId: TcldRegionId | null;
  lifecycle: { enableDeleteProtection: boolean } | null;
  highAvailability: { disableManagedFailover: boolean } | null;
  passiveRegionIds: TcldRegionId[];
  connectivityRuleIds: string[];
}

export interface TcldCodecSpec {
  endpoint: string;
  passAccessToken: boolean;
  includeCredentials: boolean;
  customErrorMessage: { default: { message: string; link: string } | null } | null;
}

export interface TcldNamespace {
  namespace: string;
  resourceVersion: string;
  spec: TcldNamespaceSpec;
  /** Activating, ActivationFailed, Active, Updating, UpdateFailed, Deleting, DeleteFailed, Deleted, Suspended… */
  state: string;
  requestId: string;
  lastModifiedTime: string | null;
  uri: { web: string; grpc: string; vpcEndpointServiceNames: string[]; regionalGrpc: string; passiveRegionalGrpcAddresses: string[] } | null;
  envelope: Record<string, number | string | null> | null;
  allowedPrincipals: string[];
  regions: unknown[];
  connectivityRules: unknown[];
  tags: Record<string, string>;
}

/**
 * tcld's State names by the Cloud Ops API's ResourceState numbers (ACTIVATING = 1 … SUSPENDED = 9,
 * EXPIRED = 10). tcld's enum has no Expired; the name is printed as it is rather than hidden.
 */
const RESOURCE_STATES = [
  'Unspecified',
  'Activating',
  'ActivationFailed',
  'Active',
  'Updating',
  'UpdateFailed',
  'Deleting',
  'DeleteFailed',
  'Deleted',
  'Suspended',
  'Expired',
] as const;

/** tcld's SearchAttributeType names by the Cloud Ops API's numbers (which order TEXT and KEYWORD the other way round). */
const SEARCH_ATTRIBUTE_TYPES = ['Unspecified', 'Text', 'Keyword', 'Int', 'Double', 'Bool', 'Datetime', 'KeywordList'] as const;

export function tcldNamespace(namespace: INamespace): TcldNamespace {
  const spec = namespace.spec ?? {};
  const regions = (spec.regions ?? []).map(String);
  const endpoints = namespace.endpoints;
  const limits = namespace.limits;
  return {
    namespace: String(namespace.namespace ?? ''),
    resourceVersion: String(namespace.resourceVersion ?? ''),
    spec: {
      acceptedClientCa: acceptedClientCa(namespace),
      retentionDays: Number(spec.retentionDays ?? 0),
      searchAttributes: searchAttributes(namespace),
      certificateFilters: (spec.mtlsAuth?.certificateFilters ?? []).map((f) => filterSpecOf(canonicalFilter(f))),
      environment: 'Unspecified',
      codecSpec: spec.codecServer
        ? {
            endpoint: String(spec.codecServer.endpoint ?? ''),
            passAccessToken: spec.codecServer.passAccessToken === true,
            includeCredentials: spec.codecServer.includeCrossOriginCredentials === true,
            customErrorMessage: spec.codecServer.customErrorMessage
              ? {
                  default: spec.codecServer.customErrorMessage.default
                    ? { message: String(spec.codecServer.customErrorMessage.default.message ?? ''), link: String(spec.codecServer.customErrorMessage.default.link ?? '') }
                    : null,
                }
              : null,
          }
        : null,
      passiveRegions: [],
      authMethod: authMethod(spec.mtlsAuth?.enabled === true, spec.apiKeyAuth?.enabled === true),
      regionId: regions[0] === undefined ? null : regionId(regions[0]),
      lifecycle: spec.lifecycle ? { enableDeleteProtection: spec.lifecycle.enableDeleteProtection === true } : null,
      highAvailability: spec.highAvailability ? { disableManagedFailover: spec.highAvailability.disableManagedFailover === true } : null,
      passiveRegionIds: regions.slice(1).map(regionId),
      connectivityRuleIds: (spec.connectivityRuleIds ?? []).map(String),
    },
    state: resourceState(namespace),
    requestId: String(namespace.asyncOperationId ?? ''),
    lastModifiedTime: namespace.lastModifiedTime ? rfc3339(namespace.lastModifiedTime) : null,
    uri: endpoints
      ? {
          web: String(endpoints.webAddress ?? ''),
          grpc: String(endpoints.mtlsGrpcAddress || endpoints.grpcAddress || ''),
          vpcEndpointServiceNames: [],
          regionalGrpc: '',
          passiveRegionalGrpcAddresses: [],
        }
      : null,
    envelope: limits
      ? {
          actionsPerSecondLimit: Number(limits.actionsPerSecondLimit ?? 0),
          throttledActionsPerSecond: null,
          throttledActionsPerSecondLastUpdatedTime: null,
          frontendRpsLimit: null,
          throttledFrontendRps: null,
          throttledFrontendRpsLastUpdatedTime: null,
        }
      : null,
    allowedPrincipals: [],
    regions: [],
    connectivityRules: [],
    tags: sortedRecord(Object.entries(namespace.tags ?? {}).map(([key, value]) => [key, String(value)])),
  };
}

/** Base64 of the bundle's PEM: the bytes field, or the deprecated field, which already is that base64. */
function acceptedClientCa(namespace: INamespace): string {
  const mtls = namespace.spec?.mtlsAuth;
  if (mtls?.acceptedClientCa && mtls.acceptedClientCa.length > 0) return Buffer.from(mtls.acceptedClientCa).toString('base64');
  return String(mtls?.acceptedClientCaDeprecated ?? '');
}

function searchAttributes(namespace: INamespace): Record<string, string> {
  const typed = Object.entries(namespace.spec?.searchAttributes ?? {});
  if (typed.length > 0) return sortedRecord(typed.map(([name, type]) => [name, SEARCH_ATTRIBUTE_TYPES[Number(type)] ?? String(type)]));
  // Older accounts: the deprecated map already holds names such as "Keyword".
  return sortedRecord(Object.entries(namespace.spec?.customSearchAttributes ?? {}).map(([name, type]) => [name, String(type)]));
}

function authMethod(mtls: boolean, apiKey: boolean): string {
  if (mtls && apiKey) return 'ApiKeyOrMtls';
  if (mtls) return 'Mtls';
  if (apiKey) return 'ApiKey';
  return 'Restricted';
}

/** "aws-us-east-1" → {name: "us-east-1", provider: "CloudProviderAws"}, as tcld's regionIDFromString reads it. */
function regionId(region: string): TcldRegionId {
  for (const [prefix, provider] of [['aws-', 'CloudProviderAws'], ['gcp-', 'CloudProviderGcp']] as const) {
    if (region.startsWith(prefix)) return { name: region.slice(prefix.length), provider };
  }
  return { name: region, provider: 'CloudProviderUnspecified' };
}

/** tcld's name of a resource's state (a namespace's, the account's: they number their states alike up to Deleted). */
export function resourceState(namespace: Pick<INamespace, 'state' | 'stateDeprecated'>): string {
  const named = RESOURCE_STATES[Number(namespace.state ?? 0)];
  if (named && named !== 'Unspecified') return named;
  // The deprecated string ("active", "activation_failed"…), for servers that send only that.
  const word = String(namespace.stateDeprecated ?? '').replace(/_/g, '').toLowerCase();
  return RESOURCE_STATES.find((name) => name.toLowerCase() === word) ?? 'Unspecified';
}

/** jsonpb writes map entries sorted by key. */
function sortedRecord(entries: Array<[string, string]>): Record<string, string> {
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
