/**
 * The dev server CA: the root of the gateway's server certificates, made with tcld's own library on
 * first start and kept in a folder (beside the database) so that clients configured with it keep
 * working across restarts. Clients pass its certificate as their server root CA.
 *
 * Several dev-servers may share the folder (two databases in one folder, `--db :memory:` runs in the
 * config folder) and start at once: each loads or makes the CA while it holds a lock on
 * dev-server-ca.lock there, so the first makes it and the others load what it wrote; every server
 * then uses the CA that is on disk.
 */
import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { errorKind } from '../../errors.js';
import { FileLockError, withFileLock } from '../file-lock.js';
import { nodeFiles, type Files } from '../../io/files.js';
import { generateCertificateAuthority } from '../../pki/ca.js';
import { loadCertificateAuthority, type CertificateAuthority } from '../../pki/issuer.js';
import type { RandomSource } from '../../pki/random.js';
import { GatewayError } from './gateway-error.js';

export const DEV_CA_CERTIFICATE_FILE = 'dev-server-ca.pem';
export const DEV_CA_KEY_FILE = 'dev-server-ca.key';
/** Held while the CA is loaded or made (an empty file; the lock is the kernel's, gone with its process). */
export const DEV_CA_LOCK_FILE = 'dev-server-ca.lock';

const DAY_MS = 86_400_000;
/** As long as tcld allows a CA to be valid: clients need the file again only once a year. */
const DEV_CA_VALIDITY_MS = 365 * DAY_MS;
/** A CA this close to its expiry is replaced at start, so that it does not expire while serving. */
const DEV_CA_RENEW_BEFORE_MS = 7 * DAY_MS;
const DEV_CA_ORGANIZATION = 'tcld dev-server';

export interface DevServerCa {
  ca: CertificateAuthority;
  certificatePem: string;
  /** The certificate file: what clients pass as their server root CA. */
  certificatePath: string;
  keyPath: string;
  /** Why a new CA was made at this start ('none' when the kept one was used). */
  made: 'none' | 'missing' | 'expiring';
}

export interface LoadDevServerCaOptions {
  /** The folder that holds (or will hold) dev-server-ca.pem and dev-server-ca.key. It must exist. */
  dir: string;
  now: Date;
  random: RandomSource;
  /** Default: node's file system, writing atomically (key 0600, certificate 0644). */
  files?: Files;
}

/**
 * Loads the dev server CA from `dir`, or makes one when there is none (or only half of one) or when
 * the kept one expires within a week. A CA that is there but unusable (malformed, a key that is not
 * its own) is an error naming the files, never silently replaced: clients trust it.
 */
export async function loadOrCreateDevServerCa(options: LoadDevServerCaOptions): Promise<DevServerCa> {
  try {
    return await withFileLock(join(options.dir, DEV_CA_LOCK_FILE), () => loadOrCreate(options));
  } catch (error) {
    if (error instanceof FileLockError) throw new GatewayError(`cannot load or make the dev server CA: ${error.message}`);
    throw error;
  }
}

async function loadOrCreate(options: LoadDevServerCaOptions): Promise<DevServerCa> {
  const certificatePath = join(options.dir, DEV_CA_CERTIFICATE_FILE);
  const keyPath = join(options.dir, DEV_CA_KEY_FILE);
  const [certificatePem, keyPem] = await Promise.all([readIfPresent(certificatePath), readIfPresent(keyPath)]);
  let made: DevServerCa['made'] = 'missing';
  if (certificatePem !== undefined && keyPem !== undefined) {
    const kept = load(certificatePem, keyPem, certificatePath, keyPath);
    if (kept.notAfter.getTime() - options.now.getTime() > DEV_CA_RENEW_BEFORE_MS && kept.notBefore <= options.now) {
      return { ca: kept, certificatePem, certificatePath, keyPath, made: 'none' };
    }
    made = 'expiring';
  }
  const generated = await generateCertificateAuthority({
    organization: DEV_CA_ORGANIZATION,
    validityMs: DEV_CA_VALIDITY_MS,
    now: options.now,
    random: options.random,
  });
  try {
    await (options.files ?? nodeFiles).writeAll([
      { path: keyPath, data: generated.privateKeyPem, mode: 0o600 },
      { path: certificatePath, data: generated.certificatePem, mode: 0o644 },
    ]);
  } catch (error) {
    throw new GatewayError(`cannot keep the dev server CA: ${(error as Error).message}`);
  }
  const ca = loadCertificateAuthority({ certificate: generated.certificatePem, privateKey: generated.privateKeyPem, now: options.now });
  return { ca, certificatePem: generated.certificatePem, certificatePath, keyPath, made };
}

function load(certificatePem: string, keyPem: string, certificatePath: string, keyPath: string): CertificateAuthority {
  try {
    // Validity is judged by the caller (an expiring CA is replaced), so load it at its own start.
    const { validFrom } = new X509Certificate(certificatePem);
    return loadCertificateAuthority({ certificate: certificatePem, privateKey: keyPem, now: new Date(validFrom) });
  } catch (error) {
    const why = errorKind(error) !== undefined ? (error as Error).message : 'it is not a PEM certificate';
    throw new GatewayError(`cannot use the dev server CA ${certificatePath} with ${keyPath}: ${why}; remove both files to make a new one`);
  }
}

async function readIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new GatewayError(`cannot read the dev server CA ${path}: ${(error as Error).message}`);
  }
}
