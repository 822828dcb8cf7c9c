import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CertificateError, InputError, InterruptedError, UsageError, UserError, errorKind } from './errors.js';

describe('errorKind', () => {
  it('tells usage errors, bad input, user errors and interruptions apart, and all from bugs', () => {
    assert.equal(errorKind(new UsageError('x')), 'usage');
    assert.equal(errorKind(new InterruptedError('x')), 'interrupted');
    assert.equal(errorKind(new UserError('x')), 'user');
    assert.equal(errorKind(new InputError('x')), 'input');
    assert.equal(errorKind(new CertificateError('x')), 'input');
    assert.equal(errorKind(new TypeError('x')), undefined);
    assert.equal(errorKind('x'), undefined);
    assert.equal(errorKind(null), undefined);
  });

  it('does not take an error that merely looks like one of ours (a kind property) for one', () => {
    assert.equal(errorKind(Object.assign(new Error('x'), { kind: 'user' })), undefined);
  });
});
