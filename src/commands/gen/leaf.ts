import { UsageError } from '../../errors.js';
import { requireOrganization } from '../../pki/ca.js';
import { generateEndEntityCertificate, leafExpiry } from '../../pki/leaf.js';
import type { Deps, WrittenFiles } from '../deps.js';
import { confirmOutputs, parseValidityFlag, writeOutputs } from './output.js';
import { loadCa } from './ca-files.js';
import { checkPassphraseFlags, type CaKeyPassphraseOptions } from './passphrase.js';

export interface GenerateLeafOptions extends CaKeyPassphraseOptions {
  /** Required unless --csr gives the subject. */
  organization?: string;
  organizationUnit?: string;
  commonName?: string;
  validityPeriod?: string;
  caCertificateFile: string;
  caKeyFile: string;
  certificateFile: string;
  /** Required unless --csr (the key then stays where the request was made). */
  keyFile?: string;
  /** Also write a PKCS#12 file (leaf, key and CA) here; needs pkcs12PasswordFile. STUB: not yet implemented. */
  pkcs12?: string;
  pkcs12PasswordFile?: string;
  /** A certificate signing request to issue for, instead of generating a key. */
  csr?: string;
}

const WHAT = 'end entity certificate';

/** `tcld gen leaf`: a client certificate and key issued by the given CA. */
export async function run(options: GenerateLeafOptions, deps: Deps): Promise<WrittenFiles> {
  if (options.pkcs12 !== undefined || options.pkcs12PasswordFile !== undefined) throw new UsageError('--pkcs12 is not available yet in this version');
  // The PKCS#10 code loads only for --csr: plain issuance never pays for it.
  if (options.csr !== undefined) return (await import('./leaf-for-request.js')).runForRequest({ ...options, csr: options.csr }, deps);
  if (options.organization === undefined) throw new UsageError('required flag --organization not set');
  if (options.keyFile === undefined) throw new UsageError('required flag --key-file not set');
  checkPassphraseFlags(options);
  const organization = requireOrganization(options.organization);
  const validityMs = options.validityPeriod ? parseValidityFlag(options.validityPeriod) : undefined;
  const now = deps.now();
  const ca = await loadCa(options, deps, now);
  leafExpiry(ca, now, validityMs); // refuse a validity that outlives the CA before asking anything
  const paths = { certificate: options.certificateFile, key: options.keyFile };
  const inputs = { '--ca-certificate-file': options.caCertificateFile, '--ca-key-file': options.caKeyFile };
  if (!(await confirmOutputs(deps, paths, WHAT, inputs))) return { written: false };
  const generated = await generateEndEntityCertificate({
    ca,
    organization,
    ...(options.organizationUnit ? { organizationalUnit: options.organizationUnit } : {}),
    ...(options.commonName ? { commonName: options.commonName } : {}),
    ...(validityMs !== undefined ? { validityMs } : {}),
    now,
    random: deps.random,
  });
  return writeOutputs(deps, paths, WHAT, generated);
}

