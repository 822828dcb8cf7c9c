import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { INamespaceSpec } from '../../cloud/proto.js';
import { makePki } from '../certificates/test-fixtures.js';
import { run as getAuthMethod } from './auth-method-get.js';
import { run as setAuthMethod } from './auth-method-set.js';
import { run as deleteNamespace } from './delete.js';
import { depsWithCloud, fakeCloud } from './fake-cloud.js';
import { run as getLifecycle } from './lifecycle-get.js';
import { run as setLifecycle } from './lifecycle-set.js';

const NS = 'myns.acct';
let PEM = '';
before(async () => {
  PEM = (await makePki()).ca.certificatePem;
});

function setUp(spec: INamespaceSpec, answers: boolean[] = []) {
  const cloud = fakeCloud([{ namespace: NS, spec }]);
  return { cloud, ...depsWithCloud(cloud.client, { answers }) };
}

describe('n am get and set', () => {
  it('get › prints the method as tcld names it', async () => {
    assert.equal(await getAuthMethod({ namespace: NS }, setUp({ mtlsAuth: { enabled: true }, apiKeyAuth: { enabled: true } }).deps), 'api_key_or_mtls');
  });

  it("set › asks tcld's question for a disruptive change, and a no sends nothing", async () => {
    const { cloud, deps, questions } = setUp({ mtlsAuth: { enabled: true } });
    assert.deepEqual(await setAuthMethod({ namespace: NS, authMethod: 'api_key' }, deps), { code: 'declined' });
    assert.deepEqual(questions, ["setting auth method from 'Mtls' to 'ApiKey' will cause existing client connections to fail. are you sure you want to continue?"]);
    assert.deepEqual(cloud.updates, []);
  });

  it('set › asks nothing when moving to api_key_or_mtls, and sends both switches', async () => {
    const { cloud, deps, questions } = setUp({ mtlsAuth: { enabled: true, acceptedClientCa: Buffer.from(PEM) } });
    const outcome = await setAuthMethod({ namespace: NS, authMethod: 'api_key_or_mtls' }, deps);
    assert.equal(outcome.code, 'requested');
    assert.deepEqual(questions, []);
    assert.equal(cloud.updates[0]!.spec.apiKeyAuth?.enabled, true);
    assert.equal(cloud.updates[0]!.spec.mtlsAuth?.enabled, true);
  });

  it('set › refuses the same method ("nothing to change"), or says so with --idempotent', async () => {
    await assert.rejects(setAuthMethod({ namespace: NS, authMethod: 'mtls' }, setUp({ mtlsAuth: { enabled: true } }).deps), /nothing to change: the auth method is already mtls/);
    assert.equal((await setAuthMethod({ namespace: NS, authMethod: 'mtls', idempotent: true }, setUp({ mtlsAuth: { enabled: true } }).deps)).code, 'unchanged');
  });

  it('set › refuses a method that takes certificates for a namespace without a CA, sending nothing', async () => {
    const { cloud, deps } = setUp({ apiKeyAuth: { enabled: true } }, [true]);
    await assert.rejects(setAuthMethod({ namespace: NS, authMethod: 'mtls' }, deps), /accepts no client CA yet, so auth method mtls would admit no certificate/);
    assert.deepEqual(cloud.updates, []);
  });
});

describe('n lc get and set', () => {
  it('get › prints {"enableDeleteProtection": …}, false when the namespace has no lifecycle spec', async () => {
    const printed = await getLifecycle({ namespace: NS }, setUp({}).deps);
    assert.deepEqual(printed, { format: 'json', value: { enableDeleteProtection: false }, indent: '\t', notes: [] });
  });

  it('set › turns protection on without asking, and off only after a yes', async () => {
    const on = setUp({});
    assert.equal((await setLifecycle({ namespace: NS, enableDeleteProtection: 'true' }, on.deps)).code, 'requested');
    assert.deepEqual(on.questions, []);
    assert.equal(on.cloud.updates[0]!.spec.lifecycle?.enableDeleteProtection, true);

    const off = setUp({ lifecycle: { enableDeleteProtection: true } });
    assert.deepEqual(await setLifecycle({ namespace: NS, enableDeleteProtection: 'false' }, off.deps), { code: 'declined' });
    assert.deepEqual(off.questions, ['disabling namespace delete protection may be prone to accidental deletion. confirm?']);
    assert.deepEqual(off.cloud.updates, []);
  });

  it("set › refuses what is already set (tcld's words), a value that is not a boolean, and no value", async () => {
    await assert.rejects(setLifecycle({ namespace: NS, enableDeleteProtection: 'f' }, setUp({}).deps), /^UserError: delete protection is already disabled/);
    assert.equal((await setLifecycle({ namespace: NS, enableDeleteProtection: 'F', idempotent: true }, setUp({}).deps)).code, 'unchanged');
    await assert.rejects(setLifecycle({ namespace: NS, enableDeleteProtection: 'yes' }, setUp({}).deps), /not a valid boolean: strconv.ParseBool: parsing "yes": invalid syntax/);
    await assert.rejects(setLifecycle({ namespace: NS }, setUp({}).deps), /at least one option for lifecycle spec must be set/);
  });
});

describe('n d', () => {
  it("asks tcld's question, then deletes at the namespace's resource version", async () => {
    const { cloud, deps, questions } = setUp({}, [true]);
    const outcome = await deleteNamespace({ namespace: NS, requestId: 'bye' }, deps);
    assert.deepEqual(questions, [`Deleting a namespace will remove it completely and is not reversible.\nDo you still want to delete namespace "${NS}"?`]);
    assert.deepEqual(cloud.deletes, [{ namespace: NS, resourceVersion: 'v1', asyncOperationId: 'bye' }]);
    assert.equal(outcome.code === 'requested' && outcome.response.requestStatus.operationType, 'delete-namespace');
  });

  it('sends nothing on a no', async () => {
    const { cloud, deps } = setUp({}, [false]);
    assert.deepEqual(await deleteNamespace({ namespace: NS }, deps), { code: 'declined' });
    assert.deepEqual(cloud.deletes, []);
  });

  it('refuses a protected namespace without asking, naming the command that lifts the protection', async () => {
    const { cloud, deps, questions } = setUp({ lifecycle: { enableDeleteProtection: true } }, [true]);
    await assert.rejects(deleteNamespace({ namespace: NS }, deps), /has delete protection enabled: turn it off first with tcld namespace lifecycle set -n myns\.acct --enable-delete-protection false/);
    assert.deepEqual(questions, []);
    assert.deepEqual(cloud.deletes, []);
  });
});
