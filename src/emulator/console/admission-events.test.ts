import assert from 'node:assert/strict';
import { X509Certificate, createHash } from 'node:crypto';
import type { ClientHttp2Session } from 'node:http2';
import { after, before, describe, it } from 'node:test';
import type { GeneratedCertificate } from '../../pki/ca.js';
import { makeCa, makeLeaf, openGatewaySession, rawConnect, setMtls, type ClientIdentity } from '../gateway/test-support.js';
import { readEventStream, type EventStreamReader, type SseMessage } from '../http/sse-test-support.js';
import type { Emulator } from '../index.js';
import { connectOfficialClient, startTestEmulator, type OfficialClient } from '../test-support.js';
import type { AdmissionEvent } from './admission-log.js';
import { admissionEventsPath } from './events-route.js';

const NS = 'myns.acct';
const OTHER = 'other.acct';

/** SHA-256 of the certificate's DER in lowercase hex, computed here rather than by the gateway's helper. */
function sha256Of(certificate: GeneratedCertificate): string {
  return createHash('sha256').update(new X509Certificate(certificate.certificatePem).raw).digest('hex');
}

function admission(message: SseMessage): AdmissionEvent {
  assert.equal(message.event, 'admission');
  const event = JSON.parse(message.data!) as AdmissionEvent;
  assert.equal(message.id, String(event.seq));
  return event;
}

