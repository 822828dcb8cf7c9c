import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type { CloudClient } from '../../cloud/client.js';
import { UserError, errorKind } from '../../errors.js';
import { bytesDeps, makePki, type Pki } from '../certificates/test-fixtures.js';
import { run } from './ca-check-expiry.js';

describe('n ca check-expiry', () => {
  let pki: Pki;
  before(async () => {
    pki = await makePki();
  });

  function depsWithBundle(bundle: string | Error) {
    const faked = bytesDeps({});
    const calls: string[] = [];
    faked.deps.cloud = async () =>
      ({
        getNamespace: async (name: string) => {
          calls.push(name);
          if (bundle instanceof Error) throw bundle;
          return { namespace: name, spec: { mtlsAuth: { acceptedClientCa: Buffer.from(bundle) } } };
        },
        close: () => {},
      }) as unknown as CloudClient;
    return { deps: faked.deps, calls };
  }

  it("is ok when none of the namespace's CAs expires within the window", async () => {
    const { deps, calls } = depsWithBundle(pki.ca.certificatePem + pki.otherCa.certificatePem);
    const verdict = await run({ namespace: 'myns.acct', within: '30d' }, deps);
    assert.deepEqual(calls, ['myns.acct']);
    assert.equal(verdict.ok, true);
    assert.match(verdict.lines[0]!, /^ok: none of the 2 certificates expires within 30d/);
  });

  it('lists each CA that expires within the window with its fingerprint', async () => {
    const { deps } = depsWithBundle(pki.ca.certificatePem + pki.otherCa.certificatePem);
    const verdict = await run({ namespace: 'myns.acct', within: '90d' }, deps);
    assert.equal(verdict.ok, false);
    assert.equal(verdict.lines[0], '1 of the 2 certificates expire within 90d:');
    assert.match(verdict.lines[1]!, /^namespace myns\.acct \(certificate 1\): CN=\S+,O=myco expires on \S+ \(90 days left\) \(fingerprint [0-9a-f]{40}\)$/);
    assert.equal(verdict.lines.length, 2);
  });

  it('says so, ok, for a namespace without CAs', async () => {
    const verdict = await run({ namespace: 'myns.acct' }, depsWithBundle('').deps);
    assert.equal(verdict.ok, true);
    assert.match(verdict.lines[0]!, /has no accepted client CA certificate/);
  });

  it('refuses a bad duration or no namespace (usage, exit 2) before connecting; API errors stay user errors (exit 1)', async () => {
    const { deps, calls } = depsWithBundle(pki.ca.certificatePem);
    await assert.rejects(run({ namespace: 'myns.acct', within: 'soon' }, deps), (e: Error) => errorKind(e) === 'usage' && /--within/.test(e.message));
    await assert.rejects(run({ namespace: '' }, deps), (e: Error) => errorKind(e) === 'usage' && /--namespace/.test(e.message));
    assert.deepEqual(calls, []);
    const failing = depsWithBundle(new UserError('namespace nope.acct not found'));
    await assert.rejects(run({ namespace: 'nope.acct' }, failing.deps), (e: Error) => errorKind(e) === 'user' && /not found/.test(e.message));
  });
});
