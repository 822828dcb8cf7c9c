import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorKind } from '../../errors.js';
import { depsWithCloud, fakeCloud } from './fake-cloud.js';
import { run as get } from './get.js';
import { run as list } from './list.js';

const namespaces = ['a.acct', 'b.acct', 'c.acct'].map((namespace) => ({ namespace, state: 3, spec: { mtlsAuth: { enabled: true } } }));

describe('n l', () => {
  it("prints every namespace ID and an empty nextPageToken without paging flags, as tcld's ListNamespacesResponse", async () => {
    const cloud = fakeCloud(namespaces);
    const printed = await list({}, depsWithCloud(cloud.client).deps);
    assert.deepEqual(printed, { format: 'json', value: { namespaces: ['a.acct', 'b.acct', 'c.acct'], nextPageToken: '' }, indent: '\t', notes: [] });
    assert.deepEqual(cloud.pageRequests, []);
  });

  it('prints one page and its token with --page-size, and the next page with --page-token', async () => {
    const cloud = fakeCloud(namespaces);
    const { deps } = depsWithCloud(cloud.client);
    const first = await list({ pageSize: '2' }, deps);
    assert.deepEqual(first.format === 'json' && first.value, { namespaces: ['a.acct', 'b.acct'], nextPageToken: '2' });
    const second = await list({ pageSize: '2', pageToken: '2' }, deps);
    assert.deepEqual(second.format === 'json' && second.value, { namespaces: ['c.acct'], nextPageToken: '' });
    assert.deepEqual(cloud.pageRequests, [{ pageSize: 2, pageToken: '' }, { pageSize: 2, pageToken: '2' }]);
  });

  it('refuses a page size out of 1..1000 or not a number with tcld\'s messages, as usage errors, before connecting', async () => {
    const cloud = fakeCloud(namespaces);
    const { deps } = depsWithCloud(cloud.client);
    for (const [pageSize, message] of [
      ['0', /^page size cannot be less than or equal to 0$/],
      ['1001', /^page size cannot be greater than 1000$/],
      ['ten', /^--page-size must be a whole number, not "ten"$/],
    ] as const) {
      await assert.rejects(list({ pageSize }, deps), (e: Error) => errorKind(e) === 'usage' && message.test(e.message));
    }
    assert.deepEqual(cloud.pageRequests, []);
  });

  it('prints a table with the next page token on stderr, or the API\'s own page with --output api', async () => {
    const cloud = fakeCloud(namespaces);
    const { deps } = depsWithCloud(cloud.client);
    const table = await list({ pageSize: '2', output: 'table' }, deps);
    assert.equal(table.format, 'table');
    assert.deepEqual(table.format === 'table' && table.rows.map((r) => r.slice(0, 3)), [['a.acct', 'Active', 'Mtls'], ['b.acct', 'Active', 'Mtls']]);
    assert.deepEqual(table.notes, ['more namespaces: --page-token 2']);
    const api = await list({ output: 'api' }, deps);
    assert.deepEqual(api.format === 'json' && (api.value as { namespaces: Array<{ state: string }> }).namespaces.map((n) => n.state), Array(3).fill('RESOURCE_STATE_ACTIVE'));
  });
});

describe('n g', () => {
  it("prints tcld's Namespace by default, and the API's Namespace with --output api", async () => {
    const cloud = fakeCloud([{ namespace: 'a.acct', resourceVersion: 'rv-1', state: 3, spec: { mtlsAuth: { acceptedClientCa: Buffer.from('PEM') } } }]);
    const { deps } = depsWithCloud(cloud.client);
    const printed = await get({ namespace: 'a.acct' }, deps);
    const value = (printed.format === 'json' ? printed.value : {}) as { resourceVersion: string; state: string; spec: { acceptedClientCa: string } };
    assert.deepEqual([value.resourceVersion, value.state, value.spec.acceptedClientCa], ['rv-1', 'Active', Buffer.from('PEM').toString('base64')]);
    assert.equal(printed.format === 'json' && printed.indent, '\t');
    const api = await get({ namespace: 'a.acct', output: 'api' }, deps);
    assert.equal(api.format === 'json' && (api.value as { state: string }).state, 'RESOURCE_STATE_ACTIVE');
  });
});
