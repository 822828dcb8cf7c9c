import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { generateCertificateAuthority, type GeneratedCertificate } from '../pki/ca.js';
import { generateEndEntityCertificate } from '../pki/leaf.js';
import type { Emulator } from './index.js';
import { connectOfficialClient, grpcError, startTestEmulator, status } from './test-support.js';

type Client = Awaited<ReturnType<typeof connectOfficialClient>>;

const DAY = 86_400_000;
const NS = 'certs.local';

describe('emulator › accepted_client_ca and certificate filters, validated as the CLI validates them', () => {
  let emulator: Emulator;
  let c: Client;
  let caA: GeneratedCertificate;
  let caB: GeneratedCertificate;
  let expired: GeneratedCertificate;
  let leafPem: string;

  before(async () => {
    const now = new Date();
    [caA, caB, expired] = await Promise.all([
      generateCertificateAuthority({ organization: 'acme', validityMs: 90 * DAY, now }),
      generateCertificateAuthority({ organization: 'acme', validityMs: 90 * DAY, now }),
      generateCertificateAuthority({ organization: 'acme', validityMs: 8 * DAY, now: new Date(now.getTime() - 30 * DAY) }),
    ]);
    leafPem = (await generateEndEntityCertificate({ ca: { certificate: caA.certificatePem, privateKey: caA.privateKeyPem }, organization: 'acme', now }))
      .certificatePem;
    emulator = await startTestEmulator({ namespaces: [NS] });
    c = await connectOfficialClient(emulator);
  });
  after(async () => {
    c.close();
    await emulator.close();
  });

  /** Updates the namespace's mtlsAuth (no version check) and returns the call's promise. */
  async function setMtls(mtlsAuth: Record<string, unknown>) {
    const { namespace } = await c.cloud.getNamespace({ namespace: NS });
    return c.cloud.updateNamespace({ namespace: NS, spec: { ...namespace!.spec, mtlsAuth: { enabled: true, ...mtlsAuth } } });
  }

  async function refusal(mtlsAuth: Record<string, unknown>) {
    const error = await grpcError(() => setMtls(mtlsAuth));
    assert.equal(error.code, status.INVALID_ARGUMENT, error.details);
    return error.details;
  }

  it('accepts a bundle of two CAs and returns it byte for byte', async () => {
    const bundle = Buffer.from(caA.certificatePem + caB.certificatePem);
    await setMtls({ acceptedClientCa: bundle });
    const { namespace } = await c.cloud.getNamespace({ namespace: NS });
    assert.deepEqual(Buffer.from(namespace!.spec!.mtlsAuth!.acceptedClientCa!), bundle);
  });

  it('refuses an expired CA, naming the problem', async () => {
    const details = await refusal({ acceptedClientCa: Buffer.from(caA.certificatePem + expired.certificatePem) });
    assert.match(details, /^spec\.mtls_auth\.accepted_client_ca: /);
    assert.match(details, /expired/i);
  });

  it('refuses a certificate that is not a CA', async () => {
    const details = await refusal({ acceptedClientCa: Buffer.from(leafPem) });
    assert.match(details, /accepted_client_ca: .*\bCA\b/);
  });

  it('refuses the same CA twice', async () => {
    const details = await refusal({ acceptedClientCa: Buffer.from(caA.certificatePem + caA.certificatePem) });
    assert.match(details, /accepted_client_ca: /);
  });

  it('refuses a PEM block that is not a certificate, with the parser\'s message', async () => {
    const details = await refusal({ acceptedClientCa: Buffer.from('-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydA==\n-----END CERTIFICATE-----\n') });
    assert.match(details, /^spec\.mtls_auth\.accepted_client_ca: \S/);
  });

  it('refuses the deprecated base64 field', async () => {
    const details = await refusal({ acceptedClientCaDeprecated: Buffer.from(caA.certificatePem).toString('base64') });
    assert.match(details, /accepted_client_ca_deprecated/);
  });

  it('accepts valid certificate filters and refuses an empty filter and a bare "*", joining the problems with "; "', async () => {
    await setMtls({ acceptedClientCa: Buffer.from(caA.certificatePem), certificateFilters: [{ commonName: 'worker' }, { organization: 'acme', subjectAlternativeName: '*.acme.com' }] });
    const { namespace } = await c.cloud.getNamespace({ namespace: NS });
    assert.equal(namespace!.spec!.mtlsAuth!.certificateFilters!.length, 2);

    const details = await refusal({ certificateFilters: [{}, { commonName: '*' }] });
    assert.match(details, /^spec\.mtls_auth\.certificate_filters: .+; .+/);
  });

  it('accepts an empty bundle with mTLS enabled, as a namespace starts', async () => {
    await setMtls({ acceptedClientCa: Buffer.from(caB.certificatePem) });
    await setMtls({});
    const { namespace } = await c.cloud.getNamespace({ namespace: NS });
    assert.equal(namespace!.spec!.mtlsAuth!.acceptedClientCa?.length ?? 0, 0);
  });

  it('refuses a bad bundle on CreateNamespace too', async () => {
    const error = await grpcError(() =>
      c.cloud.createNamespace({
        spec: { name: 'fresh', regions: ['local'], retentionDays: 7, mtlsAuth: { enabled: true, acceptedClientCa: Buffer.from(expired.certificatePem) } },
      }),
    );
    assert.equal(error.code, status.INVALID_ARGUMENT);
    assert.match(error.details, /expired/i);
    assert.equal((await grpcError(() => c.cloud.getNamespace({ namespace: 'fresh.local' }))).code, status.NOT_FOUND);
  });
});
