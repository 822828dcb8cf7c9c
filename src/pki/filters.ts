/**
 * Certificate filters (`spec.mtls_auth.certificate_filters`) and Temporal Cloud's rules for them.
 * Pure: no I/O. STUB: signatures fixed, implementation being written.
 */

/** At most 25 filters per namespace (Temporal Cloud). */
export const FILTERS_MAX = 25;

/** One filter: every field that is set must match the client certificate; any one filter suffices. */
export interface CertificateFilter {
  commonName?: string;
  organization?: string;
  organizationalUnit?: string;
  subjectAlternativeName?: string;
}

/**
 * Reads tcld's filter file format: `{"filters":[{"commonName":…,"organization":…,"organizationalUnit":…,"subjectAlternativeName":…}]}`.
 * Throws CertificateError with one line for invalid JSON, a wrong shape, an unknown field or a non-string value.
 * Empty strings are treated as absent fields.
 */
export function parseFiltersJson(text: string): CertificateFilter[] {
  void text;
  throw new Error('not implemented');
}

/** The same format, pretty-printed, fields in the order above, absent fields omitted. */
export function formatFiltersJson(filters: readonly CertificateFilter[]): string {
  void filters;
  throw new Error('not implemented');
}

/**
 * Every rule the filters break (empty when acceptable): a filter with no field; more than 25; two equal
 * filters (compared case-insensitively); a value with more than one `*`, a `*` not at the start or end,
 * or a value that is only `*`.
 */
export function checkFilters(filters: readonly CertificateFilter[]): string[] {
  void filters;
  throw new Error('not implemented');
}

export type FiltersChange = { changed: true; filters: CertificateFilter[] } | { changed: false; reason: string };

/** Appends filters, skipping none: a filter already present (case-insensitively) is refused with CertificateError. */
export function addFilters(current: readonly CertificateFilter[], added: readonly CertificateFilter[]): FiltersChange {
  void current;
  void added;
  throw new Error('not implemented');
}
