import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { admissionRefusalReason } from './refusal-reasons.js';

describe('admissionRefusalReason', () => {
  const cases: Array<[string, string]> = [
    ["no client certificate was presented: present one issued by a CA in the namespace's accepted bundle", 'no_client_certificate'],
    ['the certificate expired on 2025-01-01T00:00:00Z', 'expired'],
    ["the namespace's CA CN=root,O=myco expired on 2025-01-01T00:00:00Z", 'expired'],
    ['the certificate is not valid until 2030-01-01T00:00:00Z', 'not_yet_valid'],
    ['the certificate is a CA (basicConstraints CA:TRUE); present an end-entity certificate', 'is_ca'],
    ["the certificate's key usage (keyEncipherment) lacks digitalSignature", 'key_usage'],
    ["the certificate's extended key usage (serverAuth) lacks clientAuth", 'extended_key_usage'],
    ['the certificate is signed with sha1WithRSAEncryption: Temporal Cloud requires RSA or ECDSA with SHA-256 or stronger', 'weak_signature'],
    ["the certificate's subject (CN=x) is also the subject of the namespace's CA above it: Temporal Cloud requires distinct names along the chain", 'duplicate_name'],
    ["the certificate matches none of the namespace's 2 certificate filters (it has CN=x)", 'filter_mismatch'],
    ["the certificate is not issued by any CA in the namespace's accepted bundle (issuer CN=other)", 'untrusted_issuer'],
    ['a certificate of the chain could not be read: bad extension', 'other'],
  ];
  for (const [reason, category] of cases) {
    it(`files "${reason.slice(0, 48)}…" under ${category}`, () => assert.equal(admissionRefusalReason([reason]), category));
  }

  it('takes the first reason of several', () => {
    assert.equal(admissionRefusalReason(['the certificate expired on 2025-01-01T00:00:00Z', "the certificate matches none of the namespace's 1 certificate filter (it has CN=x)"]), 'expired');
  });
});
