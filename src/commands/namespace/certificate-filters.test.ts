import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { INamespace } from '../../cloud/proto.js';
import type { MutationOutcome } from '../cloud-flags.js';
import { run as add } from './cf-add.js';
import { run as clear } from './cf-clear.js';
import { run as exportFilters } from './cf-export.js';
import { run as importFilters } from './cf-import.js';
import { depsWithCloud, fakeCloud } from './fake-cloud.js';

const NS = 'myns.acct';
const withFilters = (...certificateFilters: object[]): INamespace => ({ namespace: NS, resourceVersion: 'v1', spec: { mtlsAuth: { enabled: true, certificateFilters } } });
const requested = (outcome: MutationOutcome) => {
  assert.equal(outcome.code, 'requested');
  return outcome.code === 'requested' ? outcome : assert.fail();
};

describe('n cf import', () => {
  it("shows the change as a diff of tcld's JSON, asks, and on yes replaces the filters", async () => {
    const cloud = fakeCloud([withFilters({ organization: 'old' })]);
    const { deps, questions, diagnostics } = depsWithCloud(cloud.client, { answers: [true] });
    const outcome = requested(await importFilters({ namespace: NS, certificateFilterInput: '{"filters":[{"organization":"new"}]}' }, deps));
    assert.deepEqual(questions, ['confirm certificate filter import operation']);
    assert.equal(diagnostics[0], 'this import will result in the following changes to certificate filters:');
    assert.ok(diagnostics.includes('-            "organization": "old",') && diagnostics.includes('+            "organization": "new",'), diagnostics.join('\n'));
    assert.deepEqual(cloud.updates.map((u) => u.spec.mtlsAuth?.certificateFilters?.map((f) => f.organization)), [['new']]);
    assert.equal(outcome.response.requestStatus.requestId, cloud.updates[0]!.asyncOperationId);
    assert.equal(outcome.response.requestStatus.state, 'Pending');
  });

  it('changes nothing when the answer is no', async () => {
    const cloud = fakeCloud([withFilters({ organization: 'old' })]);
    const outcome = await importFilters({ namespace: NS, certificateFilterInput: '{"filters":[]}' }, depsWithCloud(cloud.client, { answers: [false] }).deps);
    assert.deepEqual(outcome, { code: 'declined' });
    assert.deepEqual(cloud.updates, []);
  });

  it('asks nothing when the filters are already these, and --idempotent makes that a success', async () => {
    const cloud = fakeCloud([withFilters({ organization: 'same' })]);
    const faked = depsWithCloud(cloud.client);
    const input = '{"filters":[{"organization":"same"}]}';
    await assert.rejects(importFilters({ namespace: NS, certificateFilterInput: input }, faked.deps), /nothing to change: the namespace already has exactly these filters/);
    const outcome = await importFilters({ namespace: NS, certificateFilterInput: input, idempotent: true }, faked.deps);
    assert.deepEqual(outcome, { code: 'unchanged', reason: 'the namespace already has exactly these filters' });
    assert.deepEqual([faked.questions, cloud.updates], [[], []]);
  });
});

describe('n cf add', () => {
  it("shows the filters to add in tcld's JSON, asks, and appends them", async () => {
    const cloud = fakeCloud([withFilters({ organization: 'myco' })]);
    const { deps, questions, diagnostics } = depsWithCloud(cloud.client, { answers: [true] });
    requested(await add({ namespace: NS, certificateFilterInput: '{"filters":[{"commonName":"worker-*"}]}' }, deps));
    assert.deepEqual(questions, ['confirm add operation']);
    assert.equal(diagnostics[0], 'the following certificate filters will be added to the namespace:');
    assert.deepEqual(JSON.parse(diagnostics.slice(1).join('\n')), {
      filters: [{ commonName: 'worker-*', organization: '', organizationalUnit: '', subjectAlternativeName: '' }],
    });
    assert.deepEqual(cloud.updates[0]!.spec.mtlsAuth?.certificateFilters?.map((f) => f.commonName || f.organization), ['myco', 'worker-*']);
  });

  it('refuses a filter already there before asking, and a no sends nothing', async () => {
    const cloud = fakeCloud([withFilters({ organization: 'myco' })]);
    const faked = depsWithCloud(cloud.client);
    await assert.rejects(add({ namespace: NS, certificateFilterInput: '{"filters":[{"organization":"MYCO"}]}' }, faked.deps), /already exists/);
    assert.deepEqual(faked.questions, []);
    assert.deepEqual(await add({ namespace: NS, certificateFilterInput: '{"filters":[{"organization":"other"}]}' }, faked.deps), { code: 'declined' });
    assert.deepEqual(cloud.updates, []);
  });
});

describe('n cf clear', () => {
  it('shows the filters that go and asks with tcld\'s warning; no changes nothing, yes clears them', async () => {
    const cloud = fakeCloud([withFilters({ organization: 'myco' })]);
    const declined = depsWithCloud(cloud.client, { answers: [false] });
    assert.deepEqual(await clear({ namespace: NS }, declined.deps), { code: 'declined' });
    assert.equal(declined.diagnostics[0], 'all certificate filters will be removed:');
    assert.match(declined.questions[0]!, /^this will allow any client certificate that chains up to a configured CA in the bundle to connect to the namespace\. confirm clear operation$/);
    assert.equal(cloud.updates.length, 0);
    requested(await clear({ namespace: NS }, depsWithCloud(cloud.client, { answers: [true] }).deps));
    assert.deepEqual(cloud.updates[0]!.spec.mtlsAuth?.certificateFilters, []);
  });

  it('asks nothing when there is no filter to clear', async () => {
    const cloud = fakeCloud([withFilters()]);
    const faked = depsWithCloud(cloud.client);
    assert.deepEqual(await clear({ namespace: NS, idempotent: true }, faked.deps), { code: 'unchanged', reason: 'the namespace has no certificate filters' });
    assert.deepEqual(faked.questions, []);
  });
});

describe('n cf export', () => {
  it('prints the filters as tcld does and writes the same text to -f', async () => {
    const cloud = fakeCloud([withFilters({ organization: 'myco', commonName: 'w*' })]);
    const faked = depsWithCloud(cloud.client);
    const printed = await exportFilters({ namespace: NS, certificateFilterFile: 'out.json' }, faked.deps);
    const expected = { filters: [{ commonName: 'w*', organization: 'myco', organizationalUnit: '', subjectAlternativeName: '' }] };
    assert.deepEqual(printed, { format: 'json', value: expected, indent: 4, notes: [] });
    assert.equal(faked.stored.get('out.json'), `${JSON.stringify(expected, null, 4)}\n`);
  });

  it('prints {} for a namespace without filters, as tcld does', async () => {
    const printed = await exportFilters({ namespace: NS }, depsWithCloud(fakeCloud([withFilters()]).client).deps);
    assert.deepEqual(printed, { format: 'json', value: {}, indent: 4, notes: [] });
  });
});
