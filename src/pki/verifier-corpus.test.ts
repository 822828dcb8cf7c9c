/**
 * The corpus of chain-corpus-test-support.ts: RFC 5280 cases (name constraints, critical extensions,
 * path length, validity along the chain, cross-signing, key usages), judged by admitClient (what `tcld
 * cert verify` and `ct test --ca-bundle` use) and by `openssl verify -purpose sslclient`, strict and
 * not: the same verdict on every case. The gateway's handshakes on the same corpus are in
 * emulator/gateway/corpus.test.ts.
 */
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { admitClient, preparePolicy } from './admission.js';
import { parseBundle } from './bundle.js';
import { HAS_OPENSSL, buildCorpus, type Corpus } from './chain-corpus-test-support.js';

describe('admitClient and openssl verify on the chain corpus', HAS_OPENSSL ? {} : { skip: 'openssl not installed' }, () => {
  let corpus: Corpus;
  before(() => {
    corpus = buildCorpus();
  });
  after(() => corpus?.remove());

  it('give the verdict RFC 5280 gives, case by case', () => {
    const disagreements: string[] = [];
    for (const one of corpus.cases) {
      const policy = preparePolicy({ bundle: one.bundle.flatMap((file) => parseBundle(corpus.read(file))), filters: [] });
      const ours = admitClient(one.chain.map((file) => new X509Certificate(corpus.read(file))), policy, new Date());
      const strict = corpus.opensslVerify(one, true);
      const plain = corpus.opensslVerify(one, false);
      if (ours.accepted !== one.accepted) disagreements.push(`${one.name}: admitClient ${ours.accepted ? 'accepts' : `refuses (${ours.reasons.join('; ')})`}`);
      if (strict.ok !== one.accepted) disagreements.push(`${one.name}: openssl verify -x509_strict ${strict.ok ? 'accepts' : 'refuses'}: ${strict.output.split('\n').slice(-2).join(' ')}`);
      if (plain.ok !== one.accepted) disagreements.push(`${one.name}: openssl verify ${plain.ok ? 'accepts' : 'refuses'}: ${plain.output.split('\n').slice(-2).join(' ')}`);
    }
    assert.deepEqual(disagreements, []);
    assert.ok(corpus.cases.filter((c) => c.accepted).length >= 10 && corpus.cases.filter((c) => !c.accepted).length >= 15);
  });

  it('name the rule that refuses, with a stable code', () => {
    const codes: Record<string, string> = {
      'name constraints: a DNS name outside the permitted subtree': 'name-constraints',
      'name constraints: an excluded DNS name': 'name-constraints',
      'name constraints: a host-name CN outside the permitted subtree, no SAN': 'name-constraints',
      "name constraints: the bundle CA's own, refusing": 'name-constraints',
      'a leaf with an unrecognised critical extension': 'critical-extension',
      'an intermediate with an unrecognised critical extension': 'critical-extension',
      'an intermediate under a root with pathlen:0': 'path-length',
      'an expired intermediate': 'expired',
      'a leaf with anyExtendedKeyUsage only': 'ext-key-usage',
      'a leaf for TLS servers only': 'ext-key-usage',
      'a leaf whose key usage is keyEncipherment only': 'key-usage',
      'a leaf without the intermediate it needs': 'untrusted-issuer',
      'a leaf of an impostor root with the bundle root name': 'untrusted-issuer',
      'two intermediates under an intermediate with pathlen:0': 'path-length',
      'an intermediate not valid yet': 'not-yet-valid',
      'an expired bundle root': 'expired',
    };
    for (const [name, code] of Object.entries(codes)) {
      const one = corpus.cases.find((c) => c.name === name)!;
      const policy = preparePolicy({ bundle: one.bundle.flatMap((file) => parseBundle(corpus.read(file))), filters: [] });
      const ours = admitClient(one.chain.map((file) => new X509Certificate(corpus.read(file))), policy, new Date());
      assert.deepEqual(ours.problems.map((p) => p.code), [code], `${name}: ${ours.reasons.join('; ')}`);
    }
  });
});
