/**
 * `tcld cert verify` on the chain corpus (pki/chain-corpus-test-support.ts): the command's verdict is
 * RFC 5280's (and so `openssl verify`'s and the gateway's, which their own tests check) on every case,
 * with the stable code of the rule that refuses in --output json.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { HAS_OPENSSL, buildCorpus, type Corpus } from '../../pki/chain-corpus-test-support.js';
import { bytesDeps } from './test-fixtures.js';
import { run, type VerifyResult } from './verify.js';

describe('cert verify on the chain corpus', HAS_OPENSSL ? {} : { skip: 'openssl not installed' }, () => {
  let corpus: Corpus;
  before(() => {
    corpus = buildCorpus();
  });
  after(() => corpus?.remove());

  it('accepts exactly the chains RFC 5280 accepts (exit 0), and refuses the others (exit 1)', async () => {
    const disagreements: string[] = [];
    for (const one of corpus.cases) {
      const files = { 'chain.pem': one.chain.map(corpus.read).join(''), 'bundle.pem': one.bundle.map(corpus.read).join('') };
      const verdict = await run({ cert: 'chain.pem', caBundle: 'bundle.pem' }, bytesDeps(files, new Date()).deps);
      if (verdict.ok !== one.accepted) disagreements.push(`${one.name}: ${verdict.lines.join(' | ')}`);
    }
    assert.deepEqual(disagreements, []);
  });

  it('says name-constraints in --output json for a leaf outside its CA name constraints', async () => {
    const one = corpus.cases.find((c) => c.name === 'name constraints: a DNS name outside the permitted subtree')!;
    const files = { 'chain.pem': one.chain.map(corpus.read).join(''), 'bundle.pem': one.bundle.map(corpus.read).join('') };
    const verdict = await run({ cert: 'chain.pem', caBundle: 'bundle.pem', output: 'json' }, bytesDeps(files, new Date()).deps);
    const json = verdict.json as VerifyResult;
    assert.equal(json.accepted, false);
    assert.deepEqual(json.reasons.map((r) => r.code), ['name-constraints']);
    assert.match(json.reasons[0]!.message, /^DNS:evil\.attacker\.net of the certificate is outside the names permitted by the name constraints of the intermediate CA CN=nc permitted,O=acme$/);
  });
});
