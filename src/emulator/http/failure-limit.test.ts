import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FIXED_NOW } from '../../pki/test-support.js';
import { createFailureLimit } from './failure-limit.js';

function clock() {
  let ms = FIXED_NOW.getTime();
  return { now: () => new Date(ms), advance: (seconds: number) => void (ms += seconds * 1000) };
}

describe('createFailureLimit', () => {
  it('stays open below the limit, then is limited until the oldest failure is a window old', () => {
    const time = clock();
    const limit = createFailureLimit({ limit: 3, now: time.now });
    for (let i = 0; i < 3; i++) {
      assert.deepEqual(limit.check(), { code: 'open' });
      limit.fail();
      time.advance(10);
    }
    // Failures at 0, 10 and 20 s; now is 30 s: the first leaves the window at 60 s.
    assert.deepEqual(limit.check(), { code: 'limited', retryAfterSeconds: 30 });
    time.advance(29);
    assert.equal(limit.check().code, 'limited');
    time.advance(1);
    assert.deepEqual(limit.check(), { code: 'open' });
  });

  it('counts a sliding window: failures after the limit keep it closed until they too are old', () => {
    const time = clock();
    const limit = createFailureLimit({ limit: 2, windowSeconds: 10, now: time.now });
    limit.fail();
    limit.fail();
    time.advance(5);
    limit.fail();
    assert.deepEqual(limit.check(), { code: 'limited', retryAfterSeconds: 5 });
    time.advance(5);
    assert.deepEqual(limit.check(), { code: 'open' }, 'one failure left in the window');
    limit.fail();
    assert.deepEqual(limit.check(), { code: 'limited', retryAfterSeconds: 5 });
  });

  it('refuses a limit that is not a positive whole number', () => {
    for (const value of [0, -1, 1.5, Number.NaN]) {
      assert.throws(() => createFailureLimit({ limit: value, now: () => FIXED_NOW }), /a failure limit must be a positive whole number/);
    }
  });
});
