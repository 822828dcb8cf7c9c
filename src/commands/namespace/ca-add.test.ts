import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { bytesDeps, makePki, type Pki } from '../certificates/test-fixtures.js';
import type { Deps } from '../deps.js';
import { run } from './ca-add.js';
import { fakeCloud } from './fake-cloud.js';

describe('n ca a', () => {
  let pki: Pki;
  before(async () => {
    pki = await makePki();
  });

  function setUp(bundle = '') {
    const cloud = fakeCloud([{ namespace: 'myns.acct', resourceVersion: 'v1', spec: { mtlsAuth: { acceptedClientCa: Buffer.from(bundle) } } }]);
    const faked = bytesDeps({ 'ca.pem': pki.otherCa.certificatePem });
    const deps: Deps = { ...faked.deps, cloud: async () => cloud.client };
    return { cloud, deps, diagnostics: faked.diagnostics };
  }

  it("returns tcld's UpdateNamespaceResponse for the request it sent, with a summary for people", async () => {
    const { cloud, deps } = setUp();
    const outcome = await run({ namespace: 'myns.acct', caCertificateFile: 'ca.pem', requestId: 'mine' }, deps);
    assert.equal(outcome.code, 'requested');
    if (outcome.code !== 'requested') return;
    assert.deepEqual(outcome.response.requestStatus, {
      requestId: 'mine',
      state: 'Pending',
      checkDuration: '0.150s',
      operationType: 'update-namespace',
      resourceId: 'myns.acct',
      resourceType: 'namespace',
      failureReason: '',
      startTime: '2024-05-01T10:00:00Z',
      finishTime: null,
      approval: null,
    });
    assert.equal(outcome.summary, 'namespace myns.acct: added 1 CA certificate (request mine, Pending)');
    assert.equal(cloud.updates[0]!.asyncOperationId, 'mine');
  });

  it('with --wait, returns the final state of the request', async () => {
    const { deps, diagnostics } = setUp();
    const outcome = await run({ namespace: 'myns.acct', caCertificateFile: 'ca.pem', wait: true }, deps);
    assert.equal(outcome.code === 'requested' && outcome.response.requestStatus.state, 'Fulfilled');
    assert.equal(outcome.code === 'requested' && outcome.response.requestStatus.finishTime, '2024-05-01T10:00:01.250Z');
    assert.match(diagnostics[0]!, /^waiting for request .+ to finish$/);
  });

  it('with --idempotent and the CA already there, sends nothing and says why', async () => {
    const { cloud, deps } = setUp(pki.otherCa.certificatePem);
    const outcome = await run({ namespace: 'myns.acct', caCertificateFile: 'ca.pem', idempotent: true }, deps);
    assert.equal(outcome.code, 'unchanged');
    assert.match(outcome.code === 'unchanged' ? outcome.reason : '', /already exists/);
    assert.deepEqual(cloud.updates, []);
  });
});
