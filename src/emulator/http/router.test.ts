import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { secureRandom } from '../../pki/random.js';
import { requestWithHost } from '../identity/test-support.js';
import { serveHttp, type HttpServer } from './http-server.js';
import { createRouter, type HttpRequest, type Route } from './router.js';

describe('router', () => {
  let server: HttpServer;
  let base: string;
  const lines: string[] = [];
  const seen: HttpRequest[] = [];
  const routes: Route[] = [
    { method: 'GET', path: '/hello', handle: (request) => ({ status: 200, headers: { 'content-type': 'text/plain' }, body: `hello ${request.query.get('name') ?? ''}` }) },
    {
      method: 'POST',
      path: '/echo',
      handle: (request) => {
        seen.push(request);
        return { status: 200, headers: { 'content-type': 'application/json' }, body: JSON.stringify(Object.fromEntries(request.form)) };
      },
    },
    { method: 'GET', path: '/things/:id/parts', handle: (request) => ({ status: 200, body: JSON.stringify(request.params) }) },
    {
      method: 'GET',
      path: '/broken',
      handle: () => {
        throw new Error('a bug with a secret in it');
      },
    },
  ];
  before(async () => {
    server = await serveHttp({
      host: '127.0.0.1',
      port: 0,
      listener: 'auth',
      handler: (port) =>
        createRouter({ routes, port, random: secureRandom, maxBodyBytes: 1024, log: (line) => lines.push(line), failure: (failure) => ({ status: 0, body: `refused: ${failure}` }) }),
    });
    base = `http://127.0.0.1:${server.port}`;
  });
  after(() => server.close());

  it('routes by path and method, and gives the handler the query and form', async () => {
    assert.equal(await (await fetch(`${base}/hello?name=ada`)).text(), 'hello ada');
    const response = await fetch(`${base}/echo`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'a=1&b=two' });
    assert.deepEqual(await response.json(), { a: '1', b: 'two' });
  });

  it('answers 404 for an unknown path and 405 with Allow for a known path with another method', async () => {
    const missing = await fetch(`${base}/nowhere`);
    assert.equal(missing.status, 404);
    assert.equal(await missing.text(), 'refused: not-found');
    const wrong = await fetch(`${base}/hello`, { method: 'POST' });
    assert.equal(wrong.status, 405);
    assert.equal(wrong.headers.get('allow'), 'GET, HEAD');
  });

  it('gives a :name segment of the route to the handler percent-decoded, and matches no empty or undecodable segment', async () => {
    assert.equal(await (await fetch(`${base}/things/my%20ns.acct/parts`)).text(), '{"id":"my ns.acct"}');
    for (const path of ['/things//parts', '/things/%E0%A4%A/parts', '/things/a/b/parts', '/things/a']) {
      assert.equal((await fetch(`${base}${path}`)).status, 404, path);
    }
  });

  it('answers HEAD as GET without a body', async () => {
    const response = await fetch(`${base}/hello`, { method: 'HEAD' });
    assert.equal(response.status, 200);
    assert.equal(await response.text(), '');
  });

  it('refuses a body over the limit with 413, declared or chunked, and never calls the handler', async () => {
    const before = seen.length;
    const declared = await fetch(`${base}/echo`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `a=${'x'.repeat(4096)}` });
    assert.equal(declared.status, 413);
    assert.equal(await declared.text(), 'refused: too-large');
    const chunked = await new Promise<number>((resolve, reject) => {
      const request = httpRequest(`${base}/echo`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', 'transfer-encoding': 'chunked' } }, (response) => {
        response.resume();
        resolve(response.statusCode!);
      });
      request.on('error', reject);
      request.write(`a=${'y'.repeat(800)}`);
      request.write('z'.repeat(800));
      request.end();
    });
    assert.equal(chunked, 413);
    assert.equal(seen.length, before);
  });

  it('refuses a body that is neither a form nor JSON (415), and JSON that is not an object of strings (400)', async () => {
    assert.equal((await fetch(`${base}/echo`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'a=1' })).status, 415);
    for (const body of ['{"a":', '[1]', '{"a":1}']) {
      assert.equal((await fetch(`${base}/echo`, { method: 'POST', headers: { 'content-type': 'application/json' }, body })).status, 400, body);
    }
  });

  it('refuses a Host that is not a loopback name with this port (DNS rebinding), with 421', async () => {
    for (const host of ['evil.example', `evil.example:${server.port}`, `127.0.0.1:${server.port + 1}`, `localhost.evil.example:${server.port}`]) {
      assert.equal((await requestWithHost(`${base}/hello`, host)).status, 421, host);
    }
    for (const host of [`localhost:${server.port}`, `LOCALHOST:${server.port}`, `[::1]:${server.port}`]) {
      assert.equal((await requestWithHost(`${base}/hello`, host)).status, 200, host);
    }
  });

  it('answers 500 when a handler throws, without its message', async () => {
    const response = await fetch(`${base}/broken`);
    assert.equal(response.status, 500);
    assert.equal(await response.text(), 'refused: internal');
  });

  it('logs method, path as sent (still percent-encoded) without the query, and status', async () => {
    lines.length = 0;
    await fetch(`${base}/hello?name=secret`);
    await requestWithHost(`${base}/a%0Aforged`, `127.0.0.1:${server.port}`);
    assert.deepEqual(lines, ['http: GET /hello 200', 'http: GET /a%0Aforged 404']);
  });
});
