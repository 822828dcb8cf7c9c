import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorKind } from '../errors.js';
import { chooseOutput } from './output-format.js';

describe('chooseOutput', () => {
  const allowed = ['json', 'table', 'api'] as const;

  it("takes the command's first value when --output is not given, and any allowed value as given", () => {
    assert.equal(chooseOutput(undefined, allowed), 'json');
    assert.equal(chooseOutput('', allowed), 'json');
    assert.equal(chooseOutput('api', allowed), 'api');
    assert.equal(chooseOutput('table', ['json', 'table'] as const), 'table');
  });

  it('refuses any other value as a usage error that lists the allowed ones', () => {
    assert.throws(() => chooseOutput('xml', allowed), (e: Error) => errorKind(e) === 'usage' && e.message === '--output must be json, table or api, not xml');
    assert.throws(() => chooseOutput('table', ['json', 'api'] as const), /--output must be json or api, not table/);
  });
});
