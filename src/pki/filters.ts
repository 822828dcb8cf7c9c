/**
 * Certificate filters (`spec.mtls_auth.certificate_filters`) and Temporal Cloud's rules for them.
 * Pure: no I/O. One implementation serves `tcld n cf import`, the emulator's mTLS gateway and the tests.
 */
import { CertificateError } from '../errors.js';
import { findJsonSyntaxError } from './json-syntax.js';

/** At most 25 filters per namespace (Temporal Cloud). */
export const FILTERS_MAX = 25;

/** One filter: every field that is set must match the client certificate; any one filter suffices. */
export interface CertificateFilter {
  commonName?: string;
  organization?: string;
  organizationalUnit?: string;
  subjectAlternativeName?: string;
}

export type FilterField = keyof CertificateFilter;

/** The fields in tcld's order, which is also the order formatFiltersJson writes them in. */
export const FILTER_FIELDS: readonly FilterField[] = ['commonName', 'organization', 'organizationalUnit', 'subjectAlternativeName'];

const FIELD_LIST = FILTER_FIELDS.join(', ');

/** What a client certificate offers to the filters: every value of each field (a name may repeat O or OU). */
export interface FilterSubject {
  commonName?: string[];
  organization?: string[];
  organizationalUnit?: string[];
  subjectAlternativeNames?: string[];
}

/**
 * Reads tcld's filter file format: `{"filters":[{"commonName":…,"organization":…,"organizationalUnit":…,"subjectAlternativeName":…}]}`.
 * Throws CertificateError with one line for invalid JSON, a wrong shape, an unknown field or a non-string value.
 * Empty strings are treated as absent fields.
 *
 * As tcld (Go's encoding/json) reads it: keys match case-insensitively, a null value is an absent field,
 * and an empty file, `{}` (what tcld writes for no filters) or `"filters": null` hold no filters. Unlike
 * tcld, an unknown key is refused rather than ignored, so that a misspelt field cannot widen a filter.
 */
export function parseFiltersJson(text: string): CertificateFilter[] {
  if (text.trim() === '') return [];
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw new CertificateError(`the filters are not valid JSON: ${jsonErrorAt(text)}`);
  }
  if (!isObject(document)) {
    throw new CertificateError(`the filters JSON must be an object, {"filters": [...]}, not ${kindOf(document)}`);
  }
  let filters: unknown = null;
  for (const [key, value] of Object.entries(document)) {
    if (key.toLowerCase() !== 'filters') {
      throw new CertificateError(`the filters JSON has an unknown key ${keyShown(key)}: it holds only {"filters": [...]}`);
    }
    filters = value;
  }
  if (filters === null) return [];
  if (!Array.isArray(filters)) throw new CertificateError(`"filters" must be an array of filters, not ${kindOf(filters)}`);
  return filters.map((element, index) => parseFilter(element, index + 1));
}

function parseFilter(element: unknown, position: number): CertificateFilter {
  if (!isObject(element)) {
    throw new CertificateError(`filter ${position} must be an object such as {"organization": "myco"}, not ${kindOf(element)}`);
  }
  const filter: CertificateFilter = {};
  for (const [key, value] of Object.entries(element)) {
    const field = FILTER_FIELDS.find((f) => f.toLowerCase() === key.toLowerCase());
    if (!field) throw new CertificateError(`filter ${position} has an unknown field ${keyShown(key)}: the fields are ${FIELD_LIST}`);
    if (value === null) continue;
    if (typeof value !== 'string') throw new CertificateError(`filter ${position}'s ${field} must be a string, not ${kindOf(value)}`);
    if (value === '') delete filter[field];
    else filter[field] = value;
  }
  return filter;
}

/**
 * Where the JSON breaks and how, by line and column: never JSON.parse's own message, which quotes the
 * text around the error (a key file given by mistake would have its first bytes printed).
 */
function jsonErrorAt(text: string): string {
  const error = findJsonSyntaxError(text);
  return error ? `${error.problem} at line ${error.line}, column ${error.column}` : 'it does not parse';
}

/** A key is a name: shown when it is short enough to be one, otherwise only its length is (a message does not reproduce the input). */
function keyShown(key: string): string {
  return key.length <= 32 ? JSON.stringify(key) : `of ${key.length} characters`;
}

