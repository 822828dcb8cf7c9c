import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canonicalSpecBytes } from './canonical.js';
import { messages } from './messages.js';

const hex = (spec: object) => Buffer.from(canonicalSpecBytes(spec)).toString('hex');

describe('canonicalSpecBytes', () => {
  it('gives a spec with defaults spelled out the bytes of the same spec without them', () => {
    const bare = { name: 'ns', regions: ['r'], retentionDays: 7, mtlsAuth: { enabled: true } };
    const spelled = { ...bare, mtlsAuth: { enabled: true, acceptedClientCa: new Uint8Array(), acceptedClientCaDeprecated: '', certificateFilters: [] }, connectivityRuleIds: [], customSearchAttributes: {} };
    assert.equal(hex(spelled), hex(bare));
  });

  it('sorts map entries, so their order does not matter', () => {
    const a = { name: 'ns', customSearchAttributes: { b: 'Keyword', a: 'Text' } };
    const b = { name: 'ns', customSearchAttributes: { a: 'Text', b: 'Keyword' } };
    assert.equal(hex(a), hex(b));
  });

  it('keeps an empty sub-message apart from an absent one, and a change in any field apart', () => {
    assert.notEqual(hex({ name: 'ns', mtlsAuth: {} }), hex({ name: 'ns' }));
    assert.notEqual(hex({ name: 'ns', retentionDays: 7 }), hex({ name: 'ns', retentionDays: 8 }));
    assert.notEqual(hex({ name: 'ns', mtlsAuth: { certificateFilters: [{ commonName: 'a' }] } }), hex({ name: 'ns', mtlsAuth: { certificateFilters: [{ commonName: 'b' }] } }));
  });

  it('is stable across a decode and re-encode, as a spec read back from the store is', () => {
    const bytes = canonicalSpecBytes({ name: 'ns', regions: ['r'], mtlsAuth: { enabled: true, acceptedClientCa: Buffer.from('pem') } });
    assert.deepEqual(canonicalSpecBytes(messages().NamespaceSpec.decode(bytes)), bytes);
  });
});
