import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { PFX } from '@peculiar/asn1-pfx';
import { AsnConvert } from '@peculiar/asn1-schema';
import { UsageError, UserError } from '../../errors.js';
import { generateCertificateAuthority, type GeneratedCertificate } from '../../pki/ca.js';
import { DAY_MS, FIXED_NOW } from '../../pki/test-support.js';
import { fakeDeps } from '../test-support.js';
import { run } from './leaf.js';

const options = { organization: 'myco', caCertificateFile: 'ca.pem', caKeyFile: 'ca.key', certificateFile: 'l.pem', keyFile: 'l.key' };
const withPkcs12 = { ...options, pkcs12: 'l.p12', pkcs12PasswordFile: 'pw.txt' };
const STORE_KEY = 'storing the end entity certificate (private) key at l.key, do not share this key with anyone. confirm:';

describe('gen leaf --pkcs12', () => {
  let ca: GeneratedCertificate;
  const files = (password = 'hunter2\n') => ({ 'ca.pem': ca.certificatePem, 'ca.key': ca.privateKeyPem, 'pw.txt': password });
  before(async () => {
    ca = await generateCertificateAuthority({ organization: 'myco', validityMs: 365 * DAY_MS, now: FIXED_NOW });
  });

  it('writes the PKCS#12 file 0600 in the same all-or-nothing write as the certificate and key', async () => {
    const { deps, writes, questions } = fakeDeps({ files: files(), answers: [true] });
    const result = await run(withPkcs12, deps);
    assert.deepEqual(questions, [STORE_KEY]);
    assert.equal(writes.length, 1);
    assert.deepEqual(writes[0]!.map((f) => [f.path, f.mode]), [['l.pem', 0o644], ['l.key', 0o600], ['l.p12', 0o600]]);
    assert.ok(result.written);
    assert.deepEqual(result.files.map((f) => f.what), ['end entity certificate', 'end entity certificate key', 'end entity certificate PKCS#12 file']);
    const pfx = AsnConvert.parse(writes[0]![2]!.data as Uint8Array, PFX);
    assert.equal(pfx.version, 3);
    assert.ok(new X509Certificate(writes[0]![0]!.data).checkIssued(new X509Certificate(ca.certificatePem)));
  });

  it('asks before overwriting an existing PKCS#12 file, and writes nothing on no', async () => {
    const { deps, writes, questions } = fakeDeps({ files: { ...files(), 'l.p12': 'old' }, answers: [false] });
    assert.deepEqual(await run(withPkcs12, deps), { written: false });
    assert.deepEqual(questions, ['file already exists at path l.p12, do you want to overwrite:']);
    assert.deepEqual(writes, []);
  });

  it('refuses --pkcs12 with --csr, which leaves no key to put in it', async () => {
    const { deps, writes, questions } = fakeDeps({ files: files(), answers: [true] });
    const { keyFile: _, ...forRequest } = withPkcs12;
    await assert.rejects(run({ ...forRequest, csr: 'req.pem' }, deps), (e: unknown) => e instanceof UsageError && /--pkcs12 is not used with --csr: the key stays/.test(e.message));
    assert.deepEqual([writes, questions], [[], []]);
  });

  it('names the missing flag when only one of --pkcs12 and --pkcs12-password-file is given', async () => {
    const { deps } = fakeDeps({ files: files() });
    await assert.rejects(run({ ...options, pkcs12: 'l.p12' }, deps), (e: unknown) => e instanceof UsageError && /--pkcs12 needs --pkcs12-password-file/.test(e.message));
    await assert.rejects(run({ ...options, pkcs12PasswordFile: 'pw.txt' }, deps), (e: unknown) => e instanceof UsageError && /only used with --pkcs12/.test(e.message));
  });

  it('refuses an empty password before asking anything, a lone newline included', async () => {
    for (const password of ['', '\n']) {
      const { deps, writes, questions } = fakeDeps({ files: files(password), answers: [true] });
      await assert.rejects(run(withPkcs12, deps), (e: unknown) => e instanceof UserError && e.message === 'the PKCS#12 password in pw.txt is empty: an empty password protects nothing');
      assert.deepEqual([writes, questions], [[], []]);
    }
  });

  it('refuses to write the PKCS#12 file over another output or the password file', async () => {
    for (const [pkcs12, message] of [
      ['./l.pem', /\.\/l\.pem and l\.pem are one file/],
      ['pw.txt', /pw\.txt is the --pkcs12-password-file file/],
    ] as const) {
      const { deps, writes, questions } = fakeDeps({ files: files(), answers: [true, true, true] });
      await assert.rejects(run({ ...withPkcs12, pkcs12 }, deps), (e: unknown) => e instanceof UsageError && message.test(e.message));
      assert.deepEqual([writes, questions], [[], []]);
    }
  });
});
