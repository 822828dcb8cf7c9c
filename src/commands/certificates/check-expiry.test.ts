import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { before, describe, it } from 'node:test';
import { errorKind } from '../../errors.js';
import { run, type ExpiringCertificate } from './check-expiry.js';
import { bytesDeps, makePki, type Pki } from './test-fixtures.js';

describe('cert check-expiry', () => {
  let pki: Pki;
  let files: Record<string, string | Uint8Array>;
  before(async () => {
    pki = await makePki();
    files = {
      'ca.pem': pki.ca.certificatePem, // 90 days left
      'leaf.der': new X509Certificate(pki.leaf.certificatePem).raw, // 30 days left
      'bundle.pem': pki.ca.certificatePem + pki.expiredLeaf.certificatePem,
      'empty.pem': '\n',
      'junk.pem': 'not a certificate',
      'cut.pem': pki.ca.certificatePem.slice(0, 300),
    };
  });

  it('is ok when nothing expires within the window (default 30d), counting every certificate', async () => {
    const verdict = await run({ files: ['ca.pem'] }, bytesDeps(files).deps);
    assert.equal(verdict.ok, true);
    assert.match(verdict.lines[0]!, /^ok: none of the 1 certificates expires within 30d; the first to expire does so on \S+, in 90d/);
  });

  it('lists each certificate that expires within the window, and says expired for one past its notAfter', async () => {
    const verdict = await run({ files: ['ca.pem', 'leaf.der', 'bundle.pem'], within: '31d' }, bytesDeps(files).deps);
    assert.equal(verdict.ok, false);
    assert.equal(verdict.lines[0], '2 of the 4 certificates expire within 31d:');
    assert.match(verdict.lines[1]!, /^leaf\.der: CN=worker,O=myco expires on \S+ \(30 days left\)$/);
    assert.match(verdict.lines[2]!, /^bundle\.pem \(certificate 2\): CN=\S+,O=myco expired on \S+ \(1 days ago\)$/);
    assert.equal(verdict.lines.length, 3);
  });

  it('counts a certificate expiring exactly at the end of the window as expiring', async () => {
    const verdict = await run({ files: ['leaf.der'], within: '30d' }, bytesDeps(files).deps);
    assert.equal(verdict.ok, false);
    assert.equal((await run({ files: ['leaf.der'], within: '29d23h' }, bytesDeps(files).deps)).ok, true);
  });

  it('gives JSON with --output json, ok or not', async () => {
    const verdict = await run({ files: ['bundle.pem'], output: 'json' }, bytesDeps(files).deps);
    assert.equal(verdict.ok, false);
    const json = verdict.json as { ok: boolean; within: string; checked: number; expiring: ExpiringCertificate[] };
    assert.equal(json.checked, 2);
    assert.equal(json.expiring.length, 1);
    assert.deepEqual({ ...json.expiring[0], subject: '' }, {
      source: 'bundle.pem',
      position: 2,
      subject: '',
      fingerprint: new X509Certificate(pki.expiredLeaf.certificatePem).fingerprint.replace(/:/g, '').toLowerCase(),
      notAfter: pki.expiredLeaf.notAfter.toISOString().replace('.000Z', 'Z'),
      daysLeft: -1,
      expired: true,
    });
  });

  it('turns every bad input into exit 2: unreadable, empty, not PEM, truncated (bad input), bad duration (usage)', async () => {
    const cases: Array<[string[], string | undefined, RegExp, 'input' | 'usage']> = [
      [['missing.pem'], undefined, /cannot read certificate file missing\.pem/, 'input'],
      [['empty.pem'], undefined, /empty\.pem holds no certificate/, 'input'],
      [['junk.pem'], undefined, /junk\.pem: the file is not PEM/, 'input'],
      [['ca.pem', 'cut.pem'], undefined, /cut\.pem: the file is not valid PEM/, 'input'],
      [['ca.pem'], '30 days', /--within: invalid duration "30 days"/, 'usage'],
      [['ca.pem'], '-1d', /--within must not be negative/, 'usage'],
      [[], undefined, /missing argument <file>/, 'usage'],
    ];
    for (const [names, within, pattern, kind] of cases) {
      await assert.rejects(
        run({ files: names, ...(within !== undefined ? { within } : {}) }, bytesDeps(files).deps),
        (e: Error) => errorKind(e) === kind && pattern.test(e.message),
        `${names.join(' ')} ${within}`,
      );
    }
  });

  // Its speed is measured by `npm run bench` (bench/cert-checks.mjs), not here.
  it('checks every one of a thousand certificates', async () => {
    const many = { 'many.pem': (pki.ca.certificatePem + pki.leaf.certificatePem).repeat(500) };
    const ok = await run({ files: ['many.pem'], within: '1d' }, bytesDeps(many).deps);
    assert.equal(ok.ok, true);
    assert.match(ok.lines[0]!, /^ok: none of the 1000 certificates expires within 1d/);
    const expiring = await run({ files: ['many.pem'], within: '31d' }, bytesDeps(many).deps);
    assert.equal(expiring.ok, false);
    assert.equal(expiring.lines[0], '500 of the 1000 certificates expire within 31d:');
    const listed = expiring.lines.slice(1).map((line) => Number(/^many\.pem \(certificate (\d+)\): CN=worker,O=myco expires on /.exec(line)?.[1]));
    assert.deepEqual(listed, Array.from({ length: 500 }, (_, i) => 2 * i + 2));
  });
});
