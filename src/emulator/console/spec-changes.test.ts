import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { INamespaceSpec } from '../../cloud/proto.js';
import { parseBundle } from '../../pki/bundle.js';
import { makeTestCertificate, testKey, testName } from '../../pki/test-support.js';
import { bundleOf, specWithAddedCas, specWithFilters, specWithoutCa } from './spec-changes.js';

describe('the console\'s spec changes', () => {
  let first: string;
  let second: string;
  let spec: INamespaceSpec;
  before(async () => {
    first = await makeTestCertificate({ subject: testName(['2.5.4.3', 'first']), key: testKey() });
    second = await makeTestCertificate({ subject: testName(['2.5.4.3', 'second']), key: testKey() });
    spec = { name: 'ns', retentionDays: 7, mtlsAuth: { enabled: true, acceptedClientCa: Buffer.from(first), certificateFilters: [{ organization: 'myco' }] } };
  });
  const fingerprintOf = (pem: string) => parseBundle(pem)[0]!.fingerprint;

  it('adds pasted CAs after the current ones and keeps the rest of the spec', () => {
    const change = specWithAddedCas(spec, `some text before\n${second}`);
    assert.ok(change.ok);
    assert.deepEqual(bundleOf(change.spec).map((c) => c.subject), ['CN=first', 'CN=second']);
    assert.equal(change.spec.retentionDays, 7);
    assert.deepEqual(change.spec.mtlsAuth?.certificateFilters, [{ organization: 'myco' }]);
    assert.equal(change.spec.mtlsAuth?.enabled, true);
  });

  it('refuses, by code, nothing pasted, text that is not a certificate, and a CA the bundle has', () => {
    const codes = ['', '  \n', '-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n', first, `${second}${second}`].map((pem) => {
      const change = specWithAddedCas(spec, pem);
      return change.ok ? 'ok' : change.code;
    });
    assert.deepEqual(codes, ['no-certificate', 'no-certificate', 'unreadable-pem', 'already-present', 'unreadable-pem']);
  });

  it('removes a CA by its SHA-1 fingerprint in any case, and refuses one that is not there', () => {
    const two = specWithAddedCas(spec, second);
    assert.ok(two.ok);
    const removed = specWithoutCa(two.spec, fingerprintOf(first).toUpperCase());
    assert.ok(removed.ok);
    assert.deepEqual(bundleOf(removed.spec).map((c) => c.subject), ['CN=second']);
    const again = specWithoutCa(removed.spec, fingerprintOf(first));
    assert.equal(again.ok ? 'ok' : again.code, 'not-present');
  });

  it('refuses to remove the last CA while mTLS is the auth method, and allows it otherwise', () => {
    const last = specWithoutCa(spec, fingerprintOf(first));
    assert.equal(last.ok ? 'ok' : last.code, 'last-ca');
    const off = specWithoutCa({ ...spec, mtlsAuth: { ...spec.mtlsAuth, enabled: false } }, fingerprintOf(first));
    assert.ok(off.ok);
    assert.deepEqual(bundleOf(off.spec), []);
  });

  it('replaces the filters with those of tcld\'s JSON, every field a string, and empty text clears them', () => {
    const change = specWithFilters(spec, '{"filters":[{"commonName":"worker-*"},{"organization":"acme","organizationalUnit":"ops"}]}');
    assert.ok(change.ok);
    assert.deepEqual(change.spec.mtlsAuth?.certificateFilters, [
      { commonName: 'worker-*', organization: '', organizationalUnit: '', subjectAlternativeName: '' },
      { commonName: '', organization: 'acme', organizationalUnit: 'ops', subjectAlternativeName: '' },
    ]);
    assert.equal(bundleOf(change.spec).length, 1, 'the bundle is kept');
    const cleared = specWithFilters(spec, '  ');
    assert.ok(cleared.ok);
    assert.deepEqual(cleared.spec.mtlsAuth?.certificateFilters, []);
  });

  it('refuses filters that are not tcld\'s JSON with the parser\'s message', () => {
    const change = specWithFilters(spec, '{"filters":[{"cn":"x"}]}');
    assert.equal(change.ok ? 'ok' : change.code, 'unreadable-filters');
    assert.match(change.ok ? '' : change.message, /unknown field "cn"/);
  });
});
