import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { UserError } from '../../errors.js';
import { makePki, type Pki } from '../certificates/test-fixtures.js';
import { depsWithCloud, fakeCloud } from '../namespace/fake-cloud.js';
import { run as caAdd } from './ca-add.js';
import { run as caList } from './ca-list.js';
import { run as caRemove } from './ca-remove.js';
import { run as get } from './get.js';
import { run as disable } from './metrics-disable.js';
import { run as enable } from './metrics-enable.js';

const URI = 'https://127.0.0.1:7391/prometheus';

describe('tcld account', () => {
  let pki: Pki;
  before(async () => {
    pki = await makePki();
  });

  /** The fake Cloud with an account holding `bundle` (and the URI while it holds one), and deps answering `answers`. */
  function setUp(bundle = '', answers: boolean[] = []) {
    const cloud = fakeCloud([], { id: 'acct', resourceVersion: 'a1', spec: { metrics: { acceptedClientCa: Buffer.from(bundle) } }, ...(bundle && { metrics: { uri: URI } }) });
    const faked = depsWithCloud(cloud.client, { files: { 'ca.pem': pki.otherCa.certificatePem, 'old.pem': pki.ca.certificatePem }, answers });
    const bundleNow = () => Buffer.from(cloud.account().spec?.metrics?.acceptedClientCa ?? []).toString();
    return { cloud, bundleNow, ...faked };
  }

  it('a m enable is refused until the account has a metrics CA, as tcld, and sends nothing', async () => {
    const { cloud, deps } = setUp();
    await assert.rejects(enable({}, deps), (error: unknown) => error instanceof UserError && /^metrics endpoint cannot be enabled until ca certificates have been configured: add one with tcld account metrics accepted-client-ca add/.test(error.message));
    assert.deepEqual(cloud.accountUpdates, []);
  });

  it('a m enable with a metrics CA says the endpoint is already on, where, and sends nothing (exit 0)', async () => {
    const { cloud, deps } = setUp(pki.otherCa.certificatePem);
    assert.deepEqual(await enable({}, deps), { code: 'unchanged', reason: `the metrics endpoint is already enabled at ${URI}: it is on while the account has a metrics CA (it has 1)` });
    assert.deepEqual(cloud.accountUpdates, []);
  });

  it("a m ca a adds to the account's metrics bundle, answering tcld's RequestStatus for the account", async () => {
    const { cloud, deps, bundleNow } = setUp();
    const outcome = await caAdd({ caCertificateFile: 'ca.pem', requestId: 'mine' }, deps);
    assert.equal(outcome.code, 'requested');
    if (outcome.code !== 'requested') return;
    assert.deepEqual([outcome.response.requestStatus.resourceId, outcome.response.requestStatus.resourceType, outcome.response.requestStatus.operationType], ['acct', 'account', 'update-account']);
    assert.equal(outcome.summary, 'account acct: added 1 CA certificate (request mine, Pending)');
    assert.deepEqual([cloud.accountUpdates.length, cloud.accountUpdates[0]!.resourceVersion, bundleNow()], [1, 'a1', pki.otherCa.certificatePem]);
  });

  it("names the account's bundle when it holds an expired CA, and --remove-expired drops it in the same update", async () => {
    const later = new Date(pki.ca.notAfter.getTime() + 1000);
    const { deps, bundleNow } = setUp(pki.ca.certificatePem);
    const atLater = { ...deps, now: () => later };
    await assert.rejects(caAdd({ caCertificateFile: 'ca.pem' }, atLater), /^UserError: the account's metrics CA bundle holds expired certificates, which Temporal Cloud refuses in any update: .*; add --remove-expired/);
    const outcome = await caAdd({ caCertificateFile: 'ca.pem', removeExpired: true }, atLater);
    assert.equal(outcome.code === 'requested' && outcome.summary.startsWith('account acct: added 1 CA certificate, removed 1 expired'), true);
    assert.equal(bundleNow(), pki.otherCa.certificatePem);
  });

  it('a m ca r of the last CA asks first, saying it turns the endpoint off; no sends nothing', async () => {
    const { cloud, deps, questions } = setUp(pki.otherCa.certificatePem, [false]);
    assert.deepEqual(await caRemove({ caCertificateFile: 'ca.pem' }, deps), { code: 'declined' });
    assert.deepEqual(questions, [
      "removing 1 CA certificate(s) from the account's metrics endpoint; clients with certificates they issued will be refused; it is left with no CA, which turns the metrics endpoint off. confirm:",
    ]);
    assert.deepEqual(cloud.accountUpdates, []);
  });

  it('a m disable empties the bundle after a yes, and is nothing to change once it is empty', async () => {
    const { deps, questions, bundleNow } = setUp(pki.otherCa.certificatePem, [true]);
    const outcome = await disable({}, deps);
    assert.equal(outcome.code === 'requested' && outcome.summary.startsWith('account acct: removed all 1 CA certificates'), true);
    assert.match(questions[0]!, /^removing every accepted CA certificate from the account's metrics endpoint; .*which turns the metrics endpoint off\. confirm:$/);
    assert.equal(bundleNow(), '');
    await assert.rejects(disable({}, deps), { message: "nothing to change: the metrics endpoint is already disabled: the account's metrics CA bundle is empty (--idempotent accepts this)" });
    assert.deepEqual(await disable({ idempotent: true }, deps), { code: 'unchanged', reason: "the metrics endpoint is already disabled: the account's metrics CA bundle is empty" });
  });

  it("a m ca l lists the account's CAs as n ca l lists a namespace's", async () => {
    const { deps } = setUp(pki.otherCa.certificatePem);
    const listed = await caList({}, deps);
    assert.equal(listed.format, 'json');
    const entries = (listed as { value: Array<{ subject: string; base64EncodedData: string }> }).value;
    assert.deepEqual(
      entries.map((e) => [e.subject.includes('O=other'), Buffer.from(e.base64EncodedData, 'base64').toString()]),
      [[true, pki.otherCa.certificatePem.trimEnd()]],
    );
  });

  it("a g prints the account as tcld does, with its ID, and a summary row with -o table", async () => {
    const { deps } = setUp(pki.otherCa.certificatePem);
    const printed = await get({}, deps);
    assert.deepEqual(printed.format === 'json' && printed.value, {
      id: 'acct',
      resourceVersion: 'a1',
      spec: { metrics: { enabled: true, acceptedClientCa: Buffer.from(pki.otherCa.certificatePem).toString('base64') }, outputSinks: {} },
      state: 'Unspecified',
      requestId: '',
      createdTime: null,
      lastModifiedTime: null,
      metrics: { uri: URI },
      awsExternalId: '',
      outputSinks: {},
      gcpSinkSettings: null,
      cloudProvidersAvailable: [],
    });
    const table = await get({ output: 'table' }, deps);
    assert.deepEqual(table.format === 'table' && [table.header, table.rows], [
      ['ACCOUNT', 'STATE', 'METRICS ENDPOINT', 'METRICS CAS', 'FIRST CA EXPIRY'],
      [['acct', 'Unspecified', URI, '1', pki.otherCa.notAfter.toISOString().replace('.000Z', 'Z')]],
    ]);
    const off = await get({ output: 'table' }, setUp().deps);
    assert.deepEqual(off.format === 'table' && off.rows[0]!.slice(2), ['off (no metrics CA)', '0', '-']);
  });
});
