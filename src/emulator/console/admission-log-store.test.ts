import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AdmissionEvent } from './admission-log.js';
import { EVENTS_PER_NAMESPACE, TooManyListenersError, createAdmissionLog } from './admission-log-store.js';

/** An event's fields; `subject` tells events apart. */
function event(namespace: string, subject: string, result: AdmissionEvent['result'] = 'refused'): Omit<AdmissionEvent, 'seq'> {
  return {
    at: '2025-06-01T12:00:00.000Z',
    namespace,
    result,
    subject,
    fingerprint: 'ab'.repeat(32),
    code: result === 'admitted' ? '' : 'unknown-issuer',
    message: result === 'admitted' ? '' : 'no CA of the namespace issued it',
  };
}

const subjects = (events: readonly AdmissionEvent[]) => events.map((e) => e.subject);

describe('createAdmissionLog', () => {
  it('returns the last events of a namespace newest first, each with a seq that increases across namespaces', () => {
    const log = createAdmissionLog();
    log.record(event('a.acct', 'CN=1'));
    log.record(event('b.acct', 'CN=2'));
    log.record(event('a.acct', 'CN=3', 'admitted'));
    const a = log.recent('a.acct');
    assert.deepEqual(subjects(a), ['CN=3', 'CN=1']);
    assert.deepEqual(
      a.map((e) => e.seq),
      [3, 1],
    );
    assert.deepEqual(a[0], { ...event('a.acct', 'CN=3', 'admitted'), seq: 3 });
    assert.deepEqual(subjects(log.recent('b.acct')), ['CN=2']);
  });

  it('keeps 50 events per namespace by default, the oldest overwritten', () => {
    const log = createAdmissionLog();
    for (let i = 1; i <= 120; i++) log.record(event('a.acct', `CN=${i}`));
    const recent = log.recent('a.acct');
    assert.equal(EVENTS_PER_NAMESPACE, 50);
    assert.equal(recent.length, 50);
    assert.equal(recent[0]!.subject, 'CN=120');
    assert.equal(recent[49]!.subject, 'CN=71');
    assert.deepEqual(subjects(log.recent('a.acct', 3)), ['CN=120', 'CN=119', 'CN=118']);
    assert.deepEqual(log.recent('a.acct', 0), []);
  });

  it('keeps a quiet namespace’s events however busy another is', () => {
    const log = createAdmissionLog({ perNamespace: 3 });
    log.record(event('quiet.acct', 'CN=quiet'));
    for (let i = 0; i < 10; i++) log.record(event('busy.acct', `CN=${i}`));
    assert.deepEqual(subjects(log.recent('quiet.acct')), ['CN=quiet']);
    assert.deepEqual(subjects(log.recent('busy.acct')), ['CN=9', 'CN=8', 'CN=7']);
  });

  it('forgets the namespace recorded to least recently past the bound on namespaces, and never the unnamed one', () => {
    const log = createAdmissionLog({ namespaces: 2 });
    log.record(event('', 'CN=unnamed'));
    log.record(event('a.acct', 'CN=a'));
    log.record(event('b.acct', 'CN=b'));
    log.record(event('a.acct', 'CN=a2'));
    log.record(event('c.acct', 'CN=c'));
    assert.deepEqual(log.recent('b.acct'), []);
    assert.deepEqual(subjects(log.recent('a.acct')), ['CN=a2', 'CN=a']);
    assert.deepEqual(subjects(log.recent('c.acct')), ['CN=c']);
    assert.deepEqual(subjects(log.recent('')), ['CN=unnamed']);
  });

  it('answers no events for a namespace it never saw', () => {
    assert.deepEqual(createAdmissionLog().recent('none.acct'), []);
  });

  it('tells a namespace’s listeners of its new events only, until they unsubscribe', () => {
    const log = createAdmissionLog();
    const heard: string[] = [];
    const unsubscribe = log.subscribe('a.acct', (e) => heard.push(`${e.seq} ${e.subject}`));
    log.record(event('a.acct', 'CN=1'));
    log.record(event('b.acct', 'CN=2'));
    log.record(event('', 'CN=3'));
    unsubscribe();
    unsubscribe();
    log.record(event('a.acct', 'CN=4'));
    assert.deepEqual(heard, ['1 CN=1']);
  });

  it('counts the same function subscribed twice as two subscriptions', () => {
    const log = createAdmissionLog();
    let heard = 0;
    const listener = () => void heard++;
    const first = log.subscribe('a.acct', listener);
    log.subscribe('a.acct', listener);
    first();
    log.record(event('a.acct', 'CN=1'));
    assert.equal(heard, 1);
  });

  it('refuses a listener past the bound with TooManyListenersError, and takes one again once another left', () => {
    const log = createAdmissionLog({ listenersPerNamespace: 2 });
    const first = log.subscribe('a.acct', () => {});
    log.subscribe('a.acct', () => {});
    assert.throws(
      () => log.subscribe('a.acct', () => {}),
      (error: unknown) => error instanceof TooManyListenersError && error.code === 'too-many-listeners',
    );
    // The bound is per namespace.
    log.subscribe('b.acct', () => {});
    first();
    log.subscribe('a.acct', () => {});
  });

  it('keeps recording and telling the other listeners when a listener throws', () => {
    const errors: unknown[] = [];
    const log = createAdmissionLog({ onListenerError: (error) => errors.push(error) });
    const heard: number[] = [];
    log.subscribe('a.acct', () => {
      throw new Error('a broken console');
    });
    log.subscribe('a.acct', (e) => heard.push(e.seq));
    assert.doesNotThrow(() => log.record(event('a.acct', 'CN=1')));
    assert.deepEqual(heard, [1]);
    assert.equal((errors[0] as Error).message, 'a broken console');
    assert.equal(log.recent('a.acct').length, 1);
  });

  it('does not tell a listener that another unsubscribed while the event was being told', () => {
    const log = createAdmissionLog();
    const heard: string[] = [];
    let second = () => {};
    log.subscribe('a.acct', () => {
      heard.push('first');
      second();
    });
    second = log.subscribe('a.acct', () => heard.push('second'));
    log.record(event('a.acct', 'CN=1'));
    log.record(event('a.acct', 'CN=2'));
    assert.deepEqual(heard, ['first', 'first']);
  });
});
