import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { CertificateError, UsageError } from '../../errors.js';
import { generateCertificateAuthority, type GeneratedCertificate } from '../../pki/ca.js';
import { parseCertificateRequest } from '../../pki/csr.js';
import { parsePemBlocks, toPem } from '../../pki/pem.js';
import { encryptPrivateKey } from '../../pki/protected-key.js';
import { DAY_MS, FIXED_NOW } from '../../pki/test-support.js';
import { fakeDeps, textOf } from '../test-support.js';
import { run as runCsr } from './csr.js';
import { run as runLeaf } from './leaf.js';

const HAS_OPENSSL = spawnSync('openssl', ['version']).status === 0;

const csrOptions = { organization: 'myco', commonName: 'worker-1', csrFile: 'w.csr', keyFile: 'w.key' };
const leafOptions = { caCertificateFile: 'ca.pem', caKeyFile: 'ca.key', certificateFile: 'w.pem', csr: 'w.csr' };

describe('gen csr', () => {
  it('asks before storing the key, then writes the request 0644 and its key 0600 together', async () => {
    const { deps, questions, writes } = fakeDeps({ answers: [true] });
    assert.ok((await runCsr(csrOptions, deps)).written);
    assert.deepEqual(questions, ['storing the certificate signing request (private) key at w.key, do not share this key with anyone. confirm:']);
    assert.deepEqual(writes[0]!.map((f) => [f.path, f.mode]), [['w.csr', 0o644], ['w.key', 0o600]]);
    assert.equal(parseCertificateRequest(textOf(writes[0]![0]!)).commonName, 'worker-1');
  });

  it('asks before overwriting, writes nothing on no, and refuses one path for both files', async () => {
    const declined = fakeDeps({ files: { 'w.key': 'old' }, answers: [false] });
    assert.deepEqual(await runCsr(csrOptions, declined.deps), { written: false });
    assert.deepEqual(declined.questions, ['file already exists at path w.key, do you want to overwrite:']);
    const same = fakeDeps({ answers: [true] });
    await assert.rejects(runCsr({ ...csrOptions, keyFile: './w.csr' }, same.deps), (e: unknown) => e instanceof UsageError && /the request and its key need two different paths/.test(e.message));
    await assert.rejects(runCsr({ ...csrOptions, organization: ' ' }, same.deps), CertificateError);
    assert.deepEqual([declined.writes, same.writes, same.questions], [[], [], []]);
  });
});

describe('gen leaf --csr', () => {
  let ca: GeneratedCertificate;
  let request: { pem: string; key: string };
  before(async () => {
    ca = await generateCertificateAuthority({ organization: 'myco', validityMs: 365 * DAY_MS, now: FIXED_NOW });
    const { deps, writes } = fakeDeps({ answers: [true] });
    await runCsr(csrOptions, deps);
    request = { pem: textOf(writes[0]![0]!), key: textOf(writes[0]![1]!) };
  });
  const files = () => ({ 'ca.pem': ca.certificatePem, 'ca.key': ca.privateKeyPem, 'w.csr': request.pem });

  it('writes only the certificate, for the request key and subject, without asking to store a key', async () => {
    const { deps, writes, questions } = fakeDeps({ files: files(), answers: [] });
    const result = await runLeaf(leafOptions, deps);
    assert.ok(result.written);
    assert.deepEqual(questions, []);
    assert.deepEqual(writes[0]!.map((f) => [f.path, f.mode]), [['w.pem', 0o644]]);
    const leaf = new X509Certificate(textOf(writes[0]![0]!));
    assert.equal(leaf.subject, 'O=myco\nCN=worker-1');
    assert.ok(leaf.checkPrivateKey(createPrivateKey(request.key)));
    assert.ok(leaf.checkIssued(new X509Certificate(ca.certificatePem)));
  });

  it('lets given subject flags win and reads a protected CA key', async () => {
    const { deps, writes } = fakeDeps({ files: { ...files(), 'ca.key': encryptPrivateKey(ca.privateKeyPem, 'pw') }, env: { PW: 'pw' } });
    await runLeaf({ ...leafOptions, organization: 'other', commonName: 'cn', caKeyPassphraseEnv: 'PW' }, deps);
    assert.equal(new X509Certificate(textOf(writes[0]![0]!)).subject, 'O=other\nCN=cn');
  });

  it('refuses --key, a tampered request and an output over the request, before asking or writing anything', async () => {
    const der = Buffer.from(parsePemBlocks(request.pem)[0]!.der);
    der[der.indexOf(Buffer.from('worker-1'))] = 'W'.charCodeAt(0);
    for (const [change, extra, pattern] of [
      [{ keyFile: 'w.key' }, {}, /--key-file is not used with --csr/],
      [{}, { 'w.csr': toPem('CERTIFICATE REQUEST', der) }, /signature does not verify/],
      [{ certificateFile: './w.csr' }, {}, /w\.csr is the --csr file/],
    ] as const) {
      const { deps, writes, questions } = fakeDeps({ files: { ...files(), ...extra }, answers: [true, true] });
      await assert.rejects(runLeaf({ ...leafOptions, ...change }, deps), pattern);
      assert.deepEqual([writes, questions], [[], []], JSON.stringify(change));
    }
  });

  it('asks for --organization (usage, exit 2) when the request has no organization, naming the flag itself', { skip: HAS_OPENSSL ? false : 'openssl is not installed' }, async () => {
    const folder = mkdtempSync(join(tmpdir(), 'tcld-csr-'));
    const keyPath = join(folder, 'w.key');
    writeFileSync(keyPath, request.key, { mode: 0o600 });
    const noOrg = execFileSync('openssl', ['req', '-new', '-key', keyPath, '-subj', '/CN=worker-2'], { encoding: 'utf8' });
    rmSync(folder, { recursive: true, force: true });
    const { deps, writes } = fakeDeps({ files: { ...files(), 'w.csr': noOrg }, answers: [true] });
    await assert.rejects(runLeaf(leafOptions, deps), /^UsageError: required flag --organization not set: the certificate signing request has no organization \(O\)$/);
    assert.deepEqual(writes, []);
    await runLeaf({ ...leafOptions, organization: 'given' }, deps);
    assert.equal(new X509Certificate(textOf(writes[0]![0]!)).subject, 'O=given\nCN=worker-2');
  });

  it('keeps requiring --organization and --key-file without --csr', async () => {
    const { deps } = fakeDeps({ files: files() });
    const plain = { caCertificateFile: 'ca.pem', caKeyFile: 'ca.key', certificateFile: 'w.pem' };
    await assert.rejects(runLeaf(plain, deps), /^UsageError: required flag --organization not set$/);
    await assert.rejects(runLeaf({ ...plain, organization: 'myco' }, deps), /^UsageError: required flag --key-file not set$/);
  });
});
