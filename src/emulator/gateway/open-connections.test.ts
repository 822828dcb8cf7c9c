import assert from 'node:assert/strict';
import type { ClientHttp2Session } from 'node:http2';
import { after, before, describe, it } from 'node:test';
import type { GeneratedCertificate } from '../../pki/ca.js';
import type { Emulator } from '../index.js';
import { connectOfficialClient, startTestEmulator, type OfficialClient } from '../test-support.js';
import { logLines, makeCa, makeLeaf, openGatewaySession, setMtls, type ClientIdentity } from './test-support.js';

const NS = 'myns.acct';

describe('open gateway connections follow the namespace', () => {
  const logs = logLines();
  let emulator: Emulator;
  let c: OfficialClient;
  let caA: GeneratedCertificate;
  let caB: GeneratedCertificate;
  let leafA: GeneratedCertificate;
  let leafB: GeneratedCertificate;
  const sessions: ClientHttp2Session[] = [];

  before(async () => {
    [caA, caB] = await Promise.all([makeCa('myco'), makeCa('otherco')]);
    [leafA, leafB] = await Promise.all([makeLeaf(caA), makeLeaf(caB, { organization: 'otherco' })]);
    emulator = await startTestEmulator({ namespaces: [NS], log: logs.log });
    c = await connectOfficialClient(emulator);
  });
  after(async () => {
    for (const session of sessions) session.destroy();
    c.close();
    await emulator.close();
  });

  /** An HTTP/2 connection through the gateway, once admitted (the SETTINGS exchange is done). */
  async function open(client: ClientIdentity): Promise<{ session: ClientHttp2Session; closed: Promise<{ goaway: boolean }> }> {
    const opened = await openGatewaySession(emulator, NS, client);
    sessions.push(opened.session);
    return opened;
  }

  /** Whether the connection still answers a PING. */
  function alive(session: ClientHttp2Session): Promise<boolean> {
    return new Promise((resolve) => {
      if (session.closed || session.destroyed) return resolve(false);
      session.ping((error) => resolve(!error));
    });
  }

  it('closes (GOAWAY) the connections of a CA removed through the API, and keeps the others', async () => {
    await setMtls(c, NS, { cas: [caA, caB], filters: [] });
    const a = await open(leafA);
    const b = await open(leafB);
    logs.take();
    await setMtls(c, NS, { cas: [caA] });
    assert.deepEqual(await b.closed, { goaway: true });
    assert.equal(await alive(a.session), true);
    const logged = logs.take();
    assert.equal(logged.length, 1, logged.join('\n'));
    assert.match(logged[0]!, /^gateway: closed myns\.acct CN=client\.endentity\.otherco\.\w+,O=otherco: no longer admitted: the certificate is not issued by any CA in the namespace's accepted bundle/);
    a.session.close();
  });

  it('closes the connections a new certificate filter no longer admits', async () => {
    await setMtls(c, NS, { cas: [caA, caB], filters: [] });
    const a = await open(leafA);
    const b = await open(leafB);
    await setMtls(c, NS, { filters: [{ organization: 'otherco' }] });
    assert.deepEqual(await a.closed, { goaway: true });
    assert.equal(await alive(b.session), true);
    assert.match(logs.take().join('\n'), /gateway: closed myns\.acct CN=client\.endentity\.myco\.\w+,O=myco: no longer admitted: the certificate matches none of the namespace's 1 certificate filter/);
    b.session.close();
  });

  it('closes every connection of a namespace whose mTLS is turned off', async () => {
    await setMtls(c, NS, { cas: [caA], filters: [] });
    const a = await open(leafA);
    const current = (await c.cloud.getNamespace({ namespace: NS })).namespace!;
    await c.cloud.updateNamespace({ namespace: NS, spec: { ...current.spec, mtlsAuth: { ...current.spec!.mtlsAuth, enabled: false } }, resourceVersion: current.resourceVersion! });
    assert.deepEqual(await a.closed, { goaway: true });
    assert.match(logs.take().join('\n'), /gateway: closed myns\.acct .*: no longer admitted: mTLS is not enabled on namespace myns\.acct/);
  });
});
