import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateCertificateAuthority } from '../pki/ca.js';
import type { Emulator } from './index.js';
import { connectOfficialClient, grpcError, startTestEmulator, status, type OfficialClient } from './test-support.js';

const DAY = 86_400_000;

describe('emulator › CreateNamespace and DeleteNamespace, through the official client', () => {
  let emulator: Emulator;
  let c: OfficialClient;
  let caPem: Buffer;
  const base = { regions: ['aws-us-east-1'], retentionDays: 7 };

  before(async () => {
    caPem = Buffer.from((await generateCertificateAuthority({ organization: 'acme', validityMs: 90 * DAY })).certificatePem);
    emulator = await startTestEmulator({ account: 'acct' });
    c = await connectOfficialClient(emulator);
  });
  after(async () => {
    c.close();
    await emulator.close();
  });

  const count = async () => (await c.cloud.getNamespaces({})).namespaces!.length;

  for (const [name, why] of [
    ['1orders', /does not start with a letter/],
    ['orders-', /ends with a hyphen/],
    ['ord--ers', /two hyphens in a row/],
    ['o', /has 1 characters/],
    ['a'.repeat(40), /has 40 characters/],
    ['orders.acct', /is a namespace ID: give the name alone \("orders"\)/],
  ] as const) {
    it(`refuses the name ${JSON.stringify(name)} with INVALID_ARGUMENT, saying why`, async () => {
      const before = await count();
      const error = await grpcError(() => c.cloud.createNamespace({ spec: { ...base, name, apiKeyAuth: { enabled: true } } }));
      assert.equal(error.code, status.INVALID_ARGUMENT);
      assert.match(error.details, why);
      assert.equal(await count(), before);
    });
  }

  it('accepts a name of 2 and of 39 characters, digits and single hyphens inside', async () => {
    for (const name of ['ab', `a1-b2${'c'.repeat(34)}`]) {
      assert.equal((await c.cloud.createNamespace({ spec: { ...base, name, apiKeyAuth: { enabled: true } } })).namespace, `${name}.acct`);
    }
  });

  it('refuses mTLS without a CA bundle, and for api_key_or_mtls too', async () => {
    for (const spec of [{ mtlsAuth: { enabled: true } }, { mtlsAuth: { enabled: true }, apiKeyAuth: { enabled: true } }]) {
      const error = await grpcError(() => c.cloud.createNamespace({ spec: { ...base, name: 'nobundle', ...spec } }));
      assert.equal(error.code, status.INVALID_ARGUMENT);
      assert.match(error.details, /spec\.mtls_auth\.accepted_client_ca is required: auth method (mtls|api_key_or_mtls) admits clients by certificate/);
    }
    assert.equal((await grpcError(() => c.cloud.getNamespace({ namespace: 'nobundle.acct' }))).code, status.NOT_FOUND);
  });

  it('keeps the tags of the request and returns them with the namespace', async () => {
    const created = await c.cloud.createNamespace({ spec: { ...base, name: 'tagged', mtlsAuth: { enabled: true, acceptedClientCa: caPem } }, tags: { team: 'payments', env: 'dev' } });
    const { namespace } = await c.cloud.getNamespace({ namespace: created.namespace! });
    assert.deepEqual({ ...namespace!.tags }, { env: 'dev', team: 'payments' });
    // An update of the spec keeps them.
    await c.cloud.updateNamespace({ namespace: 'tagged.acct', spec: { ...namespace!.spec, retentionDays: 9 } });
    assert.deepEqual({ ...(await c.cloud.getNamespace({ namespace: 'tagged.acct' })).namespace!.tags }, { env: 'dev', team: 'payments' });
  });

  it('refuses an empty tag key', async () => {
    const error = await grpcError(() => c.cloud.createNamespace({ spec: { ...base, name: 'badtag', apiKeyAuth: { enabled: true } }, tags: { '': 'x' } }));
    assert.equal(error.code, status.INVALID_ARGUMENT);
    assert.match(error.details, /^tags: key "" must have 1 to 128 characters/);
  });

  it('refuses DeleteNamespace while delete protection is on, changing nothing, and deletes once it is off', async () => {
    await c.cloud.createNamespace({ spec: { ...base, name: 'kept', apiKeyAuth: { enabled: true }, lifecycle: { enableDeleteProtection: true } } });
    const protectedOne = (await c.cloud.getNamespace({ namespace: 'kept.acct' })).namespace!;
    const error = await grpcError(() => c.cloud.deleteNamespace({ namespace: 'kept.acct' }));
    assert.equal(error.code, status.FAILED_PRECONDITION);
    assert.match(error.details, /^namespace "kept\.acct" has delete protection enabled \(spec\.lifecycle\.enable_delete_protection\): turn it off first/);
    assert.equal((await c.cloud.getNamespace({ namespace: 'kept.acct' })).namespace!.resourceVersion, protectedOne.resourceVersion);

    await c.cloud.updateNamespace({ namespace: 'kept.acct', spec: { ...protectedOne.spec, lifecycle: { enableDeleteProtection: false } } });
    const { asyncOperation } = await c.cloud.deleteNamespace({ namespace: 'kept.acct' });
    assert.equal(asyncOperation?.operationType, 'delete-namespace');
    assert.equal((await grpcError(() => c.cloud.getNamespace({ namespace: 'kept.acct' }))).code, status.NOT_FOUND);
  });
});
