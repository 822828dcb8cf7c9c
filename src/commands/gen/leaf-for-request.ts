import { UsageError } from '../../errors.js';
import { parseCertificateRequest } from '../../pki/csr.js';
import { issueEndEntityCertificateForRequest } from '../../pki/leaf-for-request.js';
import { leafExpiry } from '../../pki/leaf.js';
import type { Deps, WrittenFiles } from '../deps.js';
import { loadCa } from './ca-files.js';
import type { GenerateLeafOptions } from './leaf.js';
import { confirmOutputs, parseValidityFlag, writeOutputs } from './output.js';
import { checkPassphraseFlags } from './passphrase.js';

const WHAT = 'end entity certificate';

/** `tcld gen leaf --csr req.pem`: a client certificate for the request's key, which stays where it was made. */
export async function runForRequest(options: GenerateLeafOptions & { csr: string }, deps: Deps): Promise<WrittenFiles> {
  if (options.keyFile !== undefined) {
    throw new UsageError('--key-file is not used with --csr: the key stays on the host that made the request, and no key is written');
  }
  checkPassphraseFlags(options);
  const validityMs = options.validityPeriod ? parseValidityFlag(options.validityPeriod) : undefined;
  const request = parseCertificateRequest(await deps.files.readBytes(options.csr, 'certificate signing request file'));
  if (options.organization === undefined && request.organization === undefined) {
    throw new UsageError('required flag --organization not set: the certificate signing request has no organization (O)');
  }
  const now = deps.now();
  const ca = await loadCa(options, deps, now);
  leafExpiry(ca, now, validityMs); // refuse a validity that outlives the CA before asking anything
  const paths = { certificate: options.certificateFile };
  const inputs = { '--ca-certificate-file': options.caCertificateFile, '--ca-key-file': options.caKeyFile, '--csr': options.csr };
  if (!(await confirmOutputs(deps, paths, WHAT, inputs))) return { written: false };
  const issued = await issueEndEntityCertificateForRequest({
    ca,
    request,
    ...(options.organization !== undefined ? { organization: options.organization } : {}),
    ...(options.organizationUnit ? { organizationalUnit: options.organizationUnit } : {}),
    ...(options.commonName ? { commonName: options.commonName } : {}),
    ...(validityMs !== undefined ? { validityMs } : {}),
    now,
    random: deps.random,
  });
  return writeOutputs(deps, paths, WHAT, issued);
}
