import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { renderPrintable } from '../../cli/render.js';
import type { IApiKeySpec } from '../../cloud/proto.js';
import { UsageError, UserError } from '../../errors.js';
import { FIXED_NOW } from '../../pki/test-support.js';
import { run, SECRET_WARNING, type ApiKeyCreateOptions } from './create.js';
import { depsWithKeys, fakeKeys } from './fake-keys.js';

const DAY = 86_400_000;

/** The spec CreateApiKey was sent, with its expiry as a Date. */
function sentSpec(calls: Array<{ method: string; request: unknown }>) {
  const request = calls.find((c) => c.method === 'CreateApiKey')!.request as { spec: IApiKeySpec; asyncOperationId: string };
  const expiry = request.spec.expiryTime as unknown as { seconds: number; nanos: number };
  return { ...request, spec: { ...request.spec, expiryTime: new Date(expiry.seconds * 1000 + expiry.nanos / 1e6) } };
}

async function create(options: Omit<ApiKeyCreateOptions, 'name'> & { name?: string }, keys = fakeKeys()) {
  const t = depsWithKeys(keys.client);
  const printable = await run({ name: 'ci-deploy', ...options }, t.deps);
  return { ...t, printable, rendered: renderPrintable(printable), keys };
}

describe('tcld apikey create', () => {
  it("makes a key owned by the caller (GetCurrentIdentity's user) that expires after --duration, and prints tcld's response with the secret once", async () => {
    const { rendered, keys, diagnostics, printed } = await create({ description: 'deploys', duration: '90d', requestId: 'req-7' });
    assert.deepEqual(keys.calls.map((c) => c.method), ['GetCurrentIdentity', 'CreateApiKey']);
    const sent = sentSpec(keys.calls);
    assert.equal(sent.asyncOperationId, 'req-7');
    assert.deepEqual(sent.spec, { ownerId: 'user-1', ownerType: 1, displayName: 'ci-deploy', description: 'deploys', expiryTime: new Date(FIXED_NOW.getTime() + 90 * DAY), disabled: false });

    assert.equal(
      rendered.stdout,
      JSON.stringify(
        {
          id: 'key-1',
          secretKey: 'tmprl_secret_1_abcdef',
          requestStatus: {
            requestId: 'req-7',
            state: 'Pending',
            checkDuration: null,
            operationType: 'create-api-key',
            resourceId: 'key-1',
            resourceType: 'apikey',
            failureReason: '',
            startTime: '2024-05-01T10:00:00Z',
            finishTime: null,
            approval: null,
          },
        },
        null,
        '\t',
      ),
    );
    assert.equal(rendered.stdout.split('tmprl_secret_1_abcdef').length, 2, 'the secret appears exactly once');
    assert.deepEqual(rendered.stderr, [SECRET_WARNING]);
    assert.ok(![...diagnostics, ...printed].join('\n').includes('tmprl_secret'), 'the secret goes nowhere else');
  });

  it('makes a key for --service-account-id without asking who is calling', async () => {
    const { keys } = await create({ duration: '30d', serviceAccountId: 'sa-1' });
    assert.deepEqual(keys.calls.map((c) => c.method), ['CreateApiKey']);
    assert.deepEqual([sentSpec(keys.calls).spec.ownerId, sentSpec(keys.calls).spec.ownerType], ['sa-1', 2]);
  });

  it('makes the key for the service account that is calling, and refuses when the server names nobody', async () => {
    const { keys } = await create({ duration: '30d' }, fakeKeys([], { serviceAccount: { id: 'sa-9' } }));
    assert.deepEqual([sentSpec(keys.calls).spec.ownerId, sentSpec(keys.calls).spec.ownerType], ['sa-9', 2]);
    await assert.rejects(create({ duration: '30d' }, fakeKeys([], {})), (e: unknown) => e instanceof UserError && /did not say who is calling .*pass --service-account-id/.test(e.message));
  });

  it('takes --expiry in RFC 3339 over --duration (saying it ignores --duration, as tcld does), and a random request id by default', async () => {
    const { keys, diagnostics } = await create({ expiry: '2030-01-31T12:30:00.250+01:00', duration: '1d' });
    const sent = sentSpec(keys.calls);
    assert.equal(sent.spec.expiryTime.toISOString(), '2030-01-31T11:30:00.250Z');
    assert.deepEqual(diagnostics, ['--duration is ignored: --expiry is set']);
    assert.match(sent.asyncOperationId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  for (const [label, options, message] of [
    ['no expiry', {}, /^no expiry was set: pass --duration \(such as 90d\) or --expiry \(RFC 3339\)$/],
    ['a duration that does not parse', { duration: '90 days' }, /^failed to parse duration: invalid duration "90 days"/],
    ['a duration that is not positive', { duration: '-5d' }, /^expiration must be positive: -5d$/],
    ['an expiry that is not RFC 3339', { expiry: '2030-01-31' }, /^--expiry "2030-01-31" is not an RFC 3339 time/],
    ['an expiry with an impossible date', { expiry: '2030-02-31T00:00:00Z' }, /is not an RFC 3339 time/],
  ] as const) {
    it(`refuses ${label} before connecting`, async () => {
      const keys = fakeKeys();
      const t = depsWithKeys(keys.client);
      await assert.rejects(run({ name: 'n', ...options }, t.deps), (e: unknown) => e instanceof UsageError && message.test(e.message));
      assert.equal(t.connections(), 0);
    });
  }
});
