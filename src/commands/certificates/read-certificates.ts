/** Reading certificate files for the certificates commands: PEM or DER, one-line errors naming the file. */
import { CertificateError } from '../../errors.js';
import { parseBundle, type BundleCertificate } from '../../pki/bundle.js';
import { parseBundleLazily } from '../../pki/lazy-bundle.js';
import type { Deps } from '../deps.js';

export interface ReadCertificatesOptions {
  /** Names the file in errors: "certificate file". */
  what: string;
  /** Parse only what validity and admission need up front (many certificates). */
  lazy?: boolean;
}

/** The certificates in a file, at least one; CertificateError (exit 2) for bad or empty input. */
export async function readCertificateFile(path: string, deps: Deps, options: ReadCertificatesOptions): Promise<BundleCertificate[]> {
  const bytes = await deps.files.readBytes(path, options.what);
  let certificates: BundleCertificate[];
  try {
    certificates = options.lazy ? parseBundleLazily(bytes, { name: 'the file' }) : parseBundle(bytes, { name: 'the file' });
  } catch (error) {
    throw new CertificateError(`${options.what} ${path}: ${(error as Error).message}`);
  }
  if (certificates.length === 0) {
    throw new CertificateError(`${options.what} ${path} holds no certificate: expected PEM (-----BEGIN CERTIFICATE-----) or DER`);
  }
  return certificates;
}
