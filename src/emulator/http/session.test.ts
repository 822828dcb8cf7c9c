import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { secureRandom } from '../../pki/random.js';
import { FIXED_NOW } from '../../pki/test-support.js';
import { createSessions, MAX_SESSIONS } from './session.js';

function clock() {
  let ms = FIXED_NOW.getTime();
  return { now: () => new Date(ms), advance: (seconds: number) => void (ms += seconds * 1000) };
}

/** The request cookies a browser sends back for a Set-Cookie header. */
function sent(setCookie: string): Map<string, string> {
  const [name, value] = setCookie.split(';')[0]!.split('=') as [string, string];
  return new Map([[name, value]]);
}

describe('createSessions', () => {
  it('starts a session as a random id in an HttpOnly, SameSite=Strict cookie for the whole port, with its lifetime as Max-Age', () => {
    const sessions = createSessions<string>({ ...clock(), random: secureRandom });
    const setCookie = sessions.start('admin');
    assert.match(setCookie, /^tcld_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict; Max-Age=43200$/);
    assert.equal(sessions.get(sent(setCookie)), 'admin');
    assert.notEqual(sessions.start('admin').split(';')[0], setCookie.split(';')[0], 'a new id each time');
  });

  it('keeps what a session holds on the server: the cookie carries only the id', () => {
    const sessions = createSessions<{ secret: string }>({ ...clock(), random: secureRandom });
    const setCookie = sessions.start({ secret: 'tcld_dev_ak_secret' });
    assert.ok(!setCookie.includes('tcld_dev_ak_secret'));
  });

  it('knows no session for a missing, malformed or unknown id, or under another cookie name', () => {
    const sessions = createSessions<string>({ ...clock(), random: secureRandom });
    const id = sessions.start('admin').split(';')[0]!.split('=')[1]!;
    assert.equal(sessions.get(new Map()), undefined);
    assert.equal(sessions.get(new Map([['tcld_session', 'short']])), undefined);
    assert.equal(sessions.get(new Map([['tcld_session', 'A'.repeat(43)]])), undefined);
    assert.equal(sessions.get(new Map([['other', id]])), undefined);
    assert.equal(sessions.get(new Map([['tcld_session', id]])), 'admin');
  });

  it('ends a session when its lifetime is over, not before, whether used or not', () => {
    const time = clock();
    const sessions = createSessions<string>({ ...time, random: secureRandom, lifetimeSeconds: 60 });
    const cookies = sent(sessions.start('admin'));
    time.advance(59);
    assert.equal(sessions.get(cookies), 'admin');
    time.advance(1);
    assert.equal(sessions.get(cookies), undefined);
  });

  it('ends a session on request, answering the Set-Cookie header that removes the cookie, with or without a session', () => {
    const sessions = createSessions<string>({ ...clock(), random: secureRandom });
    const cookies = sent(sessions.start('admin'));
    assert.equal(sessions.end(cookies), 'tcld_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0');
    assert.equal(sessions.get(cookies), undefined);
    assert.equal(sessions.end(new Map()), 'tcld_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0');
  });

  it(`keeps at most ${MAX_SESSIONS} sessions: the oldest goes first`, () => {
    const sessions = createSessions<number>({ ...clock(), random: secureRandom, cookieName: 'console' });
    const cookies = Array.from({ length: MAX_SESSIONS + 1 }, (_, i) => sent(sessions.start(i)));
    assert.equal(sessions.get(cookies[0]!), undefined);
    assert.equal(sessions.get(cookies[1]!), 1);
    assert.equal(sessions.get(cookies[MAX_SESSIONS]!), MAX_SESSIONS);
  });
});
