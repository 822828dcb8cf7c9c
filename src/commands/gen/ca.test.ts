import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { describe, it } from 'node:test';
import { CertificateError, UsageError } from '../../errors.js';
import { fakeDeps } from '../test-support.js';
import { run } from './ca.js';

const options = { organization: 'myco', validityPeriod: '1y', caCertificateFile: 'ca.pem', caKeyFile: 'ca.key' };

describe('gen ca', () => {
  it('asks before storing the key, then writes the certificate 0644 and the key 0600 together', async () => {
    const { deps, questions, writes } = fakeDeps({ answers: [true] });
    const result = await run(options, deps);
    assert.deepEqual(questions, ['storing the certificate authority (private) key at ca.key, do not share this key with anyone. confirm:']);
    assert.equal(writes.length, 1);
    assert.deepEqual(writes[0]!.map((f) => [f.path, f.mode]), [['ca.pem', 0o644], ['ca.key', 0o600]]);
    assert.ok(new X509Certificate(writes[0]![0]!.data).ca);
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
