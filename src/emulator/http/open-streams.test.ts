import assert from 'node:assert/strict';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { secureRandom } from '../../pki/random.js';
import { serveHttp, type HttpServer } from './http-server.js';
import { createOpenStreams, type OpenStreams, type ReplyStream } from './open-streams.js';
import { createRouter, type Route } from './router.js';
import { eventually, readEventStream } from './sse-test-support.js';

describe('streamed replies', () => {
  let server: HttpServer;
  let base: string;
  let streams: OpenStreams;
  const lines: string[] = [];
  /** The server side of each stream the `/feed` route opened, in order. */
  const opened: ReplyStream[] = [];
  let opens = 0;
  const routes: Route[] = [
    {
      method: 'GET',
      path: '/feed/:name',
      handle: (request) => ({
        status: 200,
        headers: { 'content-type': 'text/event-stream' },
        heartbeat: ': keep-alive\n\n',
        open(stream) {
          opens++;
          if (request.params['name'] === 'busy') return { status: 503, body: 'busy' };
          if (request.params['name'] === 'broken') throw new Error('a bug');
          opened.push(stream);
          stream.write(`data: hello ${request.params['name']}\n\n`);
        },
      }),
    },
  ];

  before(async () => {
    streams = createOpenStreams({ max: 2, heartbeatMs: 10, maxBufferedBytes: 64 * 1024 });
    server = await serveHttp({
      host: '127.0.0.1',
      port: 0,
      listener: 'auth',
      // Long enough that a close() which waited for the open streams would outlast the test's timeout.
      graceMs: 600_000,
      handler: (port) => createRouter({ routes, port, random: secureRandom, streams, log: (line) => lines.push(line), failure: (failure) => ({ status: 0, body: `refused: ${failure}` }) }),
    });
    base = `http://127.0.0.1:${server.port}`;
  });
  after(() => {
    streams.closeAll();
    return server.close();
  });

  /** Hangs up every stream still open and waits until the server has seen it. */
  async function hangUpAll(): Promise<void> {
    for (const stream of opened.splice(0)) stream.end();
    await eventually(() => streams.size === 0);
  }

  it('sends the status, the security headers and what open() wrote at once, then what is written later, and heartbeats', async () => {
    const response = await fetch(`${base}/feed/a%20b`);
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/event-stream');
    assert.equal(response.headers.get('x-content-type-options'), 'nosniff');
    assert.match(response.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    assert.equal(response.headers.get('cache-control'), 'no-store');
    const events = readEventStream(response);
    assert.deepEqual(await events.next(), { data: 'hello a b' });
    opened[0]!.write('data: later\n\n');
    assert.deepEqual(await events.until((m) => m.data !== undefined), { data: 'later' });
    assert.deepEqual(await events.until((m) => m.comment !== undefined), { comment: 'keep-alive' });
    assert.ok(lines.includes('http: GET /feed/a%20b 200 stream'), lines.join('\n'));
    opened[0]!.end();
    assert.equal(await events.until(() => false).catch((error: Error) => error.message), 'the event stream ended');
    await hangUpAll();
  });

  it('answers 503 with Retry-After past the bound on open streams, and opens one again once one ended', async () => {
    const first = readEventStream(await fetch(`${base}/feed/1`));
    const second = readEventStream(await fetch(`${base}/feed/2`));
    await Promise.all([first.next(), second.next()]);
    const before = opens;
    const refused = await fetch(`${base}/feed/3`);
    assert.equal(refused.status, 503);
    assert.equal(refused.headers.get('retry-after'), '10');
    assert.equal(await refused.text(), 'refused: unavailable');
    assert.equal(opens, before);
    // The client hangs up: the server counts the stream out.
    await first.cancel();
    await eventually(() => streams.size === 1);
    const third = await fetch(`${base}/feed/3`);
    assert.equal(third.status, 200);
    await readEventStream(third).cancel();
    await second.cancel();
    opened.length = 0;
    await eventually(() => streams.size === 0);
  });

  it('sends the reply open() returns instead, and counts no stream', async () => {
    const response = await fetch(`${base}/feed/busy`);
    assert.equal(response.status, 503);
    assert.equal(await response.text(), 'busy');
    assert.equal(streams.size, 0);
  });

  it('answers 500 when open() throws before writing', async () => {
    const response = await fetch(`${base}/feed/broken`);
    assert.equal(response.status, 500);
    assert.equal(await response.text(), 'refused: internal');
    assert.equal(streams.size, 0);
  });

  it('answers HEAD with the headers only, without opening the stream', async () => {
    const before = opens;
    const response = await fetch(`${base}/feed/x`, { method: 'HEAD' });
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'text/event-stream');
    assert.equal(opens, before);
  });

  it('cuts a client that does not read once the unread text passes the bound', async () => {
    const response = await new Promise<IncomingMessage>((resolve, reject) => httpRequest(`${base}/feed/slow`, resolve).on('error', reject).end());
    response.pause();
    await eventually(() => opened.length === 1);
    const stream = opened[0]!;
    let closed = false;
    stream.onClose(() => (closed = true));
    const chunk = `data: ${'x'.repeat(64 * 1024)}\n\n`;
    // The sockets' kernel buffers take some first; what is left piles up in the server.
    while (!closed) {
      stream.write(chunk);
      await new Promise((resolve) => setImmediate(resolve));
    }
    assert.equal(stream.closed, true);
    response.destroy();
    opened.length = 0;
    await eventually(() => streams.size === 0);
  });

  // The timeout only stops a hang: close() would otherwise wait out the grace time.
  it('ends every open stream on closeAll, so that closing the server does not wait for them', { timeout: 120_000 }, async () => {
    const a = readEventStream(await fetch(`${base}/feed/a`));
    const b = readEventStream(await fetch(`${base}/feed/b`));
    await Promise.all([a.next(), b.next()]);
    let told = 0;
    for (const stream of opened) stream.onClose(() => told++);
    // As a server's owner closes it: both at once.
    streams.closeAll();
    const closing = server.close();
    assert.equal(told, 2);
    assert.equal(await a.until(() => false).catch((error: Error) => error.message), 'the event stream ended');
    assert.equal(await b.until(() => false).catch((error: Error) => error.message), 'the event stream ended');
    opened.length = 0;
    // Would wait for the grace time (ten minutes) if a stream's connection stayed open.
    await closing;
  });
});
