/** The certificate-filters commands' shared steps: reading filters in and the namespace's filters out and back. */
import type { ICertificateFilterSpec, INamespace, INamespaceSpec } from '../../cloud/proto.js';
import { UsageError, UserError } from '../../errors.js';
import { checkFilters, parseFiltersJson, type CertificateFilter } from '../../pki/filters.js';
import type { Deps } from '../deps.js';

export interface FilterInputFlags {
  /** --certificate-filter-file/--file/-f: a JSON file `{"filters":[...]}`. */
  certificateFilterFile?: string;
  /** --certificate-filter-input/--input/-i: the same JSON inline. */
  certificateFilterInput?: string;
}

const FIELDS = ['commonName', 'organization', 'organizationalUnit', 'subjectAlternativeName'] as const;

export async function readFilters(flags: FilterInputFlags, deps: Deps): Promise<CertificateFilter[]> {
  if (flags.certificateFilterFile && flags.certificateFilterInput) {
    throw new UsageError('give the filters with --certificate-filter-file or with --certificate-filter-input, not both');
  }
  const text = flags.certificateFilterFile
    ? await deps.files.readText(flags.certificateFilterFile, 'certificate filter file')
    : flags.certificateFilterInput;
  if (text === undefined) throw new UsageError('required flag --certificate-filter-file (-f) or --certificate-filter-input (-i) not set');
  return parseFiltersJson(text);
}

export function currentFilters(namespace: INamespace): CertificateFilter[] {
  return (namespace.spec?.mtlsAuth?.certificateFilters ?? []).map((spec: ICertificateFilterSpec) => {
    const filter: CertificateFilter = {};
    for (const field of FIELDS) if (spec[field]) filter[field] = String(spec[field]);
    return filter;
  });
}

export function specWithFilters(namespace: INamespace, filters: readonly CertificateFilter[]): INamespaceSpec {
  const spec = namespace.spec ?? {};
  const certificateFilters = filters.map((f) => Object.fromEntries(FIELDS.map((field) => [field, f[field] ?? ''])));
  return { ...spec, mtlsAuth: { ...spec.mtlsAuth, certificateFilters } };
}

export function refuseInvalidFilters(filters: readonly CertificateFilter[]): void {
  const problems = checkFilters(filters);
  if (problems.length > 0) throw new UserError(`the certificate filters would be refused: ${problems.join('; ')}`);
}

export function sameFilters(a: readonly CertificateFilter[], b: readonly CertificateFilter[]): boolean {
  const key = (filters: readonly CertificateFilter[]) => JSON.stringify(filters.map((f) => FIELDS.map((field) => (f[field] ?? '').toLowerCase())));
  return key(a) === key(b);
}
