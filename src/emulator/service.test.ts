import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Emulator } from './index.js';
import { connectOfficialClient, grpcError, manualClock, startTestEmulator, status } from './test-support.js';

type Client = Awaited<ReturnType<typeof connectOfficialClient>>;

const SPEC = { name: 'orders', regions: ['aws-us-east-1'], retentionDays: 7, apiKeyAuth: { enabled: true } };
const DELAY = 2000;

describe('emulator, through the official @temporalio/cloud client', () => {
  const clock = manualClock();
  let emulator: Emulator;
  let c: Client;
  before(async () => {
    emulator = await startTestEmulator({ namespaces: ['seeded.acct'], account: 'acct', asyncDelayMs: DELAY, now: clock.now });
    c = await connectOfficialClient(emulator);
  });
  after(async () => {
    c.close();
    await emulator.close();
  });

  it('GetNamespace › returns a namespace seeded with --namespace: mTLS on, empty bundle, endpoints, ACTIVE', async () => {
    const { namespace } = await c.cloud.getNamespace({ namespace: 'seeded.acct' });
    assert.equal(namespace?.namespace, 'seeded.acct');
    assert.equal(namespace?.spec?.name, 'seeded');
    assert.equal(namespace?.spec?.mtlsAuth?.enabled, true);
    assert.equal(namespace?.spec?.mtlsAuth?.acceptedClientCa?.length ?? 0, 0);
    assert.equal(namespace?.spec?.retentionDays, 30);
    assert.equal(namespace?.stateDeprecated, 'active');
    assert.equal(namespace?.state, 3 /* RESOURCE_STATE_ACTIVE */);
    assert.deepEqual({ ...namespace?.endpoints }, {
      webAddress: 'seeded.acct.web.tmprl.local',
      grpcAddress: `seeded.acct.tmprl.local:${emulator.gateway.port}`,
      mtlsGrpcAddress: `seeded.acct.tmprl.local:${emulator.gateway.port}`,
    });
    assert.match(namespace?.resourceVersion ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(Number(namespace?.createdTime?.seconds), Math.floor(clock.now().getTime() / 1000));
  });

  it('GetNamespace › answers NOT_FOUND for an unknown namespace', async () => {
    const error = await grpcError(() => c.cloud.getNamespace({ namespace: 'nope.acct' }));
    assert.equal(error.code, status.NOT_FOUND);
    assert.match(error.details, /nope\.acct/);
  });

  it('CreateNamespace › creates <name>.<account>, pending then fulfilled after the async delay', async () => {
    const created = await c.cloud.createNamespace({ spec: SPEC });
    assert.equal(created.namespace, 'orders.acct');
    const operation = created.asyncOperation!;
    assert.equal(operation.stateDeprecated, 'pending');
    assert.equal(operation.state, 1 /* STATE_PENDING */);
    assert.equal(operation.operationType, 'create-namespace');

    const activating = (await c.cloud.getNamespace({ namespace: 'orders.acct' })).namespace!;
    assert.equal(activating.stateDeprecated, 'activating');
    assert.equal(activating.asyncOperationId, operation.id);
    assert.deepEqual(activating.spec?.regions, SPEC.regions);

    clock.advance(DELAY - 1);
    assert.equal((await c.cloud.getAsyncOperation({ asyncOperationId: operation.id! })).asyncOperation?.stateDeprecated, 'pending');
    clock.advance(1);
    const done = (await c.cloud.getAsyncOperation({ asyncOperationId: operation.id! })).asyncOperation!;
    assert.equal(done.stateDeprecated, 'fulfilled');
    assert.equal(done.state, 5 /* STATE_FULFILLED */);
    assert.equal(Number(done.finishedTime?.seconds) - Number(done.startedTime?.seconds), DELAY / 1000);
    assert.equal((await c.cloud.getNamespace({ namespace: 'orders.acct' })).namespace?.stateDeprecated, 'active');
  });

  it('CreateNamespace › answers ALREADY_EXISTS for a namespace that exists', async () => {
    const error = await grpcError(() => c.cloud.createNamespace({ spec: { ...SPEC, name: 'seeded' } }));
    assert.equal(error.code, status.ALREADY_EXISTS);
  });

  it('CreateNamespace › refuses an invalid name, no region and an out-of-range retention, naming each', async () => {
    const error = await grpcError(() => c.cloud.createNamespace({ spec: { name: 'Bad_Name', regions: [], retentionDays: 0 } }));
    assert.equal(error.code, status.INVALID_ARGUMENT);
    assert.match(error.details, /spec\.name: namespace name "Bad_Name" contains "B": use 2 to 39 lowercase letters/);
    assert.match(error.details, /spec\.regions/);
    assert.match(error.details, /retention_days must be between 1 and 90 \(got 0\)/);
  });

  it('UpdateNamespace › gives a new resource_version and applies the spec', async () => {
    await c.cloud.createNamespace({ spec: { ...SPEC, name: 'upd' } });
    const before = (await c.cloud.getNamespace({ namespace: 'upd.acct' })).namespace!;
    const { asyncOperation } = await c.cloud.updateNamespace({
      namespace: 'upd.acct',
      spec: { ...SPEC, name: 'upd', retentionDays: 14 },
      resourceVersion: before.resourceVersion!,
    });
    assert.equal(asyncOperation?.operationType, 'update-namespace');
    const after = (await c.cloud.getNamespace({ namespace: 'upd.acct' })).namespace!;
    assert.notEqual(after.resourceVersion, before.resourceVersion);
    assert.equal(after.spec?.retentionDays, 14);
    assert.equal(after.stateDeprecated, 'updating');
    assert.equal(after.asyncOperationId, asyncOperation?.id);
    clock.advance(DELAY);
    assert.equal((await c.cloud.getNamespace({ namespace: 'upd.acct' })).namespace?.stateDeprecated, 'active');
  });

  it('UpdateNamespace › refuses a stale resource_version with FAILED_PRECONDITION', async () => {
    const current = (await c.cloud.getNamespace({ namespace: 'seeded.acct' })).namespace!;
    const spec = { ...current.spec, retentionDays: 10 };
    await c.cloud.updateNamespace({ namespace: 'seeded.acct', spec, resourceVersion: current.resourceVersion! });
    const error = await grpcError(() =>
      c.cloud.updateNamespace({ namespace: 'seeded.acct', spec: { ...spec, retentionDays: 11 }, resourceVersion: current.resourceVersion! }),
    );
    assert.equal(error.code, status.FAILED_PRECONDITION);
    assert.match(error.details, /stale/);
    assert.equal((await c.cloud.getNamespace({ namespace: 'seeded.acct' })).namespace?.spec?.retentionDays, 10);
  });

  it('UpdateNamespace › accepts an empty resource_version as "no check"', async () => {
    const current = (await c.cloud.getNamespace({ namespace: 'seeded.acct' })).namespace!;
    await c.cloud.updateNamespace({ namespace: 'seeded.acct', spec: { ...current.spec, retentionDays: 12 } });
    assert.equal((await c.cloud.getNamespace({ namespace: 'seeded.acct' })).namespace?.spec?.retentionDays, 12);
  });

  it('UpdateNamespace › answers INVALID_ARGUMENT "nothing to change" for the same spec, even with defaults spelled out', async () => {
    const current = (await c.cloud.getNamespace({ namespace: 'seeded.acct' })).namespace!;
    const same = { ...current.spec, mtlsAuth: { enabled: true, acceptedClientCa: new Uint8Array(), certificateFilters: [] }, customSearchAttributes: {} };
    const error = await grpcError(() => c.cloud.updateNamespace({ namespace: 'seeded.acct', spec: same, resourceVersion: current.resourceVersion! }));
    assert.equal(error.code, status.INVALID_ARGUMENT);
    assert.equal(error.details, 'nothing to change');
    assert.equal((await c.cloud.getNamespace({ namespace: 'seeded.acct' })).namespace?.resourceVersion, current.resourceVersion);
  });

  it('UpdateNamespace › answers NOT_FOUND for an unknown namespace', async () => {
    const error = await grpcError(() => c.cloud.updateNamespace({ namespace: 'nope.acct', spec: SPEC }));
    assert.equal(error.code, status.NOT_FOUND);
  });

  it('UpdateNamespace › refuses to rename or to change regions', async () => {
    const current = (await c.cloud.getNamespace({ namespace: 'seeded.acct' })).namespace!;
    const error = await grpcError(() =>
      c.cloud.updateNamespace({ namespace: 'seeded.acct', spec: { ...current.spec, name: 'other', regions: ['aws-eu-west-1'] } }),
    );
    assert.equal(error.code, status.INVALID_ARGUMENT);
    assert.match(error.details, /spec\.name cannot change.*; spec\.regions cannot change/);
  });

  it('UpdateNamespace › applies a repeated async_operation_id once and returns the first operation to the same request', async () => {
    const current = (await c.cloud.getNamespace({ namespace: 'seeded.acct' })).namespace!;
    const request = { namespace: 'seeded.acct', spec: { ...current.spec, retentionDays: 20 }, resourceVersion: current.resourceVersion!, asyncOperationId: 'retry-me' };
    const first = (await c.cloud.updateNamespace(request)).asyncOperation!;
    const afterFirst = (await c.cloud.getNamespace({ namespace: 'seeded.acct' })).namespace!;
    clock.advance(DELAY);
    // The retry carries the same, now stale, version: still the first operation, nothing applied again.
    const second = (await c.cloud.updateNamespace(request)).asyncOperation!;
    assert.equal(second.id, 'retry-me');
    assert.equal(Number(second.startedTime?.seconds), Number(first.startedTime?.seconds));
    assert.equal(second.stateDeprecated, 'fulfilled');
    const afterSecond = (await c.cloud.getNamespace({ namespace: 'seeded.acct' })).namespace!;
    assert.equal(afterSecond.resourceVersion, afterFirst.resourceVersion);
    assert.equal(afterSecond.spec?.retentionDays, 20);
  });

  it('UpdateNamespace › refuses a reused async_operation_id on a different request with ALREADY_EXISTS, applying nothing', async () => {
    const current = (await c.cloud.getNamespace({ namespace: 'seeded.acct' })).namespace!;
    const request = { namespace: 'seeded.acct', spec: { ...current.spec, retentionDays: 11 }, resourceVersion: current.resourceVersion!, asyncOperationId: 'used-once' };
    await c.cloud.updateNamespace(request);
    const applied = (await c.cloud.getNamespace({ namespace: 'seeded.acct' })).namespace!;
    for (const other of [
      { ...request, spec: { ...current.spec, retentionDays: 12 } },
      { ...request, resourceVersion: applied.resourceVersion! },
      { ...request, namespace: 'other.acct' },
    ]) {
      const error = await grpcError(() => c.cloud.updateNamespace(other));
      assert.equal(error.code, status.ALREADY_EXISTS);
      assert.equal(error.details, 'async_operation_id "used-once" was already used by another request (update-namespace of seeded.acct): send a new ID, or repeat that request exactly to get its operation');
    }
    const after = (await c.cloud.getNamespace({ namespace: 'seeded.acct' })).namespace!;
    assert.equal(after.resourceVersion, applied.resourceVersion);
    assert.equal(after.spec?.retentionDays, 11);
    // Another method with that ID is another request too.
    assert.equal((await grpcError(() => c.cloud.deleteNamespace({ namespace: 'seeded.acct', asyncOperationId: 'used-once' }))).code, status.ALREADY_EXISTS);
    assert.equal((await c.cloud.getNamespace({ namespace: 'seeded.acct' })).namespace?.resourceVersion, applied.resourceVersion);
  });

  it('CreateNamespace › with a repeated async_operation_id returns the first operation and its namespace; another spec is refused', async () => {
    const first = await c.cloud.createNamespace({ spec: { ...SPEC, name: 'idem' }, asyncOperationId: 'create-once' });
    const second = await c.cloud.createNamespace({ spec: { ...SPEC, name: 'idem' }, asyncOperationId: 'create-once' });
    assert.equal(second.namespace, 'idem.acct');
    assert.equal(second.asyncOperation?.id, first.asyncOperation?.id);
    const other = await grpcError(() => c.cloud.createNamespace({ spec: { ...SPEC, name: 'idem2' }, asyncOperationId: 'create-once' }));
    assert.equal(other.code, status.ALREADY_EXISTS);
    assert.match(other.details, /^async_operation_id "create-once" was already used by another request \(create-namespace of idem\.acct\)/);
    assert.equal((await grpcError(() => c.cloud.getNamespace({ namespace: 'idem2.acct' }))).code, status.NOT_FOUND);
  });

  it('DeleteNamespace › returns the first operation to a repeated request, and refuses the ID for another namespace', async () => {
    for (const name of ['del1', 'del2']) await c.cloud.createNamespace({ spec: { ...SPEC, name } });
    const first = (await c.cloud.deleteNamespace({ namespace: 'del1.acct', asyncOperationId: 'delete-once' })).asyncOperation!;
    const again = (await c.cloud.deleteNamespace({ namespace: 'del1.acct', asyncOperationId: 'delete-once' })).asyncOperation!;
    assert.equal(again.id, first.id);
    assert.equal(Number(again.startedTime?.seconds), Number(first.startedTime?.seconds));
    const other = await grpcError(() => c.cloud.deleteNamespace({ namespace: 'del2.acct', asyncOperationId: 'delete-once' }));
    assert.equal(other.code, status.ALREADY_EXISTS);
    assert.equal((await c.cloud.getNamespace({ namespace: 'del2.acct' })).namespace?.namespace, 'del2.acct', 'del2 is still there');
  });

  it('DeleteNamespace › removes the namespace: GetNamespace then answers NOT_FOUND', async () => {
    await c.cloud.createNamespace({ spec: { ...SPEC, name: 'gone' } });
    const current = (await c.cloud.getNamespace({ namespace: 'gone.acct' })).namespace!;
    const stale = await grpcError(() => c.cloud.deleteNamespace({ namespace: 'gone.acct', resourceVersion: 'not-it' }));
    assert.equal(stale.code, status.FAILED_PRECONDITION);
    const { asyncOperation } = await c.cloud.deleteNamespace({ namespace: 'gone.acct', resourceVersion: current.resourceVersion! });
    assert.equal(asyncOperation?.operationType, 'delete-namespace');
    assert.equal((await grpcError(() => c.cloud.getNamespace({ namespace: 'gone.acct' }))).code, status.NOT_FOUND);
    assert.equal((await grpcError(() => c.cloud.deleteNamespace({ namespace: 'gone.acct' }))).code, status.NOT_FOUND);
    assert.equal((await c.cloud.getAsyncOperation({ asyncOperationId: asyncOperation!.id! })).asyncOperation?.operationType, 'delete-namespace');
  });

  it('GetAsyncOperation › answers NOT_FOUND for an unknown operation', async () => {
    assert.equal((await grpcError(() => c.cloud.getAsyncOperation({ asyncOperationId: 'unknown' }))).code, status.NOT_FOUND);
  });

  it('GetNamespaces › pages through every namespace in ID order and filters by name', async () => {
    for (const name of ['p1', 'p2', 'p3', 'p4', 'p5']) await c.cloud.createNamespace({ spec: { ...SPEC, name } });
    const all = (await c.cloud.getNamespaces({})).namespaces!.map((n) => n.namespace);
    assert.deepEqual(all, [...all].sort());
    const paged: string[] = [];
    let pageToken = '';
    let pages = 0;
    do {
      const page = await c.cloud.getNamespaces({ pageSize: 2, pageToken });
      assert.ok(page.namespaces!.length <= 2);
      paged.push(...page.namespaces!.map((n) => n.namespace!));
      pageToken = page.nextPageToken ?? '';
      pages++;
    } while (pageToken !== '');
    assert.deepEqual(paged, all);
    assert.equal(pages, Math.ceil(all.length / 2));
    assert.deepEqual((await c.cloud.getNamespaces({ name: 'p3' })).namespaces!.map((n) => n.namespace), ['p3.acct']);
    assert.equal((await grpcError(() => c.cloud.getNamespaces({ pageToken: '!!' }))).code, status.INVALID_ARGUMENT);
  });

  it('answers UNIMPLEMENTED, naming the method, for a method it does not emulate', async () => {
    const error = await grpcError(() => c.cloud.getUserGroups({}));
    assert.equal(error.code, status.UNIMPLEMENTED);
    assert.match(error.details, /^GetUserGroups is not implemented/);
  });

  it('Health/Check › answers SERVING, without an API key', async () => {
    const anonymous = await connectOfficialClient(emulator, { apiKey: '' });
    try {
      assert.equal((await anonymous.health.check({})).status, 1 /* SERVING */);
      assert.equal((await anonymous.health.check({ service: 'temporal.api.cloud.cloudservice.v1.CloudService' })).status, 1);
    } finally {
      anonymous.close();
    }
  });

  for (const [what, apiKey, pattern] of [
    ['without an API key', '', /missing API key/],
    ['with a wrong API key', 'wrong-key', /invalid API key/],
  ] as const) {
    it(`answers UNAUTHENTICATED ${what}, for implemented and unimplemented methods alike`, async () => {
      const other = await connectOfficialClient(emulator, { apiKey });
      try {
        for (const call of [() => other.cloud.getNamespace({ namespace: 'seeded.acct' }), () => other.cloud.getUserGroups({})]) {
          const error = await grpcError(call);
          assert.equal(error.code, status.UNAUTHENTICATED);
          assert.match(error.details, pattern);
        }
      } finally {
        other.close();
      }
    });
  }
});

describe('emulator, logging', () => {
  it('logs one line per call with method, namespace, status and duration, never the API key', async () => {
    const lines: string[] = [];
    const emulator = await startTestEmulator({ apiKeys: ['secret-key-123'], namespaces: ['log.acct'], log: (line) => lines.push(line) });
    const c = await connectOfficialClient(emulator, { apiKey: 'secret-key-123' });
    try {
      await c.cloud.getNamespace({ namespace: 'log.acct' });
      await grpcError(() => c.cloud.getNamespace({ namespace: 'missing.acct' }));
      await c.cloud.createNamespace({ spec: { ...SPEC, name: 'made' } });
    } finally {
      c.close();
      await emulator.close();
    }
    assert.equal(lines.length, 3);
    assert.match(lines[0]!, /^GetNamespace log\.acct OK \d+\.\dms$/);
    assert.match(lines[1]!, /^GetNamespace missing\.acct NOT_FOUND \d+\.\dms$/);
    assert.match(lines[2]!, /^CreateNamespace made\.local OK \d+\.\dms$/);
    assert.ok(lines.every((line) => !line.includes('secret-key-123')));
  });

  it('generates an API key when given none, and accepts only it', async () => {
    const emulator = await startTestEmulator({ apiKeys: [] });
    try {
      assert.match(emulator.generatedApiKey ?? '', /^tcld-dev-[\w-]{43}$/);
      assert.deepEqual(emulator.apiKeys, [emulator.generatedApiKey]);
      const c = await connectOfficialClient(emulator, { apiKey: emulator.generatedApiKey! });
      try {
        assert.deepEqual((await c.cloud.getNamespaces({})).namespaces, []);
      } finally {
        c.close();
      }
    } finally {
      await emulator.close();
    }
  });
});
