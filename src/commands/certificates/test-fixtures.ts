/** Certificates and deps for the certificates commands' tests: a CA, a leaf, files held as bytes. */
import type { Files } from '../../io/files.js';
import { InputError } from '../../errors.js';
import { generateCertificateAuthority, type GeneratedCertificate } from '../../pki/ca.js';
import { generateEndEntityCertificate } from '../../pki/leaf.js';
import { DAY_MS, FIXED_NOW } from '../../pki/test-support.js';
import type { Deps } from '../deps.js';
import { fakeDeps } from '../test-support.js';

export { DAY_MS, FIXED_NOW };

export interface Pki {
  ca: GeneratedCertificate;
  otherCa: GeneratedCertificate;
  leaf: GeneratedCertificate;
  /** A leaf of `ca` that expired a day before FIXED_NOW. */
  expiredLeaf: GeneratedCertificate;
}

/** A CA issued 20 days before FIXED_NOW that expires 90 days after it, another CA (120 days left), and leaves of the first. */
export async function makePki(): Promise<Pki> {
  const ca = await generateCertificateAuthority({ organization: 'myco', validityMs: 110 * DAY_MS, now: new Date(FIXED_NOW.getTime() - 20 * DAY_MS) });
  const otherCa = await generateCertificateAuthority({ organization: 'other', validityMs: 120 * DAY_MS, now: FIXED_NOW });
  const issuer = { certificate: ca.certificatePem, privateKey: ca.privateKeyPem };
  const leaf = await generateEndEntityCertificate({ ca: issuer, organization: 'myco', commonName: 'worker', validityMs: 30 * DAY_MS, now: FIXED_NOW });
  const expiredLeaf = await generateEndEntityCertificate({
    ca: issuer,
    organization: 'myco',
    validityMs: 10 * DAY_MS,
    now: new Date(FIXED_NOW.getTime() - 11 * DAY_MS),
  });
  return { ca, otherCa, leaf, expiredLeaf };
}

/** fakeDeps whose files hold bytes (DER survives), at FIXED_NOW unless `now` is given. */
export function bytesDeps(files: Record<string, string | Uint8Array>, now: Date = FIXED_NOW): ReturnType<typeof fakeDeps> {
  const faked = fakeDeps();
  const read = (path: string, what: string) => {
    const found = files[path];
    if (found === undefined) throw new InputError(`cannot read ${what} ${path}: no such file or folder`);
    return found;
  };
  const filesDeps: Files = {
    ...faked.deps.files,
    async readText(path, what) {
      return Buffer.from(read(path, what)).toString('utf8');
    },
    async readBytes(path, what) {
      const found = read(path, what);
      return typeof found === 'string' ? Buffer.from(found) : found;
    },
  };
  const deps: Deps = { ...faked.deps, files: filesDeps, now: () => now };
  return { ...faked, deps };
}
