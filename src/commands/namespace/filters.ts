/** The certificate-filters commands' shared steps: reading filters in and the namespace's filters out and back. */
import type { INamespace, INamespaceSpec } from '../../cloud/proto.js';
import { CertificateError, UsageError, UserError } from '../../errors.js';
import { FILTER_FIELDS, canonicalFilter, checkFilters, filterSpecOf, parseFiltersJson, type CertificateFilter, type FilterField } from '../../pki/filters.js';
import type { Deps } from '../deps.js';
import { TCLD_OBJECT_INDENT } from '../output-format.js';
import { lineDiff } from './line-diff.js';

export interface FilterInputFlags {
  /** --certificate-filter-file/--file/-f: a JSON file `{"filters":[...]}`. */
  certificateFilterFile?: string;
  /** --certificate-filter-input/--input/-i: the same JSON inline. */
  certificateFilterInput?: string;
}

export async function readFilters(flags: FilterInputFlags, deps: Deps): Promise<CertificateFilter[]> {
  if (flags.certificateFilterFile && flags.certificateFilterInput) {
    throw new UsageError('give the filters with --certificate-filter-file or with --certificate-filter-input, not both');
  }
  const text = flags.certificateFilterFile
    ? await deps.files.readText(flags.certificateFilterFile, 'certificate filter file')
    : flags.certificateFilterInput;
  if (text === undefined) throw new UsageError('required flag --certificate-filter-file (-f) or --certificate-filter-input (-i) not set');
  if (!flags.certificateFilterFile) return parseFiltersJson(text);
  try {
    return parseFiltersJson(text);
  } catch (error) {
    if (error instanceof CertificateError) throw new CertificateError(`certificate filter file ${flags.certificateFilterFile}: ${error.message}`);
    throw error;
  }
}

export function currentFilters(namespace: INamespace): CertificateFilter[] {
  return (namespace.spec?.mtlsAuth?.certificateFilters ?? []).map(canonicalFilter);
}

export function specWithFilters(namespace: INamespace, filters: readonly CertificateFilter[]): INamespaceSpec {
  const spec = namespace.spec ?? {};
  return { ...spec, mtlsAuth: { ...spec.mtlsAuth, certificateFilters: filters.map(filterSpecOf) } };
}

export function refuseInvalidFilters(filters: readonly CertificateFilter[]): void {
  const problems = checkFilters(filters);
  if (problems.length > 0) throw new UserError(`the certificate filters would be refused: ${problems.map((p) => p.message).join('; ')}`);
}

export function sameFilters(a: readonly CertificateFilter[], b: readonly CertificateFilter[]): boolean {
  const key = (filters: readonly CertificateFilter[]) => JSON.stringify(filters.map((f) => FILTER_FIELDS.map((field) => (f[field] ?? '').toLowerCase())));
  return key(a) === key(b);
}

/**
 * The filters as tcld prints and exports them (its certificateFiltersConfig through encoding/json):
 * every field of each filter, "" when unset, and `{}` when there is none (`filters` is omitempty).
 */
export function tcldFiltersDocument(filters: readonly CertificateFilter[]): { filters?: Array<Record<FilterField, string>> } {
  if (filters.length === 0) return {};
  return { filters: filters.map(filterSpecOf) };
}

/** The same, as text: what `n cf exp` prints and writes, and what the confirmations show. */
export function tcldFiltersText(filters: readonly CertificateFilter[]): string {
  return JSON.stringify(tcldFiltersDocument(filters), null, TCLD_OBJECT_INDENT);
}

/** What a filter command shows (on stderr) before it asks, in tcld's words. */
export type FilterPreview =
  | { kind: 'import'; before: readonly CertificateFilter[]; after: readonly CertificateFilter[] }
  | { kind: 'add'; added: readonly CertificateFilter[] }
  | { kind: 'clear'; before: readonly CertificateFilter[] };

/** Shows the change as tcld does and asks for confirmation (--auto_confirm answers yes); false when declined. */
export async function confirmFilterChange(preview: FilterPreview, deps: Deps): Promise<boolean> {
  const [heading, lines, question] =
    preview.kind === 'import'
      ? ['this import will result in the following changes to certificate filters:', lineDiff(tcldFiltersText(preview.before), tcldFiltersText(preview.after)), 'confirm certificate filter import operation']
      : preview.kind === 'add'
        ? ['the following certificate filters will be added to the namespace:', tcldFiltersText(preview.added).split('\n'), 'confirm add operation']
        : [
            'all certificate filters will be removed:',
            tcldFiltersText(preview.before).split('\n'),
            'this will allow any client certificate that chains up to a configured CA in the bundle to connect to the namespace. confirm clear operation',
          ];
  deps.err(heading);
  for (const line of lines) deps.err(line);
  return deps.confirm(question);
}
