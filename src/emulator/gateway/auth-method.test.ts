import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { Connection } from '@temporalio/client';
import { specWithAuthMethod, type AuthMethod } from '../../cloud/auth-method.js';
import type { GeneratedCertificate } from '../../pki/ca.js';
import type { Emulator } from '../index.js';
import { connectOfficialClient, startTestEmulator, status, TEST_KEY, type OfficialClient } from '../test-support.js';
import { logLines, makeCa, makeLeaf, rawConnect } from './test-support.js';

const NS = 'keys.acct';

interface Outcome {
  code: number;
  details: string;
}

describe('the namespace endpoint by auth method: mtls, api_key, api_key_or_mtls, restricted', () => {
  const logs = logLines();
  let emulator: Emulator;
  let c: OfficialClient;
  let ca: GeneratedCertificate;
  let leaf: GeneratedCertificate;
  let stranger: GeneratedCertificate;
  const open: Connection[] = [];

  before(async () => {
    ca = await makeCa('myco');
    leaf = await makeLeaf(ca);
    stranger = await makeLeaf(await makeCa('otherco'), { organization: 'otherco' });
    emulator = await startTestEmulator({ account: 'acct', log: logs.log });
    c = await connectOfficialClient(emulator, { retries: false });
    await c.cloud.createNamespace({
      spec: { name: 'keys', regions: ['local'], retentionDays: 1, mtlsAuth: { enabled: true, acceptedClientCa: Buffer.from(ca.certificatePem), certificateFilters: [{ organization: 'myco' }] } },
    });
  });
  after(async () => {
    for (const connection of open) await connection.close();
    c.close();
    await emulator.close();
  });

  async function setMethod(method: AuthMethod): Promise<void> {
    const current = (await c.cloud.getNamespace({ namespace: NS })).namespace!;
    await c.cloud.updateNamespace({ namespace: NS, spec: specWithAuthMethod(current.spec!, method), resourceVersion: current.resourceVersion! });
  }

  /** An SDK connection (no retries) with a certificate, an API key, both or neither; kept open until the suite ends. */
  function connection(credentials: { client?: GeneratedCertificate; apiKey?: string }): Connection {
    const made = Connection.lazy({
      address: emulator.gateway.address,
      connectTimeout: '5s',
      interceptors: [],
      ...(credentials.apiKey !== undefined && { apiKey: credentials.apiKey }),
      tls: {
        serverNameOverride: emulator.namespaceHost(NS),
        serverRootCACertificate: readFileSync(emulator.gateway.caPath),
        ...(credentials.client && { clientCertPair: { crt: Buffer.from(credentials.client.certificatePem), key: Buffer.from(credentials.client.privateKeyPem) } }),
      },
    });
    open.push(made);
    return made;
  }

  async function systemInfo(connection: Connection): Promise<Outcome> {
    try {
      await connection.workflowService.getSystemInfo({});
      return { code: status.OK, details: '' };
    } catch (error) {
      return { code: (error as Outcome).code, details: (error as Outcome).details };
    }
  }

  const call = (credentials: { client?: GeneratedCertificate; apiKey?: string }) => systemInfo(connection(credentials));

  it('mtls › admits a certificate of the bundle that matches the filters; refuses a client without one, whatever key it sends', async () => {
    assert.equal((await call({ client: leaf })).code, status.OK);
    assert.equal(await rawConnect(emulator, { servername: emulator.namespaceHost(NS) }), 'refused');
    assert.equal(await rawConnect(emulator, { servername: emulator.namespaceHost(NS), client: stranger }), 'refused');
    assert.match(logs.take().join('\n'), /gateway: refused keys\.acct -: no client certificate/);
  });

  it('api_key › admits a call with a valid key and no certificate; refuses a certificate alone with UNAUTHENTICATED', async () => {
    await setMethod('api_key');
    assert.deepEqual(await call({ apiKey: TEST_KEY }), { code: status.OK, details: '' });
    const alone = await call({ client: leaf });
    assert.equal(alone.code, status.UNAUTHENTICATED);
    assert.match(alone.details, /^missing API key: namespace keys\.acct takes API keys \(auth method api_key\): send the header "authorization: Bearer <API key>"$/);
    const wrong = await call({ apiKey: 'not-a-key' });
    assert.equal(wrong.code, status.UNAUTHENTICATED);
    assert.match(wrong.details, /^invalid API key/);
    assert.match(logs.take().join('\n'), /gateway: refused a call of keys\.acct .*: \/temporal\.api\.workflowservice\.v1\.WorkflowService\/GetSystemInfo: api-key-missing: /);
  });

  it('api_key › admits a key made with CreateApiKey, and refuses it on the next call once it is disabled, then deleted', async () => {
    const created = await c.cloud.createApiKey({ spec: { ownerId: emulator.admin.id, ownerType: 1, displayName: 'worker', expiryTime: { seconds: Math.floor(Date.now() / 1000) + 86_400 } as never } });
    const worker = connection({ apiKey: created.token! });
    assert.equal((await systemInfo(worker)).code, status.OK);
    const key = (await c.cloud.getApiKey({ keyId: created.keyId! })).apiKey!;
    await c.cloud.updateApiKey({ keyId: created.keyId!, spec: { ...key.spec, disabled: true }, resourceVersion: key.resourceVersion! });
    const disabled = await systemInfo(worker);
    assert.equal(disabled.code, status.UNAUTHENTICATED, 'the same connection, the next call');
    assert.match(disabled.details, new RegExp(`^API key ${created.keyId} is disabled`));
    await c.cloud.deleteApiKey({ keyId: created.keyId! });
    assert.match((await systemInfo(worker)).details, /^invalid API key/);
  });

  it('api_key › refuses a sign-in access token: it is not an API key', async () => {
    const grant = emulator.tokens.issue();
    const refused = await call({ apiKey: grant.accessToken });
    assert.equal(refused.code, status.UNAUTHENTICATED);
    assert.match(refused.details, /^a sign-in access token is not an API key/);
  });

  it('api_key_or_mtls › admits the certificate alone and the key alone; a stranger certificate needs a key', async () => {
    await setMethod('api_key_or_mtls');
    assert.equal((await call({ client: leaf })).code, status.OK);
    assert.equal((await call({ apiKey: TEST_KEY })).code, status.OK);
    assert.equal((await call({ client: stranger })).code, status.UNAUTHENTICATED);
    assert.equal((await call({ client: stranger, apiKey: TEST_KEY })).code, status.OK);
    assert.match(logs.take().join('\n'), /gateway: admitted keys\.acct CN=.*O=otherco: its calls need an API key \(its certificate is not admitted: /);
  });

  it('restricted › admits nobody: the connection is refused, with or without a certificate', async () => {
    await setMethod('restricted');
    assert.equal(await rawConnect(emulator, { servername: emulator.namespaceHost(NS), client: leaf }), 'refused');
    assert.equal(await rawConnect(emulator, { servername: emulator.namespaceHost(NS) }), 'refused');
    assert.match(logs.take().join('\n'), /gateway: refused keys\.acct CN=.*: mTLS is not enabled on namespace keys\.acct .*, nor are API keys: the auth method of namespace keys\.acct is restricted, which admits nobody/);
  });

  it('a change reaches open connections: from mtls to api_key their calls need a key, and restricted closes them', async () => {
    await setMethod('mtls');
    const worker = connection({ client: leaf });
    assert.equal((await systemInfo(worker)).code, status.OK);
    await setMethod('api_key');
    assert.equal((await systemInfo(worker)).code, status.UNAUTHENTICATED, 'the open connection, without a key now');
    await setMethod('restricted');
    // The gateway judges open connections again on the next turn of its event loop.
    for (let turn = 0; turn < 100 && !logs.lines.some((line) => line.startsWith('gateway: closed keys.acct')); turn++) await new Promise((resolve) => setTimeout(resolve, 10));
    assert.match(logs.take().join('\n'), /gateway: closed keys\.acct CN=.*: no longer admitted: .*restricted/);
  });
});
