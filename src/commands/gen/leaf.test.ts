import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { CertificateError, UsageError, UserError } from '../../errors.js';
import { generateCertificateAuthority, type GeneratedCertificate } from '../../pki/ca.js';
import { DAY_MS, FIXED_NOW } from '../../pki/test-support.js';
import { fakeDeps } from '../test-support.js';
import { encryptPrivateKey } from '../../pki/protected-key.js';
import { run } from './leaf.js';

const options = { organization: 'myco', caCertificateFile: 'ca.pem', caKeyFile: 'ca.key', certificateFile: 'l.pem', keyFile: 'l.key' };

describe('gen leaf', () => {
  let ca: GeneratedCertificate;
  const caFiles = () => ({ 'ca.pem': ca.certificatePem, 'ca.key': ca.privateKeyPem });
  before(async () => {
    ca = await generateCertificateAuthority({ organization: 'myco', validityMs: 365 * DAY_MS, now: FIXED_NOW });
  });

  it('issues a leaf from the CA files and writes it with its key', async () => {
    const { deps, writes, questions } = fakeDeps({ files: caFiles(), answers: [true] });
    const result = await run({ ...options, organizationUnit: 'ou', commonName: 'worker' }, deps);
    assert.ok(result.written);
    assert.deepEqual(questions, ['storing the end entity certificate (private) key at l.key, do not share this key with anyone. confirm:']);
    const leaf = new X509Certificate(writes[0]![0]!.data);
    assert.ok(leaf.checkIssued(new X509Certificate(ca.certificatePem)));
    assert.equal(leaf.subject, 'O=myco\nOU=ou\nCN=worker');
    assert.deepEqual(writes[0]!.map((f) => f.mode), [0o644, 0o600]);
  });

  it('refuses a validity that outlives the CA before asking anything', async () => {
    const { deps, questions } = fakeDeps({ files: caFiles(), answers: [true] });
    await assert.rejects(run({ ...options, validityPeriod: '2y' }, deps), (e: unknown) => e instanceof CertificateError && /by 365d/.test(e.message));
    assert.deepEqual(questions, []);
  });

  it('names the file it cannot read', async () => {
    const { deps } = fakeDeps({ files: { 'ca.pem': ca.certificatePem } });
    await assert.rejects(run(options, deps), (e: unknown) => e instanceof UserError && e.message === 'cannot read CA key file ca.key: no such file or folder');
  });
});

describe('gen leaf output paths', () => {
  it('refuses to write over the CA files it reads, however the path is spelled', async () => {
    const ca = await generateCertificateAuthority({ organization: 'myco', validityMs: 30 * DAY_MS, now: FIXED_NOW });
    for (const [cert, key, message] of [
      ['l.pem', './ca.key', /\.\/ca\.key is the --ca-key-file file/],
      ['dir/../ca.pem', 'l.key', /dir\/\.\.\/ca\.pem is the --ca-certificate-file file/],
      ['out.pem', 'dir/../out.pem', /two different paths/],
    ] as const) {
      const { deps, writes, questions } = fakeDeps({ files: { 'ca.pem': ca.certificatePem, 'ca.key': ca.privateKeyPem }, answers: [true, true, true] });
      await assert.rejects(run({ ...options, certificateFile: cert, keyFile: key }, deps), (e: unknown) => e instanceof UsageError && message.test(e.message));
      assert.deepEqual([writes, questions], [[], []]);
    }
  });
});

describe('gen leaf with a protected CA key', () => {
  let ca: GeneratedCertificate;
  let encrypted: string;
  before(async () => {
    ca = await generateCertificateAuthority({ organization: 'myco', validityMs: 365 * DAY_MS, now: FIXED_NOW });
    encrypted = encryptPrivateKey(ca.privateKeyPem, 'secret');
  });

  it('reads the key with the passphrase from any of the three options', async () => {
    for (const [change, extra] of [
      [{ caKeyPassphraseFile: 'pass' }, { files: { pass: 'secret\n' } }],
      [{ caKeyPassphraseEnv: 'P' }, { env: { P: 'secret' } }],
      [{ caKeyPassphrasePrompt: true }, { secrets: ['secret'] }],
    ] as const) {
      const { deps, writes, secretQuestions } = fakeDeps({ answers: [true], ...extra, files: { 'ca.pem': ca.certificatePem, 'ca.key': encrypted, ...('files' in extra ? extra.files : {}) } });
      assert.ok((await run({ ...options, ...change }, deps)).written, JSON.stringify(change));
      assert.ok(new X509Certificate(writes[0]![0]!.data).checkIssued(new X509Certificate(ca.certificatePem)));
      assert.equal(secretQuestions.length, change.caKeyPassphrasePrompt ? 1 : 0);
    }
  });

  it('says which options give a passphrase when none is given, and that a wrong one is wrong', async () => {
    const files = { 'ca.pem': ca.certificatePem, 'ca.key': encrypted };
    const none = fakeDeps({ files, answers: [true] });
    await assert.rejects(run(options, none.deps), /^CertificateError: CA key is encrypted: give its passphrase with --ca-key-passphrase-file, --ca-key-passphrase-env or --ca-key-passphrase-prompt/);
    const wrong = fakeDeps({ files, env: { P: 'wrong' }, answers: [true] });
    await assert.rejects(run({ ...options, caKeyPassphraseEnv: 'P' }, wrong.deps), /cannot decrypt the CA key: wrong passphrase/);
    assert.deepEqual([none.questions, wrong.questions, wrong.writes], [[], [], []]);
  });
});
