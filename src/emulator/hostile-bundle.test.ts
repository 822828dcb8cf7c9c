import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateCertificateAuthority, type GeneratedCertificate } from '../pki/ca.js';
import { FIXED_NOW, makeTestCertificate, testKey, testName } from '../pki/test-support.js';
import type { Emulator } from './index.js';
import { MAX_MESSAGE_BYTES } from './server.js';
import { connectOfficialClient, grpcError, startTestEmulator, status } from './test-support.js';

type Client = Awaited<ReturnType<typeof connectOfficialClient>>;

const DAY = 86_400_000;
const NS = 'hostile.local';
/** A refusal names the problem and how many more there are; it does not send the bundle back. */
const SHORT = 1000;

describe('emulator › hostile bundles get a short refusal while other calls are answered', () => {
  let emulator: Emulator;
  let c: Client;
  let ca: GeneratedCertificate;

  before(async () => {
    ca = await generateCertificateAuthority({ organization: 'acme', validityMs: 90 * DAY, now: FIXED_NOW });
    emulator = await startTestEmulator({ namespaces: [NS], now: () => FIXED_NOW });
    c = await connectOfficialClient(emulator, { retries: false });
  });
  after(async () => {
    c.close();
    await emulator.close();
  });

  /** Sends the bundle with UpdateNamespace and, at the same time, a GetNamespace; returns the update's error. */
  async function updateBeside(bundle: Buffer) {
    const { namespace } = await c.cloud.getNamespace({ namespace: NS });
    const spec = { ...namespace!.spec, mtlsAuth: { enabled: true, acceptedClientCa: bundle } };
    const [error, other] = await Promise.all([
      grpcError(() => c.cloud.updateNamespace({ namespace: NS, spec })),
      c.cloud.getNamespace({ namespace: NS }),
    ]);
    assert.equal(other.namespace?.namespace, NS);
    assert.ok(error.details.length < SHORT, `a ${error.details.length}-character message`);
    assert.doesNotMatch(error.details, /\n/);
    return error;
  }

  it('refuses a 4 MB bundle of 6,000 certificates for its size, parsing none of it', async () => {
    const bundle = Buffer.from(ca.certificatePem.repeat(Math.ceil(4_000_000 / ca.certificatePem.length)));
    assert.ok(bundle.length >= 4_000_000 && bundle.length < MAX_MESSAGE_BYTES - 1024, `${bundle.length} bytes`);
    const error = await updateBeside(bundle);
    assert.equal(error.code, status.INVALID_ARGUMENT);
    assert.equal(error.details, `spec.mtls_auth.accepted_client_ca: the bundle is ${bundle.length} bytes of PEM, more than the 32768 (32 KB) Temporal Cloud accepts: remove certificates`);
  });

  it('refuses a 1 MB flood of BEGIN lines for its size', async () => {
    const flood = Buffer.from('-----BEGIN CERTIFICATE-----\n'.repeat(Math.ceil(1_000_000 / 28)));
    const error = await updateBeside(flood);
    assert.equal(error.code, status.INVALID_ARGUMENT);
    assert.match(error.details, /bytes of PEM, more than the 32768 \(32 KB\)/);
  });

  it('refuses 1,100 BEGIN lines within 32 KB for their count, before parsing any', async () => {
    const flood = Buffer.from('-----BEGIN CERTIFICATE-----\n'.repeat(1100));
    const error = await updateBeside(flood);
    assert.equal(error.code, status.INVALID_ARGUMENT);
    assert.equal(error.details, 'spec.mtls_auth.accepted_client_ca: the bundle holds 1100 PEM blocks, more than the 16 certificates Temporal Cloud accepts: remove 1084');
  });

  it('refuses a request over the 4 MiB message limit with RESOURCE_EXHAUSTED, before it is decoded', async () => {
    const error = await updateBeside(Buffer.alloc(MAX_MESSAGE_BYTES, 0x41));
    assert.equal(error.code, status.RESOURCE_EXHAUSTED);
  });

  it('names five problems of a bundle within the limits and counts the rest', async () => {
    const leaves = await Promise.all(
      Array.from({ length: 8 }, (_, i) => makeTestCertificate({ subject: testName(['2.5.4.3', `leaf-${i}`]), key: testKey(), basicConstraints: 'leaf' })),
    );
    const error = await updateBeside(Buffer.from(leaves.join('')));
    assert.equal(error.code, status.INVALID_ARGUMENT);
    assert.match(error.details, /is not a CA.*; and \d+ more problems$/);
    assert.equal(error.details.split('; ').length, 6);
  });

  it('refuses an RSA-1024 CA, as a certificate signing request with such a key is refused', async () => {
    const small = await makeTestCertificate({ subject: testName(['2.5.4.3', 'rsa-1024-root']), key: testKey({ rsaBits: 1024 }) });
    const error = await updateBeside(Buffer.from(small));
    assert.equal(error.code, status.INVALID_ARGUMENT);
    assert.match(error.details, /certificate CN=rsa-1024-root \(fingerprint [0-9a-f]{8}\) has an RSA key of 1024 bits: use at least 2048/);
  });
});
