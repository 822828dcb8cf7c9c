import { admits, type AuthMethod } from '../../cloud/auth-method.js';
import { checkNamespaceName } from '../../cloud/namespace-name.js';
import type { INamespaceSpec } from '../../cloud/proto.js';
import { tcldRequestStatus, type TcldRequestStatusResponse } from '../../cloud/tcld-json.js';
import { UsageError } from '../../errors.js';
import { formatBundle } from '../../pki/bundle.js';
import { filterSpecOf, type CertificateFilter } from '../../pki/filters.js';
import { requestIdOf, waitFor, withCloud, type ConnectionFlags, type MutationOutcome } from '../cloud-flags.js';
import type { Deps } from '../deps.js';
import { readCertificates, refuseInvalidBundle, type CertificateInputFlags } from './ca-bundle.js';
import { parseSearchAttributes, parseTags, regionIds, type CloudProvider } from './create-spec.js';
import { readFilters, refuseInvalidFilters, type FilterInputFlags } from './filters.js';

export interface NamespaceCreateOptions extends ConnectionFlags, CertificateInputFlags, FilterInputFlags {
  /** The new namespace's name; Temporal Cloud makes its ID `<name>.<account>`. */
  namespace: string;
  region: string[];
  /** The provider of the regions given without one. Default aws, as tcld. */
  cloudProvider?: CloudProvider;
  /** A whole number of days, at least 1. Default 30. */
  retentionDays?: string;
  /** Default mtls, as tcld. */
  authMethod?: AuthMethod;
  searchAttribute?: string[];
  enableDeleteProtection?: boolean;
  tag?: string[];
  requestId?: string;
  wait?: boolean;
}

/** What `create` prints: tcld's CreateNamespaceResponse, and the new namespace's ID and endpoints. */
export interface CreatedNamespace extends TcldRequestStatusResponse {
  namespace: string;
  endpoints: { grpcAddress: string; mtlsGrpcAddress: string };
}

/** Always a request: create has no confirmation and no "nothing to change". */
export type CreateOutcome = Extract<MutationOutcome, { code: 'requested' }> & { response: CreatedNamespace };

/**
 * `tcld n create`: creates a namespace with its auth method, its first CA bundle and certificate
 * filters (checked as `n ca a` and `n cf a` check them, before anything is sent), retention, search
 * attributes, delete protection and tags.
 */
export async function run(options: NamespaceCreateOptions, deps: Deps): Promise<CreateOutcome> {
  const spec = await specOf(options, deps);
  const tags = parseTags(options.tag ?? []);
  return withCloud(options, deps, async (client) => {
    const requestId = requestIdOf(options.requestId);
    const created = await client.createNamespace({ spec, asyncOperationId: requestId, ...(Object.keys(tags).length > 0 && { tags }) });
    const id = created.namespace || spec.name!;
    let operation = created.operation;
    const operationId = String(operation.id ?? requestId);
    if (options.wait) operation = await waitFor(client, operationId, deps);
    // Where clients connect; a service that has not made the namespace visible yet leaves them empty.
    const found = await client.getNamespace(id).catch(() => undefined);
    const endpoints = { grpcAddress: String(found?.endpoints?.grpcAddress ?? ''), mtlsGrpcAddress: String(found?.endpoints?.mtlsGrpcAddress ?? '') };
    const requestStatus = tcldRequestStatus(operation, { resourceId: id, resourceType: 'namespace' });
    const response: CreatedNamespace = { requestStatus, namespace: id, endpoints };
    const where = endpoints.mtlsGrpcAddress ? `, endpoint ${endpoints.mtlsGrpcAddress}` : '';
    return { code: 'requested', response, summary: `namespace ${id}: created (auth method ${options.authMethod ?? 'mtls'}${where}; request ${operationId}, ${requestStatus.state})` };
  });
}

/** The spec to send, every flag checked first: nothing is sent for a mistake. */
async function specOf(options: NamespaceCreateOptions, deps: Deps): Promise<INamespaceSpec> {
  const name = options.namespace;
  const verdict = checkNamespaceName(name);
  if (!verdict.ok) throw new UsageError(verdict.message);
  const method = options.authMethod ?? 'mtls';
  const regions = regionIds(options.region, options.cloudProvider ?? 'aws');
  const retentionDays = parseRetention(options.retentionDays ?? '30');
  const searchAttributes = parseSearchAttributes(options.searchAttribute ?? []);
  const { mtls, apiKey } = admits(method);
  const given = Boolean(options.caCertificate || options.caCertificateFile);
  if (mtls && !given) {
    throw new UsageError(`required flag --ca-certificate-file (-cf) or --ca-certificate (-c) not set: auth method ${method} admits clients by a certificate their CA issued`);
  }
  const now = deps.now();
  const certificates = given ? await readCertificates(options, deps) : [];
  if (certificates.length > 0) refuseInvalidBundle(certificates, now);
  let filters: CertificateFilter[] = [];
  if (options.certificateFilterFile || options.certificateFilterInput) {
    filters = await readFilters(options, deps);
    refuseInvalidFilters(filters);
  }
  return {
    name,
    regions,
    retentionDays,
    mtlsAuth: {
      enabled: mtls,
      ...(certificates.length > 0 && { acceptedClientCa: Buffer.from(formatBundle(certificates)) }),
      ...(filters.length > 0 && { certificateFilters: filters.map(filterSpecOf) }),
    },
    apiKeyAuth: { enabled: apiKey },
    lifecycle: { enableDeleteProtection: options.enableDeleteProtection === true },
    ...(Object.keys(searchAttributes).length > 0 && { searchAttributes }),
  };
}

/** --retention-days as tcld's int flag takes it. */
function parseRetention(text: string): number {
  if (!/^[+-]?\d+$/.test(text.trim())) throw new UsageError(`invalid value "${text}" for flag -retention-days: parse error`);
  const days = Number(text);
  if (days < 1) throw new UsageError('retention cannot be 0 or negative');
  return days;
}
