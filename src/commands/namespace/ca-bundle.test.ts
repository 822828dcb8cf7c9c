import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { UserError } from '../../errors.js';
import { parseBundle, type BundleCertificate } from '../../pki/bundle.js';
import { bytesDeps, DAY_MS, FIXED_NOW, makePki, type Pki } from '../certificates/test-fixtures.js';
import type { Deps } from '../deps.js';
import { run as add } from './ca-add.js';
import { dropExpired } from './ca-bundle.js';
import { run as set } from './ca-set.js';
import { fakeCloud } from './fake-cloud.js';

/** 95 days after FIXED_NOW: pki.ca (90 days left at FIXED_NOW) has expired, pki.otherCa (120) has not. */
const LATER = new Date(FIXED_NOW.getTime() + 95 * DAY_MS);

describe('dropExpired', () => {
  let pki: Pki;
  let expired: BundleCertificate;
  let valid: BundleCertificate;
  before(async () => {
    pki = await makePki();
    [expired] = parseBundle(pki.ca.certificatePem);
    [valid] = parseBundle(pki.otherCa.certificatePem);
  });

  it('refuses a bundle holding an expired certificate, naming it and --remove-expired, in one wording whichever bundle it is', () => {
    for (const bundle of ["the namespace's bundle", 'the new bundle'] as const) {
      assert.throws(
        () => dropExpired([valid, expired], false, LATER, bundle),
        (error: unknown) => {
          assert.ok(error instanceof UserError);
          assert.equal(
            error.message,
            `${bundle} holds expired certificates, which Temporal Cloud refuses in any update: ${expired.subject} (${expired.fingerprint.slice(0, 12)}…); add --remove-expired to drop them in this update`,
          );
          return true;
        },
      );
    }
  });

  it('drops the expired certificates with --remove-expired, and keeps a bundle without any as it is', () => {
    assert.deepEqual(dropExpired([valid, expired], true, LATER, 'the new bundle'), [valid]);
    const unexpired = [valid, expired];
    assert.equal(dropExpired(unexpired, false, FIXED_NOW, "the namespace's bundle"), unexpired);
  });
});

describe('the expired-CA refusal of n ca a and n ca s', () => {
  let pki: Pki;
  before(async () => {
    pki = await makePki();
  });

  /** The refusal's words, with the bundle it names cut off: what add says of the namespace's bundle, set of the new one. */
  async function refusalOf(command: typeof add | typeof set, namespaceBundle: string, file: string): Promise<string> {
    const cloud = fakeCloud([{ namespace: 'myns.acct', resourceVersion: 'v1', spec: { mtlsAuth: { acceptedClientCa: Buffer.from(namespaceBundle) } } }]);
    const deps: Deps = { ...bytesDeps({ 'given.pem': file }, LATER).deps, cloud: async () => cloud.client };
    try {
      await command({ namespace: 'myns.acct', caCertificateFile: 'given.pem' }, deps);
    } catch (error) {
      assert.ok(error instanceof UserError, String(error));
      assert.deepEqual(cloud.updates, []);
      return error.message;
    }
    assert.fail('expected a refusal');
  }

  it('is the same sentence for an expired CA in the namespace (add) and in the new bundle (set)', async () => {
    const byAdd = await refusalOf(add, pki.ca.certificatePem, pki.otherCa.certificatePem);
    const bySet = await refusalOf(set, '', pki.ca.certificatePem);
    assert.match(byAdd, /^namespace myns\.acct's bundle holds expired certificates/);
    assert.match(bySet, /^the new bundle holds expired certificates/);
    assert.equal(byAdd.replace("namespace myns.acct's bundle", 'X'), bySet.replace('the new bundle', 'X'));
  });
});
