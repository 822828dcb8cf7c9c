/**
 * What CreateNamespace and UpdateNamespace accept: Temporal Cloud's rules for a namespace spec, with
 * the accepted client CA bundle and certificate filters checked by the same code the CLI uses.
 */
import { authMethodOf } from '../cloud/auth-method.js';
import { checkNamespaceName } from '../cloud/namespace-name.js';
import type { INamespaceSpec } from '../cloud/proto.js';
import { errorKind } from '../errors.js';
import { checkBundle, checkBundleInput, summarizeProblems } from '../pki/bundle.js';
import { parseBundleOnce } from './certificate-memo.js';
import { canonicalFilter, checkFilters } from '../pki/filters.js';
import { invalidArgument } from './api-error.js';

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
    const verdict = checkNamespaceName(name);
    if (!verdict.ok) problems.push(`spec.name: ${verdict.message}`);
    if (regions.length === 0) problems.push('spec.regions must name at least one region');
    // A new namespace that takes certificates needs a CA to check them against (an update may empty the bundle, as a seeded namespace starts).
    const method = authMethodOf(spec);
    if (spec.mtlsAuth?.enabled && (spec.mtlsAuth.acceptedClientCa?.length ?? 0) === 0) {
      problems.push(`spec.mtls_auth.accepted_client_ca is required: auth method ${method} admits clients by certificate, so give the CA bundle that issues them`);
    }
  }
  const retention = spec.retentionDays ?? 0;
  if (retention < RETENTION_MIN_DAYS || retention > RETENTION_MAX_DAYS) {
    problems.push(`spec.retention_days must be between ${RETENTION_MIN_DAYS} and ${RETENTION_MAX_DAYS} (got ${retention})`);
  }
  problems.push(...mtlsProblems(spec, options.now));
  for (const [attribute, type] of Object.entries(spec.searchAttributes ?? {})) {
    if (!attribute) problems.push('spec.search_attributes: a search attribute has no name');
    else if (!type) problems.push(`spec.search_attributes: ${quoted(attribute)} has no type`);
  }
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
    const filterProblems = checkFilters(filters.map(canonicalFilter));
    if (filterProblems.length > 0) problems.push(`spec.mtls_auth.certificate_filters: ${summarizeProblems(filterProblems.map((p) => p.message))}`);
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
    const found = checkBundle(parseBundleOnce(bundle), now);
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

/** The emulator's bounds on CreateNamespace's tags (Temporal Cloud documents none; these keep a request's work small). */
const MAX_TAGS = 50;
const MAX_TAG_KEY = 128;
const MAX_TAG_VALUE = 256;

/** Throws INVALID_ARGUMENT naming every problem of the tags, joined by '; '. */
export function validateTags(tags: Readonly<Record<string, string>>): void {
  const problems: string[] = [];
  const entries = Object.entries(tags);
  if (entries.length > MAX_TAGS) problems.push(`tags: at most ${MAX_TAGS} (got ${entries.length})`);
  for (const [key, value] of entries.slice(0, MAX_TAGS + 1)) {
    if (key.length === 0 || key.length > MAX_TAG_KEY) problems.push(`tags: key ${quoted(key)} must have 1 to ${MAX_TAG_KEY} characters`);
    if (value.length > MAX_TAG_VALUE) problems.push(`tags: the value of ${quoted(key)} has over ${MAX_TAG_VALUE} characters`);
  }
  if (problems.length > 0) throw invalidArgument(problems.slice(0, 5).join('; ') + (problems.length > 5 ? `; and ${problems.length - 5} more` : ''));
}
