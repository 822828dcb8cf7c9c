import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { secureRandom } from '../../pki/random.js';
import { countingRandom } from '../../pki/test-support.js';
import { startTestEmulator } from '../test-support.js';
import { DEV_CA_CERTIFICATE_FILE, DEV_CA_KEY_FILE, DEV_CA_LOCK_FILE, loadOrCreateDevServerCa } from './dev-ca.js';
import { GatewayError } from './gateway-error.js';
import { DAY_MS } from './test-support.js';

describe('dev server CA', () => {
  const root = mkdtempSync(join(tmpdir(), 'tcld-dev-ca-'));
  let folders = 0;
  const folder = () => mkdtempSync(join(root, `${++folders}-`));
  after(() => rmSync(root, { recursive: true, force: true }));

  it('is made beside the database on first start (key 0600, certificate 0644), and the same CA is used on the next start', async () => {
    const dir = folder();
    const first = await startTestEmulator({ db: join(dir, 'dev-server.db') });
    await first.close();
    assert.equal(first.gateway.caPath, join(dir, DEV_CA_CERTIFICATE_FILE));
    assert.equal(first.gateway.caMade, 'missing');
    assert.equal(statSync(join(dir, DEV_CA_KEY_FILE)).mode & 0o777, 0o600);
    assert.equal(statSync(first.gateway.caPath).mode & 0o777, 0o644);
    const certificate = readFileSync(first.gateway.caPath, 'utf8');
    const x509 = new X509Certificate(certificate);
    assert.ok(x509.ca);
    assert.ok(Date.parse(x509.validTo) - Date.now() > 360 * DAY_MS);
    assert.deepEqual(readdirSync(dir).filter((name) => name.endsWith('.tmp')), [], 'no temporary file is left behind');

    const second = await startTestEmulator({ db: join(dir, 'dev-server.db') });
    await second.close();
    assert.equal(second.gateway.caMade, 'none');
    assert.equal(readFileSync(second.gateway.caPath, 'utf8'), certificate);
  });

  it('lives in caDir when one is given', async () => {
    const dir = folder();
    const emulator = await startTestEmulator({ caDir: dir });
    await emulator.close();
    assert.equal(emulator.gateway.caPath, join(dir, DEV_CA_CERTIFICATE_FILE));
    assert.ok(existsSync(emulator.gateway.caPath));
  });

  it('with an in-memory database and no caDir, lives in a temporary folder that close() removes', async () => {
    const emulator = await startTestEmulator({ db: ':memory:' });
    assert.ok(existsSync(emulator.gateway.caPath));
    await emulator.close();
    assert.ok(!existsSync(emulator.gateway.caPath));
  });

  it('is replaced when it expires within a week, and not before', async () => {
    const dir = folder();
    const made = await loadOrCreateDevServerCa({ dir, now: new Date(), random: countingRandom() });
    const kept = await loadOrCreateDevServerCa({ dir, now: new Date(Date.now() + 357 * DAY_MS), random: countingRandom() });
    assert.equal(kept.made, 'none');
    assert.equal(kept.certificatePem, made.certificatePem);
    const later = new Date(Date.now() + 359 * DAY_MS);
    const renewed = await loadOrCreateDevServerCa({ dir, now: later, random: countingRandom() });
    assert.equal(renewed.made, 'expiring');
    assert.notEqual(renewed.certificatePem, made.certificatePem);
    assert.equal(readFileSync(join(dir, DEV_CA_CERTIFICATE_FILE), 'utf8'), renewed.certificatePem);
    assert.ok(renewed.ca.notAfter.getTime() > later.getTime() + 360 * DAY_MS);
  });

  it('is made again when half of it is missing', async () => {
    const dir = folder();
    const made = await loadOrCreateDevServerCa({ dir, now: new Date(), random: countingRandom() });
    rmSync(made.keyPath);
    const again = await loadOrCreateDevServerCa({ dir, now: new Date(), random: countingRandom() });
    assert.equal(again.made, 'missing');
    assert.ok(existsSync(made.keyPath));
  });

  it('is refused, never replaced, when its files are there but unusable, naming both files and what to do', async () => {
    const dir = folder();
    const made = await loadOrCreateDevServerCa({ dir, now: new Date(), random: countingRandom() });
    const other = await loadOrCreateDevServerCa({ dir: folder(), now: new Date(), random: countingRandom() });
    writeFileSync(made.keyPath, other.ca.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    await assert.rejects(
      loadOrCreateDevServerCa({ dir, now: new Date(), random: countingRandom() }),
      (error: unknown) =>
        error instanceof GatewayError &&
        error.message === `cannot use the dev server CA ${made.certificatePath} with ${made.keyPath}: CA key does not belong to the CA certificate; remove both files to make a new one`,
    );
    writeFileSync(made.certificatePath, 'not a certificate');
    await assert.rejects(loadOrCreateDevServerCa({ dir, now: new Date(), random: countingRandom() }), /it is not a PEM certificate; remove both files/);
    assert.equal(readFileSync(made.certificatePath, 'utf8'), 'not a certificate');
  });

  it('made by several starts at once, is one CA: the one on disk, whose key is on disk beside it', async () => {
    const dir = folder();
    const cas = await Promise.all(Array.from({ length: 4 }, () => loadOrCreateDevServerCa({ dir, now: new Date(), random: secureRandom })));
    const onDisk = readFileSync(join(dir, DEV_CA_CERTIFICATE_FILE), 'utf8');
    for (const ca of cas) assert.equal(ca.certificatePem, onDisk);
    assert.deepEqual(cas.map((ca) => ca.made).sort(), ['missing', 'none', 'none', 'none']);
    assert.ok(new X509Certificate(onDisk).checkPrivateKey(cas[0]!.ca.privateKey), 'the key on disk is its own');
    assert.equal(readFileSync(join(dir, DEV_CA_KEY_FILE), 'utf8'), cas[0]!.ca.privateKey.export({ type: 'pkcs8', format: 'pem' }));
    assert.equal(statSync(join(dir, DEV_CA_LOCK_FILE)).size, 0, 'the lock file stays empty');
  });
});
