import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorKind } from '../errors.js';
import { parseBundle } from '../pki/bundle.js';
import { makeTestCertificate, testKey, testName } from '../pki/test-support.js';
import { memoizedBundleParser, parseBundleOnce } from './certificate-memo.js';

const ca = (name: string) => makeTestCertificate({ subject: testName(['2.5.4.3', name]), key: testKey() });

describe('memoizedBundleParser', () => {
  it('reads a bundle as parseBundle does, the same certificate objects each time', async () => {
    const pem = (await ca('a')) + (await ca('b'));
    const first = parseBundleOnce(pem);
    assert.deepEqual(
      first.map((c) => [c.fingerprint, c.subject, c.notAfter.toISOString(), c.pem]),
      parseBundle(pem).map((c) => [c.fingerprint, c.subject, c.notAfter.toISOString(), c.pem]),
    );
    const again = parseBundleOnce(Buffer.from(pem));
    assert.ok(again.every((c, i) => c === first[i]));
  });

  it('keeps only the most recently read certificates, and never a malformed one', async () => {
    const parse = memoizedBundleParser(2);
    const [a, b, c] = [await ca('a'), await ca('b'), await ca('c')];
    const [keptA] = parse(a);
    const [keptB] = parse(b);
    assert.equal(parse(a)[0], keptA); // a is now the most recent: c pushes b out
    parse(c);
    assert.equal(parse(a)[0], keptA);
    assert.notEqual(parse(b)[0], keptB);
    const damaged = a.replace(/\n[A-Za-z0-9+/]{8}/, '\nAAAAAAAA');
    for (let i = 0; i < 2; i++) {
      assert.throws(() => parse(damaged), (error: Error) => errorKind(error) !== undefined && /certificate 1 of the bundle is malformed/.test(error.message));
    }
  });
});