/** A filter's value, cut at 64 characters. */
function valueShown(value: string): string {
  return JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}…` : value);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kindOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** The same format, pretty-printed, fields in the order above, absent fields omitted. */
export function formatFiltersJson(filters: readonly CertificateFilter[]): string {
  return JSON.stringify({ filters: filters.map(canonicalFilter) }, null, 2);
}

/**
 * A filter as the Cloud Ops API's CertificateFilterSpec holds it, and as tcld writes it in JSON: every
 * field a string, '' when unset (protobufjs may also leave one null or absent).
 */
export type FilterSpec = { [F in FilterField]?: string | null };

/**
 * The filter's set fields, in FILTER_FIELDS order: empty strings, nulls and unknown properties dropped.
 * The one conversion from the API's CertificateFilterSpec to a CertificateFilter.
 */
export function canonicalFilter(filter: FilterSpec): CertificateFilter {
  const canonical: CertificateFilter = {};
  for (const field of FILTER_FIELDS) {
    const value = filter[field];
    if (value) canonical[field] = value;
  }
  return canonical;
}

/** The other way: every field, '' when unset, in FILTER_FIELDS order (the API's CertificateFilterSpec, tcld's JSON of a filter). */
export function filterSpecOf(filter: CertificateFilter): Required<Record<FilterField, string>> {
  return {
    commonName: filter.commonName ?? '',
    organization: filter.organization ?? '',
    organizationalUnit: filter.organizationalUnit ?? '',
    subjectAlternativeName: filter.subjectAlternativeName ?? '',
  };
}

/** Which rule a list of filters breaks, as a stable code (tests and callers switch on it, never on the message). */
export type FilterCode =
  /** More than 25 filters. */
  | 'too-many'
  /** A filter with no field set (blank values count as unset). */
  | 'no-field'
  /** A value that is only `*`, which would match anything. */
  | 'wildcard-only'
  /** A value with more than one `*`. */
  | 'wildcard-count'
  /** A `*` neither at the start nor at the end of a value. */
  | 'wildcard-position'
  /** Two filters equal case-insensitively. */
  | 'duplicate-filter';

export interface FilterProblem {
  code: FilterCode;
  /** One line, naming the filter by its position. */
  message: string;
}

/**
 * Every rule the filters break (empty when acceptable): a filter with no field; more than 25; two equal
 * filters (compared case-insensitively); a value with more than one `*`, a `*` not at the start or end,
 * or a value that is only `*`.
 */
export function checkFilters(filters: readonly CertificateFilter[]): FilterProblem[] {
  const problems: FilterProblem[] = [];
  if (filters.length > FILTERS_MAX) {
    problems.push({ code: 'too-many', message: `there are ${filters.length} filters, more than the ${FILTERS_MAX} Temporal Cloud accepts: remove ${filters.length - FILTERS_MAX}` });
  }
  const seen = new Map<string, number>();
  filters.forEach((filter, index) => {
    const position = index + 1;
    const set = FILTER_FIELDS.filter((field) => isSet(filter[field]));
    // tcld counts a field of only spaces as unset too.
    if (set.length === 0) problems.push({ code: 'no-field', message: `filter ${position} has no field set: set at least one of ${FIELD_LIST}` });
    for (const field of set) {
      const problem = wildcardProblem(filter[field]!);
      if (problem) problems.push({ code: problem.code, message: `filter ${position}'s ${field} ${valueShown(filter[field]!)} ${problem.message}` });
    }
    const key = filterKey(filter);
    const first = seen.get(key);
    if (first !== undefined) {
      problems.push({ code: 'duplicate-filter', message: `filter ${position} is the same as filter ${first} (compared case-insensitively): remove one` });
    } else {
      seen.set(key, position);
    }
  });
  return problems;
}

function isSet(value: string | undefined): value is string {
  return value !== undefined && value.trim() !== '';
}

function wildcardProblem(value: string): FilterProblem | undefined {
  const stars = value.split('*').length - 1;
  if (value === '*') return { code: 'wildcard-only', message: 'is only a wildcard, which would match anything: leave the field out instead' };
  if (stars > 1) return { code: 'wildcard-count', message: 'has more than one *: a value may hold one wildcard, at its start or its end' };
  if (stars === 1 && !value.startsWith('*') && !value.endsWith('*')) {
    return { code: 'wildcard-position', message: 'has a * in the middle: a wildcard may only start or end a value' };
  }
  return undefined;
}

/** Equal for filters that are the same case-insensitively, with empty and absent fields alike. */
function filterKey(filter: CertificateFilter): string {
  return JSON.stringify(FILTER_FIELDS.map((field) => (filter[field] ?? '').toLowerCase()));
}

export type FiltersChange = { changed: true; filters: CertificateFilter[] } | { changed: false; reason: string };

/** Appends filters, skipping none: a filter already present (case-insensitively) is refused with CertificateError. */
export function addFilters(current: readonly CertificateFilter[], added: readonly CertificateFilter[]): FiltersChange {
  if (added.length === 0) return { changed: false, reason: 'no filter to add' };
  const present = new Set(current.map(filterKey));
  const adding = new Set<string>();
  for (const filter of added) {
    const key = filterKey(filter);
    const shown = JSON.stringify(canonicalFilter(filter));
    if (present.has(key)) throw new CertificateError(`the filter ${shown} already exists (compared case-insensitively)`);
    if (adding.has(key)) throw new CertificateError(`the filter ${shown} is given twice: add it once`);
    adding.add(key);
  }
  return { changed: true, filters: [...current, ...added] };
}

const SUBJECT_FIELD: Readonly<Record<FilterField, keyof FilterSubject>> = {
  commonName: 'commonName',
  organization: 'organization',
  organizationalUnit: 'organizationalUnit',
  subjectAlternativeName: 'subjectAlternativeNames',
};

/**
 * Whether a client certificate's subject passes one filter: every field the filter sets must match one of
 * the certificate's values for it, case-insensitively; `*suffix` matches a value ending in `suffix` and
 * `prefix*` one starting with `prefix`. What checkFilters refuses fails closed: a filter with no field set
 * matches nothing, and a lone `*` or a `*` elsewhere is compared literally, so it never widens a filter.
 */
export function filterMatches(filter: CertificateFilter, subject: FilterSubject): boolean {
  const set = FILTER_FIELDS.filter((field) => isSet(filter[field]));
  if (set.length === 0) return false;
  return set.every((field) => (subject[SUBJECT_FIELD[field]] ?? []).some((value) => valueMatches(filter[field]!, value)));
}

/** Whether a client certificate passes the filters: any one of them, or no filters at all. */
export function matchesAnyFilter(filters: readonly CertificateFilter[], subject: FilterSubject): boolean {
  return filters.length === 0 || filters.some((filter) => filterMatches(filter, subject));
}

function valueMatches(pattern: string, value: string): boolean {
  const p = pattern.toLowerCase();
  const v = value.toLowerCase();
  if (p.length > 1 && p.startsWith('*')) return v.endsWith(p.slice(1));
  if (p.length > 1 && p.endsWith('*')) return v.startsWith(p.slice(0, -1));
  return p === v;
}
