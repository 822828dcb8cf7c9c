import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { UserError, errorKind } from '../../errors.js';
import { DAY_MS, FIXED_NOW, makeTestCertificate, testKey, testName } from '../../pki/test-support.js';
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

  it('refuses an RSA-1024 CA before sending anything, as Temporal Cloud would refuse the bundle (exit 1)', async () => {
    const small = await makeTestCertificate({ subject: testName(['2.5.4.3', 'rsa-1024-root']), key: testKey({ rsaBits: 1024 }) });
    const cloud = fakeCloud([{ namespace: 'myns.acct', resourceVersion: 'v1', spec: { mtlsAuth: { acceptedClientCa: Buffer.alloc(0) } } }]);
    const deps: Deps = { ...bytesDeps({ 'small.pem': small }).deps, cloud: async () => cloud.client };
    await assert.rejects(run({ namespace: 'myns.acct', caCertificateFile: 'small.pem' }, deps), (error: unknown) => {
      assert.ok(error instanceof UserError && errorKind(error) === 'user');
      assert.match(error.message, /^the resulting CA bundle would be refused: certificate CN=rsa-1024-root \(fingerprint [0-9a-f]{8}\) has an RSA key of 1024 bits: use at least 2048$/);
      return true;
    });
    assert.deepEqual(cloud.updates, []);
  });

  it('leaves what the service already holds to the service: an RSA-1024 CA it took long ago does not stop an addition, but is checked when an expired CA leaves', async () => {
    const small = await makeTestCertificate({ subject: testName(['2.5.4.3', 'rsa-1024-root']), key: testKey({ rsaBits: 1024 }) });
    const { cloud, deps } = setUp(small);
    const outcome = await run({ namespace: 'myns.acct', caCertificateFile: 'ca.pem' }, deps);
    assert.equal(outcome.code, 'requested');
    assert.equal(cloud.updates.length, 1);
    const expired = await makeTestCertificate({ subject: testName(['2.5.4.3', 'old-root']), key: testKey(), notBefore: new Date(FIXED_NOW.getTime() - 60 * DAY_MS), notAfter: new Date(FIXED_NOW.getTime() - DAY_MS) });
    const withExpired = setUp(small + expired);
    await assert.rejects(run({ namespace: 'myns.acct', caCertificateFile: 'ca.pem', removeExpired: true }, withExpired.deps), /has an RSA key of 1024 bits/);
    assert.deepEqual(withExpired.cloud.updates, []);
  });
});
