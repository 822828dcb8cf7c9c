import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { makeCa, makeLeaf } from '../gateway/test-support.js';
import type { Emulator } from '../index.js';
import { connectOfficialClient, grpcError, manualClock, startTestEmulator, status, type OfficialClient } from '../test-support.js';
import type { GeneratedCertificate } from '../../pki/ca.js';
import { generateCertificateAuthority } from '../../pki/ca.js';

const DAY_MS = 86_400_000;

describe('GetAccount and UpdateAccount, through the official client', () => {
  const clock = manualClock(Date.now());
  let emulator: Emulator;
  let official: OfficialClient;
  let ca: GeneratedCertificate;
  /** The resource version the first update was sent with: its retry sends it again. */
  let firstVersion = '';
  before(async () => {
    emulator = await startTestEmulator({ account: 'acct', accountMetricsPort: 0, asyncDelayMs: 100, now: clock.now });
    official = await connectOfficialClient(emulator);
    ca = await makeCa('metrics-ca', clock.now());
  });
  after(async () => {
    official.close();
    await emulator.close();
  });

  const account = async () => (await official.cloud.getAccount({})).account!;
  const update = (acceptedClientCa: string | Uint8Array, resourceVersion?: string, asyncOperationId?: string) =>
    account().then((current) =>
      official.cloud.updateAccount({
        spec: { metrics: { acceptedClientCa: typeof acceptedClientCa === 'string' ? Buffer.from(acceptedClientCa) : acceptedClientCa } },
        resourceVersion: resourceVersion ?? current.resourceVersion!,
        ...(asyncOperationId !== undefined && { asyncOperationId }),
      }),
    );

  it('starts with no metrics CA, ACTIVE, and reports no metrics URI: the endpoint is off', async () => {
    const found = await account();
    assert.equal(found.id, 'acct');
    assert.equal(Buffer.from(found.spec?.metrics?.acceptedClientCa ?? []).length, 0);
    assert.equal(found.state, 3 /* RESOURCE_STATE_ACTIVE */);
    assert.equal(found.metrics, null);
    assert.match(found.resourceVersion!, /^[0-9a-f-]{36}$/);
  });

  it('sets a bundle with an async operation, UPDATING until it is fulfilled, and then reports the metrics URI', async () => {
    const before = await account();
    firstVersion = before.resourceVersion!;
    const response = await update(ca.certificatePem, undefined, 'op-account-1');
    assert.equal(response.asyncOperation?.id, 'op-account-1');
    assert.equal(response.asyncOperation?.operationType, 'update-account');
    const after = await account();
    assert.notEqual(after.resourceVersion, before.resourceVersion);
    assert.equal(after.state, 4 /* RESOURCE_STATE_UPDATING */);
    assert.equal(after.asyncOperationId, 'op-account-1');
    assert.equal(Buffer.from(after.spec!.metrics!.acceptedClientCa!).toString(), ca.certificatePem);
    assert.equal(after.metrics?.uri, emulator.accountMetrics!.uri);
    assert.match(after.metrics!.uri!, /^https:\/\/127\.0\.0\.1:\d+\/prometheus$/);
    clock.advance(100);
    assert.equal((await account()).state, 3);
    assert.equal((await official.cloud.getAsyncOperation({ asyncOperationId: 'op-account-1' })).asyncOperation?.state, 5 /* STATE_FULFILLED */);
  });

  it('answers a retry of the same request with its first operation, and refuses the ID for another request', async () => {
    const retried = await official.cloud.updateAccount({ spec: { metrics: { acceptedClientCa: Buffer.from(ca.certificatePem) } }, resourceVersion: firstVersion, asyncOperationId: 'op-account-1' });
    assert.equal(retried.asyncOperation?.id, 'op-account-1');
    const reused = await grpcError(() => official.cloud.updateAccount({ spec: {}, resourceVersion: '', asyncOperationId: 'op-account-1' }));
    assert.equal(reused.code, status.ALREADY_EXISTS);
  });

  it('refuses a stale resource version, and a spec that changes nothing, leaving the account as it was', async () => {
    const current = await account();
    const stale = await grpcError(() => update('', 'not-the-version'));
    assert.equal(stale.code, status.FAILED_PRECONDITION);
    assert.match(stale.details, /resource_version "not-the-version" is stale: account "acct" is at /);
    const same = await grpcError(() => update(ca.certificatePem));
    assert.deepEqual([same.code, same.details], [status.INVALID_ARGUMENT, 'nothing to change']);
    assert.equal((await account()).resourceVersion, current.resourceVersion);
  });

  it("refuses a bundle that breaks Temporal Cloud's rules, with the namespace's messages under the account's field", async () => {
    const current = await account();
    const expired = await generateCertificateAuthority({ organization: 'old', validityMs: 8 * DAY_MS, now: new Date(clock.now().getTime() - 10 * DAY_MS) });
    const expiredError = await grpcError(() => update(expired.certificatePem));
    assert.equal(expiredError.code, status.INVALID_ARGUMENT);
    assert.match(expiredError.details, /^spec\.metrics\.accepted_client_ca: .*expired/);
    const leaf = await makeLeaf(ca, { now: clock.now() });
    assert.match((await grpcError(() => update(leaf.certificatePem))).details, /^spec\.metrics\.accepted_client_ca: .*not a CA/);
    const many = Array.from({ length: 17 }, () => ca.certificatePem).join('');
    assert.match((await grpcError(() => update(many))).details, /^spec\.metrics\.accepted_client_ca: the bundle holds 17 PEM blocks, more than the 16/);
    assert.match((await grpcError(() => update('-----BEGIN CERTIFICATE-----\nnot base64\n-----END CERTIFICATE-----\n'))).details, /^spec\.metrics\.accepted_client_ca: /);
    assert.equal((await account()).resourceVersion, current.resourceVersion);
  });

  it('turns the endpoint off with an empty bundle: no URI is reported', async () => {
    await update('');
    const found = await account();
    assert.equal(Buffer.from(found.spec?.metrics?.acceptedClientCa ?? []).length, 0);
    assert.equal(found.metrics, null);
  });
});

describe('GetAccount without an account metrics endpoint', () => {
  it('keeps the bundle but reports no URI, since nothing serves it', async () => {
    const emulator = await startTestEmulator();
    const official = await connectOfficialClient(emulator);
    try {
      const ca = await makeCa('kept');
      const current = (await official.cloud.getAccount({})).account!;
      assert.equal(current.id, 'local');
      await official.cloud.updateAccount({ spec: { metrics: { acceptedClientCa: Buffer.from(ca.certificatePem) } }, resourceVersion: current.resourceVersion! });
      const found = (await official.cloud.getAccount({})).account!;
      assert.equal(Buffer.from(found.spec!.metrics!.acceptedClientCa!).toString(), ca.certificatePem);
      assert.equal(found.metrics, null);
    } finally {
      official.close();
      await emulator.close();
    }
  });
});
