import assert from 'node:assert/strict';
import { createHash, X509Certificate } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { parseBundle } from '../../pki/bundle.js';
import { DAY_MS, FIXED_NOW, makeTestCertificate, testKey, testName } from '../../pki/test-support.js';
import { caView, daysLeft, expiryLevel, soonestExpiry, timelineOf, type CaView } from './certificate-view.js';

const at = (days: number) => new Date(FIXED_NOW.getTime() + days * DAY_MS);

describe('expiryLevel', () => {
  it('colours at Temporal Cloud\'s notice thresholds: 30, 15 and 5 days, then expired', () => {
    const cases: Array<[number, string]> = [
      [31, 'ok'],
      [30.5, 'within-30-days'],
      [16, 'within-30-days'],
      [15.9, 'within-15-days'],
      [6, 'within-15-days'],
      [5.5, 'within-5-days'],
      [0.01, 'within-5-days'],
      [0, 'expired'],
      [-3, 'expired'],
    ];
    for (const [days, level] of cases) assert.equal(expiryLevel(at(days), FIXED_NOW), level, `${days} days`);
  });

  it('counts whole days left, negative once expired, as tcld cert check-expiry', () => {
    assert.equal(daysLeft(at(29.9), FIXED_NOW), 29);
    assert.equal(daysLeft(at(-2.5), FIXED_NOW), -2);
  });
});

describe('caView and timelineOf', () => {
  let old: CaView;
  let fresh: CaView;
  let later: CaView;
  before(async () => {
    const view = async (cn: string, from: number, to: number) => {
      const pem = await makeTestCertificate({ subject: testName(['2.5.4.3', cn]), key: testKey(), notBefore: at(from), notAfter: at(to) });
      return caView(parseBundle(pem)[0]!, FIXED_NOW);
    };
    old = await view('old', -300, 10);
    fresh = await view('new', -5, 360);
    later = await view('later', 400, 700);
  });

  it('gives both fingerprints of the DER, days left and the level', async () => {
    const pem = await makeTestCertificate({ subject: testName(['2.5.4.3', 'x']), key: testKey() });
    const der = new X509Certificate(pem).raw;
    const view = caView(parseBundle(pem)[0]!, FIXED_NOW);
    assert.equal(view.sha1, createHash('sha1').update(der).digest('hex'));
    assert.equal(view.sha256, createHash('sha256').update(der).digest('hex'));
    assert.equal(view.subject, 'CN=x');
    assert.equal(view.daysLeft, 30);
    assert.equal(view.level, 'within-30-days');
  });

  it('picks the CA that expires first', () => {
    assert.equal(soonestExpiry([fresh, old, later]), old);
    assert.equal(soonestExpiry([]), undefined);
  });

  it('puts every window on one axis from the earliest start to the latest end, with now and the overlapping pairs', () => {
    const timeline = timelineOf([old, fresh, later], FIXED_NOW)!;
    assert.deepEqual(timeline.start, old.notBefore);
    assert.deepEqual(timeline.end, later.notAfter);
    assert.equal(timeline.bars[0]!.from, 0);
    assert.equal(timeline.bars[2]!.to, 1);
    assert.equal(timeline.now, 300 / 1000);
    assert.deepEqual(timeline.overlaps, [[0, 1]], 'the rotation overlap; the later CA overlaps neither');
    assert.equal(timelineOf([], FIXED_NOW), undefined);
  });
});
