import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { INamespaceSpec } from '../../cloud/proto.js';
import { canonicalSpecBytes } from '../canonical.js';
import { Store, type NamespaceRow } from '../store.js';
import { createPolicyCache, type NamespacePolicy, type PolicyCache } from './policies.js';
import { makeCa } from './test-support.js';

function row(id: string, resourceVersion: string, mtlsAuth: INamespaceSpec['mtlsAuth'], apiKeyAuth?: INamespaceSpec['apiKeyAuth']): NamespaceRow {
  const spec: INamespaceSpec = { name: id.split('.')[0]!, regions: ['local'], retentionDays: 1, mtlsAuth, ...(apiKeyAuth && { apiKeyAuth }) };
  return { id, name: spec.name!, resourceVersion, spec: canonicalSpecBytes(spec), asyncOperationId: '', operationType: '', operationFinishMs: 0, createdMs: 0, modifiedMs: 0 };
}

describe('policy cache', () => {
  let store: Store;
  let cache: PolicyCache;
  let reads = 0;
  let caPem: Buffer;

  before(async () => {
    caPem = Buffer.from((await makeCa('myco')).certificatePem);
    store = new Store(':memory:');
    const read = store.namespace.bind(store);
    store.namespace = (id) => {
      reads++;
      return read(id);
    };
    store.transaction(() => store.putNamespace(row('a.acct', 'v1', { enabled: true, acceptedClientCa: caPem })));
    cache = createPolicyCache(store);
  });
  after(() => {
    cache.close();
    store.close();
  });

  it('reads a namespace once, then answers from memory until the store reports a write to it', () => {
    reads = 0;
    const first = cache.policyOf('a.acct');
    assert.equal(first.kind === 'known' && first.mtls.kind, 'open');
    for (let i = 0; i < 100; i++) assert.equal(cache.policyOf('a.acct'), first);
    assert.equal(reads, 1);

    store.transaction(() => store.putNamespace(row('a.acct', 'v2', { enabled: true, acceptedClientCa: caPem, certificateFilters: [{ organization: 'myco' }] })));
    const second = cache.policyOf('a.acct');
    assert.notEqual(second, first);
    assert.equal(second.kind === 'known' && second.resourceVersion, 'v2');
    assert.equal(reads, 2);
  });

  it('writes to other namespaces leave an entry alone', () => {
    const kept = cache.policyOf('a.acct');
    reads = 0;
    store.transaction(() => store.putNamespace(row('b.acct', 'v1', { enabled: true })));
    assert.equal(cache.policyOf('a.acct'), kept);
    assert.equal(reads, 0);
  });

  it('closes the certificate half of a namespace without mTLS or without CAs, and forgets a deleted one', () => {
    store.transaction(() => store.putNamespace(row('c.acct', 'v1', { enabled: false, acceptedClientCa: caPem })));
    assert.deepEqual(cache.policyOf('c.acct'), {
      kind: 'known',
      resourceVersion: 'v1',
      authMethod: 'restricted',
      mtls: { kind: 'closed', reason: 'mTLS is not enabled on namespace c.acct (spec.mtls_auth.enabled is false)', code: 'mtls-disabled' },
      apiKey: false,
    });
    assert.match(mtlsOf(cache.policyOf('b.acct')).reason, /^namespace b\.acct accepts no client CA yet/);
    store.transaction(() => store.deleteNamespace('c.acct'));
    assert.deepEqual(cache.policyOf('c.acct'), { kind: 'unknown' });
    assert.equal(cache.exists('c.acct'), false);
    assert.equal(cache.exists('a.acct'), true);
  });

  it('stops listening when closed', () => {
    const other = createPolicyCache(store);
    const before = other.policyOf('a.acct');
    other.close();
    store.transaction(() => store.putNamespace(row('a.acct', 'v3', { enabled: true, acceptedClientCa: caPem })));
    assert.equal(other.policyOf('a.acct'), before, 'a closed cache is not told of writes (and is not used any more)');
  });

  it('closes a namespace whose stored spec does not decode, with a reason, instead of throwing', () => {
    store.transaction(() => store.putNamespace({ ...row('d.acct', 'v1', { enabled: true, acceptedClientCa: caPem }), spec: Buffer.from([0xff]) }));
    const policy = cache.policyOf('d.acct');
    assert.equal(policy.kind === 'known' && policy.apiKey, false);
    assert.match(mtlsOf(policy).reason, /^namespace d\.acct cannot be read: its stored spec does not decode/);
  });

  it('reads the auth method from the two switches: API keys alone, or API keys or mTLS', () => {
    store.transaction(() => store.putNamespace(row('k.acct', 'v1', { enabled: false }, { enabled: true })));
    assert.deepEqual(pick(cache.policyOf('k.acct')), { authMethod: 'api_key', apiKey: true, mtls: 'closed' });
    store.transaction(() => store.putNamespace(row('k.acct', 'v2', { enabled: true, acceptedClientCa: caPem }, { enabled: true })));
    assert.deepEqual(pick(cache.policyOf('k.acct')), { authMethod: 'api_key_or_mtls', apiKey: true, mtls: 'open' });
  });
});

function mtlsOf(policy: NamespacePolicy): { reason: string } {
  assert.ok(policy.kind === 'known' && policy.mtls.kind === 'closed', JSON.stringify(policy));
  return policy.mtls;
}

function pick(policy: NamespacePolicy) {
  assert.ok(policy.kind === 'known');
  return { authMethod: policy.authMethod, apiKey: policy.apiKey, mtls: policy.mtls.kind };
}
