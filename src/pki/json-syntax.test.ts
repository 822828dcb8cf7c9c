import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { findJsonSyntaxError } from './json-syntax.js';

function parses(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

describe('findJsonSyntaxError', () => {
  it('finds an error exactly when JSON.parse throws, on valid JSON and on JSON with pieces broken', () => {
    const piece = fc.constantFrom('{', '}', '[', ']', ':', ',', '"', '\\', 'a', '1', '-', '.', 'e', 'true', 'nul', ' ', '\n', '\u0001', '\\u12', '\\u00e9');
    const broken = fc.tuple(fc.json(), fc.nat(), fc.array(piece, { maxLength: 3 }), fc.nat({ max: 3 })).map(
      ([json, at, inserted, deleted]) => json.slice(0, at % (json.length + 1)) + inserted.join('') + json.slice((at % (json.length + 1)) + deleted),
    );
    fc.assert(
      fc.property(fc.oneof(fc.json(), broken, fc.array(piece, { maxLength: 12 }).map((p) => p.join(''))), (text) => {
        assert.equal(findJsonSyntaxError(text) === undefined, parses(text), JSON.stringify(text));
      }),
      { seed: 8259, numRuns: 3000 },
    );
  });

  it('says where and what, quoting none of the text', () => {
    const secret = 'sk_live_51HxSUPERSECRETvalue\n';
    const error = findJsonSyntaxError(secret);
    assert.deepEqual(error, { offset: 0, problem: 'an unexpected character stands where a value should', line: 1, column: 1 });
    assert.deepEqual(findJsonSyntaxError('{\n  "filters": [\n    {"organization": "myco"\n  ]\n}'), {
      offset: 47,
      problem: "a ',' or '}' is missing",
      line: 4,
      column: 3,
    });
    assert.equal(findJsonSyntaxError('{"a": "b\nc"}')?.problem, 'a control character (such as a line break) is inside a string');
    assert.equal(findJsonSyntaxError('["abc')?.problem, 'a string is never closed');
  });

  it('reads 100,000 levels of nesting without recursion', () => {
    assert.equal(findJsonSyntaxError('['.repeat(100_000))?.problem, 'the text ends before the JSON does');
    assert.equal(findJsonSyntaxError(`${'['.repeat(100_000)}${']'.repeat(100_000)}`), undefined);
  });
});
