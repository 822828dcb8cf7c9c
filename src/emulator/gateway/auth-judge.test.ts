import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { parseBundle } from '../../pki/bundle.js';
import { preparePolicy } from '../../pki/admission.js';
import type { Verdict } from '../identity/bearer.js';
import { authorizeCall, judgeConnection } from './auth-judge.js';
import type { MtlsPolicy, NamespacePolicy } from './policies.js';
import { makeCa, makeLeaf } from './test-support.js';

const NS = 'a.acct';
const closed: MtlsPolicy = { kind: 'closed', reason: `mTLS is not enabled on namespace ${NS} (spec.mtls_auth.enabled is false)`, code: 'mtls-disabled' };
const known = (authMethod: Extract<NamespacePolicy, { kind: 'known' }>['authMethod'], mtls: MtlsPolicy, apiKey: boolean): NamespacePolicy => ({ kind: 'known', resourceVersion: 'v1', authMethod, mtls, apiKey });

/** A verifier that knows one bootstrap key, one disabled key and one access token. */
function verify(secret: string): Verdict {
  if (secret === 'good') return { code: 'admitted', credential: 'bootstrap-key', principal: { userId: 'u', kind: 'bootstrap-key' } };
  if (secret === 'off') return { code: 'disabled', credential: 'api-key', apiKeyId: 'k1' };
  if (secret === 'login') return { code: 'admitted', credential: 'access-token', principal: { userId: 'u', kind: 'login' } };
  return { code: 'unknown', credential: 'unknown' };
}

describe('judgeConnection', () => {
  let open: MtlsPolicy;
  let chain: X509Certificate[];
  let stranger: X509Certificate[];
  const now = new Date();

  before(async () => {
    const ca = await makeCa('myco', now);
    open = { kind: 'open', prepared: preparePolicy({ bundle: parseBundle(ca.certificatePem), filters: [] }), cas: [ca.certificatePem] };
    chain = [new X509Certificate((await makeLeaf(ca, { now })).certificatePem)];
    stranger = [new X509Certificate((await makeLeaf(await makeCa('other', now), { now })).certificatePem)];
  });

  it('mtls › admits by certificate; refuses no certificate and a stranger, with the certificate rules\' codes', () => {
    assert.deepEqual(judgeConnection(known('mtls', open, false), NS, chain, now), { admitted: true, by: 'mtls' });
    assert.equal((judgeConnection(known('mtls', open, false), NS, undefined, now) as { code: string }).code, 'no-client-certificate');
    assert.equal((judgeConnection(known('mtls', open, false), NS, stranger, now) as { code: string }).code, 'untrusted-issuer');
  });

  it("mtls › refuses a chain OpenSSL refused, even when Temporal's rules admit it", () => {
    const verdict = judgeConnection(known('mtls', open, false), NS, chain, now, 'certificate has expired');
    assert.deepEqual(verdict, { admitted: false, reasons: ["OpenSSL's path validation refuses the chain: certificate has expired"], code: 'chain-invalid' });
  });

  it('api_key › admits any client for API keys, saying why a presented certificate does not count', () => {
    assert.deepEqual(judgeConnection(known('api_key', closed, true), NS, undefined, now), { admitted: true, by: 'api-key' });
    const withCertificate = judgeConnection(known('api_key', closed, true), NS, chain, now);
    assert.deepEqual(withCertificate, { admitted: true, by: 'api-key', certificate: [closed.reason] });
  });

  it('api_key_or_mtls › admits a good certificate by mTLS, and a stranger for API keys', () => {
    assert.deepEqual(judgeConnection(known('api_key_or_mtls', open, true), NS, chain, now), { admitted: true, by: 'mtls' });
    assert.equal((judgeConnection(known('api_key_or_mtls', open, true), NS, stranger, now) as { by: string }).by, 'api-key');
  });

  it('restricted › refuses everyone with the code restricted; an unknown namespace is unknown-namespace', () => {
    assert.equal((judgeConnection(known('restricted', closed, false), NS, chain, now) as { code: string }).code, 'restricted');
    assert.equal((judgeConnection({ kind: 'unknown' }, NS, chain, now) as { code: string }).code, 'unknown-namespace');
  });
});

describe('authorizeCall', () => {
  const open = { kind: 'open', prepared: {}, cas: [] } as unknown as MtlsPolicy;
  const code = (verdict: ReturnType<typeof authorizeCall>) => (verdict.ok ? 'ok' : verdict.code);

  it('passes a call on a connection its certificate admits, while the namespace still judges certificates', () => {
    assert.deepEqual(authorizeCall(known('mtls', open, false), NS, true, undefined, verify), { ok: true, byApiKey: false });
    assert.deepEqual(authorizeCall(known('api_key_or_mtls', open, true), NS, true, 'Bearer nonsense', verify), { ok: true, byApiKey: false });
  });

  it('asks a certificate-admitted connection for a key once the namespace takes API keys only', () => {
    assert.equal(code(authorizeCall(known('api_key', closed, true), NS, true, undefined, verify)), 'api-key-missing');
    assert.deepEqual(authorizeCall(known('api_key', closed, true), NS, true, 'Bearer good', verify), { ok: true, byApiKey: true });
  });

  it('tells each kind of bad key apart by code', () => {
    const policy = known('api_key', closed, true);
    assert.equal(code(authorizeCall(policy, NS, false, '', verify)), 'api-key-missing');
    assert.equal(code(authorizeCall(policy, NS, false, 'Basic good', verify)), 'api-key-invalid');
    assert.equal(code(authorizeCall(policy, NS, false, 'Bearer nope', verify)), 'api-key-invalid');
    assert.equal(code(authorizeCall(policy, NS, false, 'Bearer login', verify)), 'api-key-invalid');
    assert.equal(code(authorizeCall(policy, NS, false, 'Bearer off', verify)), 'api-key-disabled');
    assert.equal(code(authorizeCall(policy, NS, false, 'bearer   good', verify)), 'ok');
    assert.equal(code(authorizeCall(policy, NS, false, 'Bearer good', undefined)), 'api-key-invalid', 'no verifier: no key is valid');
  });

  it('refuses every call of a restricted namespace, and an API key where only certificates are taken', () => {
    assert.equal(code(authorizeCall(known('restricted', closed, false), NS, true, 'Bearer good', verify)), 'restricted');
    assert.equal(code(authorizeCall(known('mtls', open, false), NS, false, 'Bearer good', verify)), 'api-key-not-accepted');
    assert.equal(code(authorizeCall({ kind: 'unknown' }, NS, true, 'Bearer good', verify)), 'unknown-namespace');
  });
});