describe('the console’s live feed of gateway admissions', () => {
  let emulator: Emulator;
  let c: OfficialClient;
  let caA: GeneratedCertificate;
  let caB: GeneratedCertificate;
  let leafA: GeneratedCertificate;
  let strangerLeaf: GeneratedCertificate;
  const readers: EventStreamReader[] = [];
  const sessions: ClientHttp2Session[] = [];

  before(async () => {
    const [a, b, stranger] = await Promise.all([makeCa('myco'), makeCa('myco'), makeCa('strangers')]);
    [caA, caB] = [a, b];
    [leafA, strangerLeaf] = await Promise.all([makeLeaf(caA, { commonName: 'worker-a' }), makeLeaf(stranger, { organization: 'strangers', commonName: 'intruder' })]);
    emulator = await startTestEmulator({ namespaces: [NS, OTHER], authPort: 0 });
    c = await connectOfficialClient(emulator);
    await setMtls(c, NS, { cas: [caA] });
    await setMtls(c, OTHER, { cas: [caA] });
  });
  after(async () => {
    for (const reader of readers) await reader.cancel();
    for (const session of sessions) session.destroy();
    c.close();
    await emulator.close();
  });

  /** Opens the namespace's feed, as a browser's EventSource would. */
  async function subscribe(namespace: string, init: { headers?: Record<string, string>; query?: string } = {}): Promise<EventStreamReader> {
    const response = await fetch(`${emulator.auth!.url}${admissionEventsPath(namespace)}${init.query ?? ''}`, { headers: { accept: 'text/event-stream', ...init.headers } });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/event-stream; charset=utf-8');
    const reader = readEventStream(response);
    readers.push(reader);
    return reader;
  }

  it('sends a refusal of a client of an unknown CA to an open stream, with its code, subject and SHA-256 fingerprint', async () => {
    const feed = await subscribe(NS);
    assert.equal(await rawConnect(emulator, { servername: emulator.namespaceHost(NS), client: strangerLeaf }), 'refused');
    const [message] = await feed.take(1);
    const event = admission(message!);
    assert.equal(event.namespace, NS);
    assert.equal(event.result, 'refused');
    assert.equal(event.code, 'untrusted-issuer');
    assert.equal(event.fingerprint, sha256Of(strangerLeaf));
    assert.match(event.subject, /CN=intruder/);
    assert.match(event.subject, /O=strangers/);
    assert.notEqual(event.message, '');
    assert.ok(!Number.isNaN(Date.parse(event.at)), event.at);
  });

  it('sends an admission, with the client’s fingerprint and no code', async () => {
    const feed = await subscribe(NS);
    // The refusal of the test before comes first: it was kept.
    const [kept] = await feed.take(1);
    assert.equal(admission(kept!).result, 'refused');
    assert.equal(await rawConnect(emulator, { servername: emulator.namespaceHost(NS), client: leafA }), 'forwarded');
    const event = admission((await feed.take(1))[0]!);
    assert.equal(event.result, 'admitted');
    assert.equal(event.code, '');
    assert.equal(event.message, '');
    assert.equal(event.fingerprint, sha256Of(leafA));
    assert.match(event.subject, /CN=worker-a/);
    assert.ok(event.seq > admission(kept!).seq);
  });

  it('sends the kept events oldest first, and after Last-Event-ID or ?after= only the later ones', async () => {
    const all = (await (await subscribe(NS)).take(2)).map(admission);
    assert.deepEqual(
      all.map((e) => e.result),
      ['refused', 'admitted'],
    );
    const [refused, admitted] = all as [AdmissionEvent, AdmissionEvent];
    const resumed = await subscribe(NS, { headers: { 'last-event-id': String(refused.seq) } });
    assert.deepEqual(admission((await resumed.take(1))[0]!), admitted);
    const rendered = await subscribe(NS, { query: `?after=${refused.seq}` });
    assert.deepEqual(admission((await rendered.take(1))[0]!), admitted);
    // Nothing after the last: the next one is live.
    const caughtUp = await subscribe(NS, { headers: { 'last-event-id': String(admitted.seq) } });
    assert.equal(await rawConnect(emulator, { servername: emulator.namespaceHost(NS), client: strangerLeaf }), 'refused');
    const live = admission((await caughtUp.take(1))[0]!);
    assert.equal(live.result, 'refused');
    assert.ok(live.seq > admitted.seq);
  });

  it('sends a namespace’s stream only that namespace’s events', async () => {
    const feed = await subscribe(OTHER);
    assert.equal(await rawConnect(emulator, { servername: emulator.namespaceHost(OTHER), client: strangerLeaf }), 'refused');
    const event = admission((await feed.take(1))[0]!);
    assert.equal(event.namespace, OTHER);
    assert.deepEqual(
      emulator.admissions.recent(OTHER).map((e) => e.seq),
      [event.seq],
    );
  });

  it('sends "closed" when an open connection is no longer admitted after a bundle change', async () => {
    const session = await openSession(leafA);
    const feed = await subscribe(NS);
    const seen = (await feed.take(emulator.admissions.recent(NS).length)).map(admission);
    assert.equal(seen.at(-1)!.result, 'admitted');
    await setMtls(c, NS, { cas: [caB] });
    const event = admission((await feed.take(1))[0]!);
    assert.equal(event.result, 'closed');
    assert.equal(event.code, 'untrusted-issuer');
    assert.equal(event.fingerprint, sha256Of(leafA));
    session.destroy();
  });

  it('answers 404 for a namespace that does not exist, and does not stream', async () => {
    const response = await fetch(`${emulator.auth!.url}${admissionEventsPath('none.acct')}`);
    assert.equal(response.status, 404);
    assert.equal(response.headers.get('content-type'), 'text/plain; charset=utf-8');
    await response.text();
  });

  /** An HTTP/2 connection through the gateway, once admitted (the SETTINGS exchange is done). */
  async function openSession(client: ClientIdentity): Promise<ClientHttp2Session> {
    const { session } = await openGatewaySession(emulator, NS, client);
    sessions.push(session);
    return session;
  }
});

describe('closing the emulator', () => {
  // The timeout only stops a hang: close() would otherwise wait for streams that never end.
  it('ends the open streams, and does not wait for them', { timeout: 120_000 }, async () => {
    // A grace time longer than the test's timeout: a close() that waited for the streams would fail the test.
    const emulator = await startTestEmulator({ namespaces: [NS], authPort: 0, shutdownGraceMs: 600_000 });
    const feeds = await Promise.all(
      [0, 1].map(async () => {
        const response = await fetch(`${emulator.auth!.url}${admissionEventsPath(NS)}`);
        assert.equal(response.status, 200);
        return readEventStream(response);
      }),
    );
    await emulator.close();
    for (const feed of feeds) assert.equal(await feed.next(), undefined);
  });
});
