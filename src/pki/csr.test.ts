import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CertificateError } from '../errors.js';
import { generateCertificateAuthority } from './ca.js';
import { createCertificateRequest, parseCertificateRequest, type CreatedCertificateRequest } from './csr.js';
import { loadCertificateAuthority } from './issuer.js';
import { issueEndEntityCertificateForRequest } from './leaf-for-request.js';
import { parsePemBlocks, toPem } from './pem.js';
import { DAY_MS, FIXED_NOW, countingRandom } from './test-support.js';

const HAS_OPENSSL = spawnSync('openssl', ['version']).status === 0;

describe('createCertificateRequest', () => {
  let made: CreatedCertificateRequest;
  const folder = mkdtempSync(join(tmpdir(), 'tcld-csr-'));
  before(async () => {
    made = await createCertificateRequest({ organization: 'myco', organizationalUnit: 'pay', commonName: 'worker-1' });
  });
  after(() => rmSync(folder, { recursive: true, force: true }));

  it('makes a request for O, OU and CN signed by a new P-384 key, which it reads back', () => {
    assert.match(made.requestPem, /^-----BEGIN CERTIFICATE REQUEST-----\n/);
    const request = parseCertificateRequest(made.requestPem);
    assert.deepEqual([request.organization, request.organizationalUnit, request.commonName], ['myco', 'pay', 'worker-1']);
    assert.deepEqual(request.keySpec, { type: 'ec', curve: 'P-384' });
  });

  it('is accepted by openssl req -verify', { skip: !HAS_OPENSSL && 'no openssl' }, () => {
    writeFileSync(join(folder, 'req.pem'), made.requestPem);
    const checked = spawnSync('openssl', ['req', '-verify', '-noout', '-subject', '-in', 'req.pem'], { cwd: folder, encoding: 'utf8' });
    assert.equal(checked.status, 0, checked.stderr);
    assert.match(checked.stdout + checked.stderr, /O\s*=\s*myco, OU\s*=\s*pay, CN\s*=\s*worker-1/);
  });

  it('refuses a request whose subject was altered after signing', () => {
    const der = Buffer.from(parsePemBlocks(made.requestPem)[0]!.der);
    const at = der.indexOf(Buffer.from('myco'));
    der[at] = 'n'.charCodeAt(0);
    assert.throws(() => parseCertificateRequest(toPem('CERTIFICATE REQUEST', der)), (e: unknown) => e instanceof CertificateError && /signature does not verify/.test(e.message));
  });

  it('refuses truncated, malformed and missing PEM', () => {
    const cut = made.requestPem.slice(0, made.requestPem.length / 2);
    assert.throws(() => parseCertificateRequest(cut), /holds no complete PEM request/);
    assert.throws(() => parseCertificateRequest('-----BEGIN CERTIFICATE REQUEST-----\nMIIB\n-----END CERTIFICATE REQUEST-----\n'), /is malformed/);
    assert.throws(() => parseCertificateRequest(Uint8Array.from([0x30, 0x03, 0x02, 0x01])), /is malformed/);
  });
});

describe('issueEndEntityCertificateForRequest', () => {
  it('issues for the request key, with the request subject unless flags give another', async () => {
    const ca = await generateCertificateAuthority({ organization: 'myco', validityMs: 365 * DAY_MS, now: FIXED_NOW });
    const issuer = loadCertificateAuthority({ certificate: ca.certificatePem, privateKey: ca.privateKeyPem, now: FIXED_NOW });
    const made = await createCertificateRequest({ organization: 'reqco', commonName: 'worker-1' });
    const request = parseCertificateRequest(made.requestPem);
    const asRequested = await issueEndEntityCertificateForRequest({ ca: issuer, request, now: FIXED_NOW, random: countingRandom() });
    const leaf = new X509Certificate(asRequested.certificatePem);
    assert.equal(leaf.subject, 'O=reqco\nCN=worker-1');
    assert.ok(leaf.checkPrivateKey(createPrivateKey(made.privateKeyPem)));
    assert.ok(leaf.checkIssued(new X509Certificate(ca.certificatePem)) && leaf.verify(issuer.certificate.publicKey));
    assert.match(leaf.subjectAltName ?? '', /^DNS:client\.endentity\.reqco\.[a-z0-9]{4}$/);
    const overridden = await issueEndEntityCertificateForRequest({ ca: issuer, request, organization: 'myco', organizationalUnit: 'ou', now: FIXED_NOW, random: countingRandom() });
    assert.equal(new X509Certificate(overridden.certificatePem).subject, 'O=myco\nOU=ou\nCN=worker-1');
  });
});
