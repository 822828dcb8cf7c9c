import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { CertificateError, UsageError, UserError } from '../../errors.js';
import { generateCertificateAuthority, type GeneratedCertificate } from '../../pki/ca.js';
import { DAY_MS, FIXED_NOW } from '../../pki/test-support.js';
import { fakeDeps } from '../test-support.js';
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
