/**
 * What CreateNamespace and UpdateNamespace accept: Temporal Cloud's rules for a namespace spec, with
 * the accepted client CA bundle and certificate filters checked by the same code the CLI uses.
 */
import type { ICertificateFilterSpec, INamespaceSpec } from '../cloud/proto.js';
import { errorKind } from '../errors.js';
import { checkBundle, checkBundleInput, parseBundle, summarizeProblems } from '../pki/bundle.js';
import { checkFilters, type CertificateFilter } from '../pki/filters.js';
import { invalidArgument } from './api-error.js';

/** Temporal Cloud's namespace names: 2 to 39 lowercase letters, digits and hyphens, not starting or ending with a hyphen. */
const NAME = /^[a-z0-9][a-z0-9-]{0,37}[a-z0-9]$/;
/** Retention Temporal Cloud allows, in days. */
const RETENTION_MIN_DAYS = 1;
const RETENTION_MAX_DAYS = 90;

export interface ValidateSpecOptions {
  now: Date;
  /** The stored spec, for an update: the name and regions cannot change through UpdateNamespace. */
  current?: INamespaceSpec;
}

/** Throws INVALID_ARGUMENT naming every problem of the spec, joined by '; '. */
export function validateSpec(spec: INamespaceSpec | null | undefined, options: ValidateSpecOptions): asserts spec is INamespaceSpec {
  if (!spec) throw invalidArgument('spec is required');
  const problems: string[] = [];
  const name = spec.name ?? '';
  const regions = spec.regions ?? [];
  if (options.current) {
    if (name !== options.current.name) problems.push(`spec.name cannot change (it is "${options.current.name}")`);
    if (regions.join(',') !== (options.current.regions ?? []).join(',')) {
      problems.push('spec.regions cannot change through UpdateNamespace (use AddNamespaceRegion or DeleteNamespaceRegion)');
    }
  } else {
    if (!NAME.test(name)) {
      problems.push(`spec.name ${quoted(name)} is invalid: use 2 to 39 lowercase letters, digits and hyphens, starting and ending with a letter or digit`);
    }
    if (regions.length === 0) problems.push('spec.regions must name at least one region');
  }
  const retention = spec.retentionDays ?? 0;
  if (retention < RETENTION_MIN_DAYS || retention > RETENTION_MAX_DAYS) {
    problems.push(`spec.retention_days must be between ${RETENTION_MIN_DAYS} and ${RETENTION_MAX_DAYS} (got ${retention})`);
  }
  problems.push(...mtlsProblems(spec, options.now));
  if (problems.length > 0) throw invalidArgument(problems.join('; '));
}

function mtlsProblems(spec: INamespaceSpec, now: Date): string[] {
  const mtls = spec.mtlsAuth;
  if (!mtls) return [];
  const problems: string[] = [];
  if (mtls.acceptedClientCaDeprecated) {
    problems.push('spec.mtls_auth.accepted_client_ca_deprecated is not supported by this API version; use accepted_client_ca');
  }
  // An empty bundle is allowed, even with mTLS enabled: a namespace starts that way.
  const bundle = mtls.acceptedClientCa;
  if (bundle && bundle.length > 0) problems.push(...bundleProblems(bundle, now, 'spec.mtls_auth.accepted_client_ca'));
  const filters = mtls.certificateFilters ?? [];
  if (filters.length > 0) {
    const filterProblems = checkFilters(filters.map(filterOf));
    if (filterProblems.length > 0) problems.push(`spec.mtls_auth.certificate_filters: ${summarizeProblems(filterProblems)}`);
  }
  return problems;
}

/**
 * The problems of the bundle in `field` (a namespace's mTLS bundle, the account's metrics bundle), the
 * limits first: a bundle over 32 KB or with more than 16 PEM blocks is refused before any of it is
 * parsed, so one request costs bounded work. The message names the first few problems and how many more there are.
 */
export function bundleProblems(bundle: Uint8Array, now: Date, field: string): string[] {
  const limits = checkBundleInput(bundle);
  if (limits.length > 0) return [`${field}: ${summarizeProblems(limits.map((p) => p.message))}`];
  try {
    const found = checkBundle(parseBundle(bundle), now);
    return found.length === 0 ? [] : [`${field}: ${summarizeProblems(found.map((p) => p.message))}`];
  } catch (error) {
    // A bundle that does not parse is the caller's mistake; anything else is a bug and stays one.
    if (errorKind(error) === undefined) throw error;
    return [`${field}: ${(error as Error).message}`];
  }
}

/** A value from the request in quotes, cut when long: a message names what was sent, it does not send it back. */
function quoted(value: string): string {
  return JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}…` : value);
}

/** CertificateFilterSpec to the CLI's CertificateFilter: empty strings are absent fields. */
export function filterOf(spec: ICertificateFilterSpec): CertificateFilter {
  const filter: CertificateFilter = {};
  if (spec.commonName) filter.commonName = spec.commonName;
  if (spec.organization) filter.organization = spec.organization;
  if (spec.organizationalUnit) filter.organizationalUnit = spec.organizationalUnit;
  if (spec.subjectAlternativeName) filter.subjectAlternativeName = spec.subjectAlternativeName;
  return filter;
}
