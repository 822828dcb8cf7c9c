import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DurationError, formatDuration, parseDuration } from './duration.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('parseDuration', () => {
  it('reads the announcement examples', () => {
    assert.equal(parseDuration('1y'), 365 * DAY);
    assert.equal(parseDuration('90d'), 90 * DAY);
    assert.equal(parseDuration('30d10h'), 30 * DAY + 10 * HOUR);
    assert.equal(parseDuration('1.5h'), 1.5 * HOUR);
  });

  it('reads every Go unit', () => {
    assert.equal(parseDuration('1h2m3s4ms'), HOUR + 2 * 60_000 + 3_000 + 4);
    assert.equal(parseDuration('1500us'), 1);
    assert.equal(parseDuration('1500µs'), 1);
    assert.equal(parseDuration('2000000ns'), 2);
  });

  it('accepts a sign, a bare zero and a fraction without a leading digit', () => {
    assert.equal(parseDuration('-2h'), -2 * HOUR);
    assert.equal(parseDuration('+2h'), 2 * HOUR);
    assert.equal(parseDuration('0'), 0);
    assert.equal(parseDuration('.5d'), 12 * HOUR);
    assert.equal(parseDuration('1.d'), DAY); // Go accepts a trailing point too
  });

  for (const bad of ['', '1', 'y', '1w', '..5h', '1d 2h', 'abc', '-', '1e3s', '1d-2h']) {
    it(`refuses ${JSON.stringify(bad)} with a message naming the input`, () => {
      assert.throws(() => parseDuration(bad), (error: unknown) => {
        assert.ok(error instanceof DurationError);
        assert.match(error.message, new RegExp(`invalid duration "${bad.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`));
        return true;
      });
    });
  }

  it('refuses a duration longer than Go can hold (about 292 years)', () => {
    assert.throws(() => parseDuration('300y'), /too long/);
  });
});

describe('formatDuration', () => {
  it('writes the largest units first', () => {
    assert.equal(formatDuration(365 * DAY), '365d');
    assert.equal(formatDuration(DAY + 2 * HOUR + 3 * 60_000), '1d2h3m');
    assert.equal(formatDuration(1_500), '1s500ms');
    assert.equal(formatDuration(0), '0s');
    assert.equal(formatDuration(-HOUR), '-1h');
  });

  it('round-trips through parseDuration', () => {
    for (const ms of [1, 999, 61_000, 7 * DAY + 1, 365 * DAY]) assert.equal(parseDuration(formatDuration(ms)), ms);
  });
});
