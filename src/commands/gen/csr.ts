import { requireOrganization } from '../../pki/ca.js';
import { createCertificateRequest } from '../../pki/csr.js';
import type { Deps, WrittenFiles } from '../deps.js';
import { confirmOutputs, writeOutputs } from './output.js';

export interface GenerateCsrOptions {
  organization: string;
  organizationUnit?: string;
  commonName?: string;
  /** Where the request is written (0644). */
  csrFile: string;
  /** Where its private key is written (0600). */
  keyFile: string;
  rsaAlgorithm?: boolean;
}

const WHAT = 'certificate signing request';

/** `tcld gen csr`: a key and a PKCS#10 request for it, made where the key will be used; a CA issues with `gen leaf --csr`. */
export async function run(options: GenerateCsrOptions, deps: Deps): Promise<WrittenFiles> {
  const paths = { certificate: options.csrFile, key: options.keyFile };
  const request = {
    organization: requireOrganization(options.organization),
    ...(options.organizationUnit ? { organizationalUnit: options.organizationUnit } : {}),
    ...(options.commonName ? { commonName: options.commonName } : {}),
    keyAlgorithm: options.rsaAlgorithm ? ('rsa-4096' as const) : ('ecdsa-p384' as const),
  };
  if (!(await confirmOutputs(deps, paths, WHAT))) return { written: false };
  const created = await createCertificateRequest(request);
  return writeOutputs(deps, paths, WHAT, { certificatePem: created.requestPem, privateKeyPem: created.privateKeyPem });
}
