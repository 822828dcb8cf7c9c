import { UsageError } from '../../errors.js';
import { requireOrganization } from '../../pki/ca.js';
import { generateEndEntityCertificate, leafExpiry } from '../../pki/leaf.js';
import type { Deps, WrittenFiles } from '../deps.js';
import { confirmOutputs, parseValidityFlag, writeOutputs } from './output.js';
import { loadCa } from './ca-files.js';
import { checkPassphraseFlags, type CaKeyPassphraseOptions } from './passphrase.js';
import { checkPkcs12Flags, pkcs12Output, readPkcs12Password } from './pkcs12-output.js';

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
  /** Also write a PKCS#12 file (leaf, key and CA) here, mode 0600; needs pkcs12PasswordFile. Not with csr. */
  pkcs12?: string;
  /** The file holding the PKCS#12 password (one trailing newline ignored; empty refused). */
  pkcs12PasswordFile?: string;
  /** A certificate signing request to issue for, instead of generating a key. */
  csr?: string;
}

const WHAT = 'end entity certificate';

/** `tcld gen leaf`: a client certificate and key issued by the given CA. */
export async function run(options: GenerateLeafOptions, deps: Deps): Promise<WrittenFiles> {
  checkPkcs12Flags(options);
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
  const pkcs12 =
    options.pkcs12 !== undefined && options.pkcs12PasswordFile !== undefined
      ? { path: options.pkcs12, password: await readPkcs12Password(options.pkcs12PasswordFile, deps) }
      : undefined;
  const paths = { certificate: options.certificateFile, key: options.keyFile, ...(pkcs12 ? { extras: [pkcs12.path] } : {}) };
  const inputs = {
    '--ca-certificate-file': options.caCertificateFile,
    '--ca-key-file': options.caKeyFile,
    ...(options.pkcs12PasswordFile !== undefined ? { '--pkcs12-password-file': options.pkcs12PasswordFile } : {}),
  };
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
  const extras = pkcs12 ? [await pkcs12Output({ ...pkcs12, ...generated, ca, friendlyName: generated.dnsName, what: WHAT }, deps)] : [];
  return writeOutputs(deps, paths, WHAT, generated, extras);
}

