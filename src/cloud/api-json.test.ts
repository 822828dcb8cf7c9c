import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apiJson } from './api-json.js';

describe('apiJson', () => {
  it('writes Timestamps as RFC 3339 and Durations as seconds, with enums by name and bytes as base64', () => {
    const operation = apiJson('AsyncOperation', {
      id: 'op-1',
      state: 1,
      startedTime: { seconds: 1714557600, nanos: 0 },
      checkDuration: { seconds: 0, nanos: 200_000_000 },
    });
    assert.deepEqual(operation, { id: 'op-1', state: 'STATE_PENDING', startedTime: '2024-05-01T10:00:00Z', checkDuration: '0.200s' });
    const namespace = apiJson('Namespace', { namespace: 'a.b', spec: { mtlsAuth: { acceptedClientCa: Buffer.from('PEM') } }, state: 3 });
    assert.deepEqual(namespace['spec'], { mtlsAuth: { acceptedClientCa: Buffer.from('PEM').toString('base64') } });
    assert.equal(namespace['state'], 'RESOURCE_STATE_ACTIVE');
  });

  it('rewrites times inside repeated fields of nested messages', () => {
    const page = apiJson('GetNamespacesResponse', {
      namespaces: [{ namespace: 'a.b', createdTime: { seconds: 1714557600, nanos: 5_000_000 } }, { namespace: 'c.d' }],
      nextPageToken: 'next',
    });
    assert.deepEqual(page, { namespaces: [{ namespace: 'a.b', createdTime: '2024-05-01T10:00:00.005Z' }, { namespace: 'c.d' }], nextPageToken: 'next' });
  });
});
