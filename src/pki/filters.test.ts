import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CertificateError } from '../errors.js';
import {
  FILTERS_MAX,
  addFilters,
  canonicalFilter,
  checkFilters,
  filterMatches,
  filterSpecOf,
  formatFiltersJson,
  matchesAnyFilter,
  parseFiltersJson,
  type CertificateFilter,
  type FilterSubject,
} from './filters.js';

function refusal(pattern: RegExp) {
  return (error: unknown) => {
    assert.ok(error instanceof CertificateError, `expected a CertificateError, got ${String(error)}`);
    assert.match(error.message, pattern);
    assert.doesNotMatch(error.message, /\n/);
    return true;
  };
}

const FIELDS = 'the fields are commonName, organization, organizationalUnit, subjectAlternativeName';

describe('parseFiltersJson', () => {
  it("reads tcld's filter file", () => {
    const text = JSON.stringify({
      filters: [
        { commonName: 'worker', organization: 'myco', organizationalUnit: 'payments', subjectAlternativeName: 'worker.myco.example' },
        { organization: 'myco' },
      ],
    });
    assert.deepEqual(parseFiltersJson(text), [
      { commonName: 'worker', organization: 'myco', organizationalUnit: 'payments', subjectAlternativeName: 'worker.myco.example' },
      { organization: 'myco' },
    ]);
  });

  it('treats empty strings and nulls as absent fields, as tcld does', () => {
    assert.deepEqual(parseFiltersJson('{"filters":[{"commonName":"","organization":"myco","organizationalUnit":null}]}'), [{ organization: 'myco' }]);
  });

  it('matches field names case-insensitively, as Go does', () => {
    assert.deepEqual(parseFiltersJson('{"Filters":[{"CommonName":"worker","ORGANIZATION":"myco"}]}'), [{ commonName: 'worker', organization: 'myco' }]);
  });

  it('reads an empty file, {} and null filters as no filters', () => {
    for (const text of ['', ' \n', '{}', '{"filters": null}', '{"filters": []}']) assert.deepEqual(parseFiltersJson(text), [], text);
  });

  it('refuses invalid JSON, saying where', () => {
    assert.throws(() => parseFiltersJson('{"filters": [\n  {"organization": "myco",}\n]}'), refusal(/^the filters are not valid JSON: .* at line 2, column 27$/));
    assert.throws(() => parseFiltersJson('{"filters": ['), refusal(/^the filters are not valid JSON: /));
  });

  it('refuses a document that is not an object', () => {
    assert.throws(() => parseFiltersJson('[{"organization": "myco"}]'), refusal(/^the filters JSON must be an object, \{"filters": \[\.\.\.\]\}, not an array$/));
    assert.throws(() => parseFiltersJson('"myco"'), refusal(/not a string$/));
    assert.throws(() => parseFiltersJson('null'), refusal(/not null$/));
  });

  it('refuses filters that are not an array', () => {
    assert.throws(() => parseFiltersJson('{"filters": {"organization": "myco"}}'), refusal(/^"filters" must be an array of filters, not an object$/));
  });

  it('refuses an unknown key beside filters, which would otherwise hide a typo', () => {
    assert.throws(() => parseFiltersJson('{"filter": [{"organization": "myco"}]}'), refusal(/unknown key "filter"/));
  });

  it('refuses a filter that is not an object, naming its position', () => {
    assert.throws(() => parseFiltersJson('{"filters": [{"organization": "myco"}, "myco"]}'), refusal(/^filter 2 must be an object .*, not a string$/));
  });

  it('refuses an unknown field, naming it and the valid ones', () => {
    assert.throws(() => parseFiltersJson('{"filters": [{"cn": "worker"}]}'), refusal(new RegExp(`^filter 1 has an unknown field "cn": ${FIELDS}$`)));
  });

  it('refuses a value that is not a string', () => {
    assert.throws(() => parseFiltersJson('{"filters": [{"organization": ["myco"]}]}'), refusal(/^filter 1's organization must be a string, not an array$/));
    assert.throws(() => parseFiltersJson('{"filters": [{"commonName": 7}]}'), refusal(/^filter 1's commonName must be a string, not a number$/));
  });
});

describe('formatFiltersJson', () => {
  it("writes the fields in tcld's order, leaving out absent and empty ones", () => {
    const filters: CertificateFilter[] = [{ subjectAlternativeName: '*.myco.example', organization: 'myco', commonName: '' }];
    assert.equal(
      formatFiltersJson(filters),
      '{\n  "filters": [\n    {\n      "organization": "myco",\n      "subjectAlternativeName": "*.myco.example"\n    }\n  ]\n}',
    );
  });

  it('writes what parseFiltersJson reads back', () => {
    const filters: CertificateFilter[] = [{ commonName: 'worker', organizationalUnit: 'ops' }, { organization: 'prod-*' }];
    assert.deepEqual(parseFiltersJson(formatFiltersJson(filters)), filters);
  });

  it('writes an empty list for no filters', () => {
    assert.equal(formatFiltersJson([]), '{\n  "filters": []\n}');
  });
});

describe('canonicalFilter and filterSpecOf', () => {
  it("read the API's CertificateFilterSpec as a filter of its set fields, '' and null being unset", () => {
    assert.deepEqual(canonicalFilter({ commonName: '', organization: 'myco', organizationalUnit: null, subjectAlternativeName: '*.myco.example' }), {
      organization: 'myco',
      subjectAlternativeName: '*.myco.example',
    });
    assert.deepEqual(Object.keys(canonicalFilter({ subjectAlternativeName: 'a', commonName: 'b' })), ['commonName', 'subjectAlternativeName']);
  });

  it("write every field back in tcld's order, '' when unset, so that the round trip keeps the filter", () => {
    const filter: CertificateFilter = { organizationalUnit: 'ops', commonName: 'worker' };
    assert.deepEqual(Object.entries(filterSpecOf(filter)), [
      ['commonName', 'worker'],
      ['organization', ''],
      ['organizationalUnit', 'ops'],
      ['subjectAlternativeName', ''],
    ]);
    assert.deepEqual(canonicalFilter(filterSpecOf(filter)), { commonName: 'worker', organizationalUnit: 'ops' });
  });
});

describe('checkFilters', () => {
  it('accepts filters with a leading or trailing wildcard', () => {
    assert.deepEqual(checkFilters([{ subjectAlternativeName: '*.example.com' }, { commonName: 'prod-*', organization: 'myco' }]), []);
  });

  it('refuses a filter with no field set as no-field, counting blank values as unset', () => {
    const message = 'has no field set: set at least one of commonName, organization, organizationalUnit, subjectAlternativeName';
    assert.deepEqual(checkFilters([{ organization: 'myco' }, {}, { commonName: '  ' }]), [
      { code: 'no-field', message: `filter 2 ${message}` },
      { code: 'no-field', message: `filter 3 ${message}` },
    ]);
  });

  it('refuses more than 25 filters as too-many, and accepts 25', () => {
    const filters = Array.from({ length: FILTERS_MAX + 1 }, (_, i) => ({ commonName: `worker-${i}` }));
    assert.deepEqual(checkFilters(filters.slice(0, FILTERS_MAX)), []);
    assert.deepEqual(checkFilters(filters), [{ code: 'too-many', message: 'there are 26 filters, more than the 25 Temporal Cloud accepts: remove 1' }]);
  });

  it('refuses two filters equal case-insensitively as duplicate-filter, and only those', () => {
    const filters = [{ organization: 'MyCo', commonName: 'Worker' }, { organization: 'myco' }, { commonName: 'worker', organization: 'myco', organizationalUnit: '' }];
    assert.deepEqual(checkFilters(filters), [{ code: 'duplicate-filter', message: 'filter 3 is the same as filter 1 (compared case-insensitively): remove one' }]);
  });

  it('refuses more than one wildcard (wildcard-count), a wildcard in the middle (wildcard-position), and a lone wildcard (wildcard-only)', () => {
    assert.deepEqual(checkFilters([{ commonName: '*.prod-*' }, { organization: 'my*co' }, { subjectAlternativeName: '*' }]), [
      { code: 'wildcard-count', message: 'filter 1\'s commonName "*.prod-*" has more than one *: a value may hold one wildcard, at its start or its end' },
      { code: 'wildcard-position', message: 'filter 2\'s organization "my*co" has a * in the middle: a wildcard may only start or end a value' },
      { code: 'wildcard-only', message: 'filter 3\'s subjectAlternativeName "*" is only a wildcard, which would match anything: leave the field out instead' },
    ]);
  });

  it('returns every problem at once', () => {
    const filters = [{}, ...Array.from({ length: FILTERS_MAX }, () => ({ organization: 'a*b' }))];
    const problems = checkFilters(filters);
    assert.equal(problems.length, 1 + 1 + FILTERS_MAX + (FILTERS_MAX - 1));
    assert.match(problems[0]!.message, /^there are 26 filters/);
    assert.match(problems[1]!.message, /^filter 1 has no field set/);
  });
});

describe('addFilters', () => {
  it('appends the filters, leaving the current list untouched', () => {
    const current = [{ organization: 'myco' }];
    assert.deepEqual(addFilters(current, [{ commonName: 'worker' }]), { changed: true, filters: [{ organization: 'myco' }, { commonName: 'worker' }] });
    assert.deepEqual(current, [{ organization: 'myco' }]);
  });

  it('refuses a filter already present, compared case-insensitively', () => {
    assert.throws(() => addFilters([{ organization: 'myco' }], [{ organization: 'MYCO' }]), refusal(/^the filter \{"organization":"MYCO"\} already exists/));
  });

  it('refuses a filter given twice', () => {
    assert.throws(() => addFilters([], [{ commonName: 'a' }, { commonName: 'A' }]), refusal(/is given twice/));
  });

  it('changes nothing when there is nothing to add', () => {
    assert.deepEqual(addFilters([{ organization: 'myco' }], []), { changed: false, reason: 'no filter to add' });
  });
});

describe('filterMatches', () => {
  const worker: FilterSubject = {
    commonName: ['worker-7'],
    organization: ['MyCo'],
    organizationalUnit: ['payments', 'ops'],
    subjectAlternativeNames: ['worker-7.prod.myco.example', 'spiffe://myco/worker'],
  };

  it('requires every field the filter sets to match', () => {
    assert.equal(filterMatches({ organization: 'myco', commonName: 'worker-7' }, worker), true);
    assert.equal(filterMatches({ organization: 'myco', commonName: 'worker-8' }, worker), false);
  });

  it('compares case-insensitively', () => {
    assert.equal(filterMatches({ organization: 'MYCO', commonName: 'Worker-7' }, worker), true);
  });

  it('matches *suffix and prefix* wildcards', () => {
    assert.equal(filterMatches({ subjectAlternativeName: '*.prod.myco.example' }, worker), true);
    assert.equal(filterMatches({ subjectAlternativeName: '*.staging.myco.example' }, worker), false);
    assert.equal(filterMatches({ commonName: 'worker-*' }, worker), true);
    assert.equal(filterMatches({ commonName: 'client-*' }, worker), false);
  });

  it('matches a field when any of the certificate\'s values for it matches', () => {
    assert.equal(filterMatches({ organizationalUnit: 'ops' }, worker), true);
    assert.equal(filterMatches({ subjectAlternativeName: 'spiffe://myco/*' }, worker), true);
  });

  it('does not match a field the certificate lacks', () => {
    assert.equal(filterMatches({ organizationalUnit: 'ops' }, { organization: ['myco'] }), false);
  });

  it('matches nothing for a filter with no field, or a lone wildcard, which checkFilters refuses', () => {
    assert.equal(filterMatches({}, worker), false);
    assert.equal(filterMatches({ commonName: ' ' }, worker), false);
    assert.equal(filterMatches({ commonName: '*' }, worker), false);
  });
});

describe('matchesAnyFilter', () => {
  const subject: FilterSubject = { commonName: ['worker'], organization: ['myco'] };

  it('admits every certificate when there are no filters', () => {
    assert.equal(matchesAnyFilter([], subject), true);
  });

  it('admits a certificate that passes any one filter and refuses one that passes none', () => {
    assert.equal(matchesAnyFilter([{ organization: 'otherco' }, { commonName: 'work*' }], subject), true);
    assert.equal(matchesAnyFilter([{ organization: 'otherco' }, { commonName: 'client' }], subject), false);
  });
});
