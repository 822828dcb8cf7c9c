import { describeCertificateDetails, formatCertificateDetails } from '../../pki/describe.js';
import type { Deps } from '../deps.js';
import { readCertificateFile } from './read-certificates.js';

export interface InspectCertificatesOptions {
  /** A PEM file with one or more certificates, or one DER certificate. */
  file: string;
  /** text (default) or json. */
  output?: 'text' | 'json';
}

/**
 * `tcld cert inspect <file>`: every certificate in the file. Text for people; with --output json an
 * array of CertificateDetails (one element per certificate, in file order), for scripts.
 */
export async function run(options: InspectCertificatesOptions, deps: Deps): Promise<string> {
  const output = options.output ?? 'text';
  const certificates = await readCertificateFile(options.file, deps, { what: 'certificate file' });
  const now = deps.now();
  const details = certificates.map((c) => describeCertificateDetails(c.x509, now));
  return output === 'json' ? JSON.stringify(details, null, 2) : formatCertificateDetails(details, now, options.file);
}
