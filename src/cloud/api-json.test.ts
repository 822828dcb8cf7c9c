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

  it("writes an operation's input, an Any, as protobuf's JSON: its type URL as @type, then the message's fields", () => {
    const url = 'type.googleapis.com/temporal.api.cloud.cloudservice.v1.GetNamespaceRequest';
    // GetNamespaceRequest { namespace: "abc" }: field 1, length 3.
    const json = apiJson('AsyncOperation', { id: 'op1', operationInput: { type_url: url, value: Buffer.from([10, 3, 97, 98, 99]) } });
    assert.deepEqual(json['operationInput'], { '@type': url, namespace: 'abc' });
  });

  it('keeps the bytes of an Any whose type the client does not know, beside its type URL', () => {
    const url = 'type.googleapis.com/temporal.api.cloud.somewhere.v1.Unknown';
    const json = apiJson('AsyncOperation', { id: 'op1', operationInput: { type_url: url, value: Buffer.from([1, 2, 3]) } });
    assert.deepEqual(json['operationInput'], { '@type': url, value: 'AQID' });
  });
});
