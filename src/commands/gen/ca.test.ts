import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { describe, it } from 'node:test';
import { CertificateError, UsageError } from '../../errors.js';
import { fakeDeps, textOf } from '../test-support.js';
import { run } from './ca.js';

const options = { organization: 'myco', validityPeriod: '1y', caCertificateFile: 'ca.pem', caKeyFile: 'ca.key' };

describe('gen ca', () => {
  it('asks before storing the key, then writes the certificate 0644 and the key 0600 together', async () => {
    const { deps, questions, writes } = fakeDeps({ answers: [true] });
    const result = await run(options, deps);
    assert.deepEqual(questions, ['storing the certificate authority (private) key at ca.key, do not share this key with anyone. confirm:']);
    assert.equal(writes.length, 1);
    assert.deepEqual(writes[0]!.map((f) => [f.path, f.mode]), [['ca.pem', 0o644], ['ca.key', 0o600]]);
    assert.ok(new X509Certificate(textOf(writes[0]![0]!)).ca);
    assert.ok(result.written);
    assert.equal(result.dnsName, 'client.root.myco.bcde');
  });

  it('writes nothing when the user declines', async () => {
    const { deps, writes } = fakeDeps({ answers: [false] });
    assert.deepEqual(await run(options, deps), { written: false });
    assert.equal(writes.length, 0);
  });

  it('asks before overwriting an existing file, and stops at the first no', async () => {
    const { deps, questions, writes } = fakeDeps({ files: { 'ca.pem': 'old' }, answers: [false] });
    assert.deepEqual(await run(options, deps), { written: false });
    assert.deepEqual(questions, ['file already exists at path ca.pem, do you want to overwrite:']);
    assert.equal(writes.length, 0);
  });

  it('checks the flags before asking anything', async () => {
    for (const [change, error] of [
      [{ validityPeriod: '1w' }, UsageError],
      [{ validityPeriod: '7d' }, CertificateError],
      [{ organization: ' ' }, CertificateError],
      [{ caKeyFile: 'ca.pem' }, UsageError],
    ] as const) {
      const { deps, questions } = fakeDeps({ answers: [true] });
      await assert.rejects(run({ ...options, ...change }, deps), error);
      assert.deepEqual(questions, [], JSON.stringify(change));
    }
  });
});

describe('gen ca --like', () => {
  async function oldCa(options: { organization?: string; rsa?: boolean } = {}) {
    const { deps, writes } = fakeDeps({ answers: [true] });
    await run({ ...options, organization: options.organization ?? 'oldco', validityPeriod: '30d', caCertificateFile: 'old.pem', caKeyFile: 'old.key', rsaAlgorithm: options.rsa ?? false }, deps);
    return textOf(writes[0]![0]!);
  }

  it('takes the organization and key algorithm of the old CA, with a new key, serial and subject', async () => {
    const old = await oldCa();
    const { deps, writes } = fakeDeps({ files: { 'old.pem': old }, answers: [true] });
    const result = await run({ validityPeriod: '1y', caCertificateFile: 'ca.pem', caKeyFile: 'ca.key', like: 'old.pem' }, deps);
    assert.ok(result.written);
    const [oldCert, newCert] = [new X509Certificate(old), new X509Certificate(textOf(writes[0]![0]!))];
    assert.match(newCert.subject, /^O=oldco\nCN=client\.root\.oldco\./);
    assert.notEqual(newCert.subject, oldCert.subject);
    assert.notEqual(newCert.serialNumber, oldCert.serialNumber);
    assert.equal(newCert.publicKey.asymmetricKeyDetails?.namedCurve, 'secp384r1');
    assert.ok(!newCert.publicKey.equals(oldCert.publicKey));
  });

  it('lets a given --org win, and draws again when the new subject would repeat the old one', async () => {
    const old = await oldCa({ organization: 'myco' }); // the same counting randomness: the same first suffix
    const { deps, writes } = fakeDeps({ files: { 'old.pem': old }, answers: [true] });
    await run({ ...options, like: 'old.pem' }, deps);
    const newCert = new X509Certificate(textOf(writes[0]![0]!));
    assert.match(newCert.subject, /^O=myco\n/);
    assert.notEqual(newCert.subject, new X509Certificate(old).subject);
  });

  it('keeps RSA from an RSA CA', async () => {
    const old = await oldCa({ rsa: true });
    const { deps, writes } = fakeDeps({ files: { 'old.pem': old }, answers: [true] });
    await run({ validityPeriod: '1y', caCertificateFile: 'ca.pem', caKeyFile: 'ca.key', like: 'old.pem' }, deps);
    assert.equal(new X509Certificate(textOf(writes[0]![0]!)).publicKey.asymmetricKeyType, 'rsa');
  });

  it('refuses a --like file that is not a certificate, before asking anything', async () => {
    const { deps, questions } = fakeDeps({ files: { 'old.pem': '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n' }, answers: [true] });
    await assert.rejects(run({ validityPeriod: '1y', caCertificateFile: 'ca.pem', caKeyFile: 'ca.key', like: 'old.pem' }, deps), /--like old\.pem: the old CA certificate is malformed/);
    assert.deepEqual(questions, []);
  });

  it('still requires --organization without --like', async () => {
    const { deps } = fakeDeps({ answers: [true] });
    await assert.rejects(run({ validityPeriod: '1y', caCertificateFile: 'ca.pem', caKeyFile: 'ca.key' }, deps), (e: unknown) => e instanceof UsageError && e.message === 'required flag --organization not set');
  });
});

