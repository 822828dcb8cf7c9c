import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { secureRandom } from '../../pki/random.js';
import { FIXED_NOW } from '../../pki/test-support.js';
import { DeviceCodes, normalizeUserCode, USER_CODE_ALPHABET } from './device-codes.js';

const REQUEST = { clientId: 'cli', scope: 'openid' };

function codes(random = secureRandom, options: { expiresInSeconds?: number; intervalSeconds?: number } = {}) {
  let time = FIXED_NOW.getTime();
  const store = new DeviceCodes({ now: () => new Date(time), random, ...options });
  return { store, advance: (seconds: number) => void (time += seconds * 1000) };
}

function started(store: DeviceCodes) {
  const result = store.start(REQUEST);
  assert.ok(!('code' in result));
  return result;
}

describe('DeviceCodes', () => {
  it('makes user codes of 8 letters from the unambiguous alphabet, without favouring any letter (bytes of 240 and above are skipped)', () => {
    // 239 % 20 = 19 (the last letter); 240..255 would map to the first 16 letters again and must be dropped.
    const bytes = [240, 255, 239, 0, 19, 20, 250, 1, 2, 3, 4, 5];
    let at = 0;
    // 32 bytes are the device code; the user code's letters come 8 bytes at a time.
    const random = (size: number) => (size === 32 ? new Uint8Array(32) : Uint8Array.from({ length: size }, () => bytes[at++ % bytes.length]!));
    const { store } = codes(random);
    assert.equal(started(store).userCode, 'ZBZB-CDFG');
    assert.doesNotMatch(USER_CODE_ALPHABET, /[AEIOU0-9]/);
  });

  it('reads a typed user code whatever its case, spaces and dashes, and nothing that cannot be one', () => {
    assert.equal(normalizeUserCode('bcdf-ghjk'), 'BCDFGHJK');
    assert.equal(normalizeUserCode(' BCDF GHJK '), 'BCDFGHJK');
    assert.equal(normalizeUserCode('BCDFGHJ'), undefined);
    assert.equal(normalizeUserCode('BCDF-GHJA'), undefined, 'A is not in the alphabet');
    assert.equal(normalizeUserCode('BCDF-GHJ%'), undefined);
  });

  it('tells the page where a code stands: pending, approved, denied, expired, unknown', () => {
    const { store, advance } = codes();
    const a = started(store);
    const b = started(store);
    const c = started(store);
    assert.equal(store.find(a.userCode.toLowerCase()).code, 'pending');
    assert.equal(store.decide(a.userCode, 'approve').code, 'pending');
    assert.equal(store.decide(b.userCode, 'deny').code, 'pending');
    assert.equal(store.find(a.userCode).code, 'approved');
    assert.equal(store.find(b.userCode).code, 'denied');
    assert.equal(store.decide(b.userCode, 'approve').code, 'denied', 'a decision is final');
    assert.equal(store.find('BCDF-GHJK').code, 'unknown');
    advance(900);
    assert.equal(store.find(c.userCode).code, 'expired');
    assert.equal(store.decide(c.userCode, 'approve').code, 'expired');
  });

  it('forgets a code once it has been expired for a whole lifetime: its polls turn from expired_token to invalid_grant', () => {
    const { store, advance } = codes(secureRandom, { expiresInSeconds: 60 });
    const a = started(store);
    advance(60);
    assert.equal(store.poll(a.deviceCode, 'cli').code, 'expired_token');
    advance(60);
    started(store);
    assert.equal(store.poll(a.deviceCode, 'cli').code, 'invalid_grant');
    assert.equal(store.find(a.userCode).code, 'unknown');
  });

  it('keeps the interval at least 1 second', () => {
    const { store } = codes(secureRandom, { intervalSeconds: 0 });
    assert.equal(started(store).interval, 1);
  });

  it('refuses new codes while 1000 are live', () => {
    const { store } = codes();
    for (let i = 0; i < 1000; i++) started(store);
    assert.deepEqual(store.start(REQUEST), { code: 'busy' });
  });
});
