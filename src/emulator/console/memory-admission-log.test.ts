import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { AdmissionEvent } from './admission-log.js';
import { createMemoryAdmissionLog, KEPT_NAMESPACES, KEPT_PER_NAMESPACE } from './memory-admission-log.js';

const refusal = (namespace: string, subject = 'CN=client'): Omit<AdmissionEvent, 'seq'> => ({
  at: '2026-11-27T12:00:00.000Z',
  namespace,
  result: 'refused',
  subject,
  fingerprint: 'ab'.repeat(32),
  code: 'untrusted-issuer',
  message: 'no CA of the bundle issued it',
});

describe('createMemoryAdmissionLog', () => {
  it('gives the last events of a namespace, newest first, with increasing seq across namespaces', () => {
    const log = createMemoryAdmissionLog();
    log.record(refusal('a.acct', 'CN=1'));
    log.record(refusal('b.acct', 'CN=2'));
    log.record(refusal('a.acct', 'CN=3'));
    assert.deepEqual(log.recent('a.acct').map((e) => [e.seq, e.subject]), [[3, 'CN=3'], [1, 'CN=1']]);
    assert.deepEqual(log.recent('a.acct', 1).map((e) => e.subject), ['CN=3']);
    assert.deepEqual(log.recent('none.acct'), []);
  });

  it('keeps a bounded number of events per namespace, and of namespaces', () => {
    const log = createMemoryAdmissionLog();
    for (let i = 0; i < KEPT_PER_NAMESPACE + 5; i++) log.record(refusal('a.acct', `CN=${i}`));
    assert.equal(log.recent('a.acct', Infinity).length, KEPT_PER_NAMESPACE);
    assert.equal(log.recent('a.acct', 1)[0]!.subject, `CN=${KEPT_PER_NAMESPACE + 4}`);
    for (let i = 0; i < KEPT_NAMESPACES; i++) log.record(refusal(`n${i}.acct`));
    assert.deepEqual(log.recent('a.acct'), [], 'the namespace recorded least recently went first');
    assert.equal(log.recent(`n${KEPT_NAMESPACES - 1}.acct`).length, 1);
  });

  it('tells the listeners of a namespace of its new events until they unsubscribe, and survives one that throws', () => {
    const log = createMemoryAdmissionLog();
    const seen: string[] = [];
    log.subscribe('a.acct', () => {
      throw new Error('a broken listener');
    });
    const stop = log.subscribe('a.acct', (event) => seen.push(event.subject));
    log.record(refusal('a.acct', 'CN=1'));
    log.record(refusal('b.acct', 'CN=other'));
    stop();
    log.record(refusal('a.acct', 'CN=2'));
    assert.deepEqual(seen, ['CN=1']);
  });
});