describe('gen ca with a CA key passphrase', () => {
  it('writes the key as encrypted PKCS#8 that opens with the passphrase from a file, ignoring one trailing newline', async () => {
    const { deps, writes } = fakeDeps({ files: { pass: 'secret\n' }, answers: [true] });
    await run({ ...options, caKeyPassphraseFile: 'pass' }, deps);
    const key = textOf(writes[0]![1]!);
    assert.match(key, /^-----BEGIN ENCRYPTED PRIVATE KEY-----\n/);
    assert.throws(() => createPrivateKey({ key, passphrase: 'secret\n' }));
    assert.ok(new X509Certificate(textOf(writes[0]![0]!)).checkPrivateKey(createPrivateKey({ key, passphrase: 'secret' })));
  });

  it('takes it from an environment variable, or asks twice at the prompt', async () => {
    const fromEnv = fakeDeps({ env: { CA_PASS: 'p1' }, answers: [true] });
    await run({ ...options, caKeyPassphraseEnv: 'CA_PASS' }, fromEnv.deps);
    createPrivateKey({ key: textOf(fromEnv.writes[0]![1]!), passphrase: 'p1' });
    const asked = fakeDeps({ secrets: ['p2', 'p2'], answers: [true] });
    await run({ ...options, caKeyPassphrasePrompt: true }, asked.deps);
    assert.deepEqual(asked.secretQuestions, ['CA key passphrase:', 'CA key passphrase again:']);
    createPrivateKey({ key: textOf(asked.writes[0]![1]!), passphrase: 'p2' });
  });

  it('refuses two passphrase options, an empty or unset passphrase and two different answers, writing nothing', async () => {
    for (const [change, extra, pattern] of [
      [{ caKeyPassphraseEnv: 'X', caKeyPassphrasePrompt: true }, {}, /one way, not --ca-key-passphrase-env and --ca-key-passphrase-prompt/],
      [{ caKeyPassphraseFile: 'pass' }, { files: { pass: '\n' } }, /passphrase file pass is empty/],
      [{ caKeyPassphraseEnv: 'NOPE' }, {}, /environment variable NOPE is not set/],
      [{ caKeyPassphrasePrompt: true }, { secrets: ['a', 'b'] }, /passphrases differ/],
      [{ caKeyPassphrasePrompt: true }, { secrets: [] }, /no CA key passphrase given/],
    ] as const) {
      const { deps, writes, questions } = fakeDeps({ answers: [true], ...extra });
      await assert.rejects(run({ ...options, ...change }, deps), pattern);
      assert.deepEqual([writes, questions], [[], []], JSON.stringify(change));
    }
  });
});
