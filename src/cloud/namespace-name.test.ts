import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkNamespaceName } from './namespace-name.js';

describe('checkNamespaceName', () => {
  it("accepts Temporal Cloud's names: 2 to 39 lowercase letters, digits and single hyphens, a letter first", () => {
    for (const name of ['ab', 'a1', 'accounting-production', 'a-b-c', `a${'b'.repeat(38)}`]) assert.deepEqual(checkNamespaceName(name), { ok: true }, name);
  });

  for (const [name, code] of [
    ['a', 'length'],
    [`a${'b'.repeat(39)}`, 'length'],
    ['My-ns', 'character'],
    ['my_ns', 'character'],
    ['1ns', 'first'],
    ['-ns', 'first'],
    ['ns-', 'last'],
    ['n--s', 'hyphens'],
    ['myns.acct', 'account-suffix'],
  ] as const) {
    it(`refuses ${JSON.stringify(name)} with the code ${code} and the rules in its message`, () => {
      const verdict = checkNamespaceName(name);
      assert.equal(verdict.ok ? 'ok' : verdict.code, code);
      assert.match(verdict.ok ? '' : verdict.message, /: use 2 to 39 lowercase letters, digits and hyphens, starting with a letter and ending with a letter or digit$/);
    });
  }
});
