import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { secureRandom } from '../../pki/random.js';
import { serveHttp, type HttpServer } from '../http/http-server.js';
import { createOpenStreams, type OpenStreams } from '../http/open-streams.js';
import { createRouter } from '../http/router.js';
import { requestWithHost } from '../identity/test-support.js';
import { eventually, readEventStream, type EventStreamReader } from '../http/sse-test-support.js';
import type { AdmissionEvent } from './admission-log.js';
import { createAdmissionLog } from './admission-log-store.js';
import { admissionEventsPath, admissionEventsRoute, formatEvent } from './events-route.js';

function fields(namespace: string, subject: string): Omit<AdmissionEvent, 'seq'> {
  return { at: '2025-06-01T12:00:00.000Z', namespace, result: 'refused', subject, fingerprint: 'cd'.repeat(32), code: 'expired', message: 'the certificate has expired' };
}

describe('admissionEventsRoute', () => {
  const admissions = createAdmissionLog({ listenersPerNamespace: 2 });
  const namespaces = new Set(['a.acct', 'b.acct']);
  const readers: EventStreamReader[] = [];
  let streams: OpenStreams;
  let server: HttpServer;
  let base: string;

  before(async () => {
    streams = createOpenStreams();
    server = await serveHttp({
      host: '127.0.0.1',
      port: 0,
      listener: 'auth',
      handler: (port) =>
        createRouter({
          routes: [admissionEventsRoute({ admissions, exists: (id) => namespaces.has(id) })],
          port,
          random: secureRandom,
          streams,
          failure: (failure) => ({ status: 0, body: failure }),
        }),
    });
    base = `http://127.0.0.1:${server.port}`;
    admissions.record(fields('a.acct', 'CN=1'));
    admissions.record(fields('a.acct', 'CN=2'));
  });
  after(async () => {
    for (const reader of readers) await reader.cancel();
    streams.closeAll();
    await server.close();
  });

  async function open(namespace: string, headers: Record<string, string> = {}): Promise<EventStreamReader> {
    const response = await fetch(`${base}${admissionEventsPath(namespace)}`, { headers });
    assert.equal(response.status, 200);
    const reader = readEventStream(response);
    readers.push(reader);
    return reader;
  }

  it('writes each event as id, event and one data line of JSON', () => {
    const event: AdmissionEvent = { ...fields('a.acct', 'CN=x\nO=y'), seq: 7 };
    const text = formatEvent(event);
    assert.match(text, /^id: 7\nevent: admission\ndata: [^\n]+\n\n$/);
    assert.deepEqual(JSON.parse(text.split('\n')[2]!.slice('data: '.length)), event);
  });

  it('sends everything kept for a Last-Event-ID that is not a seq', async () => {
    const feed = await open('a.acct', { 'last-event-id': 'yesterday' });
    assert.deepEqual(
      (await feed.take(2)).map((m) => m.id),
      ['1', '2'],
    );
  });

  it('takes the later of Last-Event-ID and ?after=', async () => {
    const response = await fetch(`${base}${admissionEventsPath('a.acct')}?after=0`, { headers: { 'last-event-id': '1' } });
    const feed = readEventStream(response);
    readers.push(feed);
    assert.deepEqual(
      (await feed.take(1)).map((m) => m.id),
      ['2'],
    );
  });

  it('answers 503 past the bound on a namespace’s listeners, and streams again once one left', async () => {
    for (const reader of readers.splice(0)) await reader.cancel();
    await eventually(() => streams.size === 0);
    const first = await open('b.acct');
    await open('b.acct');
    const refused = await fetch(`${base}${admissionEventsPath('b.acct')}`);
    assert.equal(refused.status, 503);
    assert.match(await refused.text(), /Too many live views/);
    assert.equal(streams.size, 2);
    await first.cancel();
    await eventually(() => streams.size === 1);
    const again = await open('b.acct');
    admissions.record(fields('b.acct', 'CN=live'));
    assert.equal(JSON.parse((await again.take(1))[0]!.data!).subject, 'CN=live');
  });

  it('refuses a Host that is not this machine’s loopback with this port (DNS rebinding), with 421, before streaming', async () => {
    const refused = await requestWithHost(`${base}${admissionEventsPath('a.acct')}`, `evil.example:${server.port}`);
    assert.equal(refused.status, 421);
    assert.equal(refused.body, 'misdirected');
  });

  it('answers 404 for a namespace that does not exist, even one the log kept events of', async () => {
    admissions.record(fields('gone.acct', 'CN=old'));
    assert.equal((await fetch(`${base}${admissionEventsPath('gone.acct')}`)).status, 404);
  });
});
