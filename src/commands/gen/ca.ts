import { UsageError } from '../../errors.js';
import { checkCaValidity, generateCertificateAuthority, requireOrganization } from '../../pki/ca.js';
import type { Deps, WrittenFiles } from '../deps.js';
import { confirmOutputs, parseValidityFlag, writeOutputs } from './output.js';

export interface GenerateCaOptions {
  /** Required unless --like names a CA to take it from. */
  organization?: string;
  validityPeriod: string;
  caCertificateFile: string;
  caKeyFile: string;
  rsaAlgorithm?: boolean;
}

const WHAT = 'certificate authority';

/** `tcld gen ca`: a new client CA and its key, written only after every check and confirmation. */
export async function run(options: GenerateCaOptions, deps: Deps): Promise<WrittenFiles> {
  if (options.organization === undefined) throw new UsageError('required flag --organization not set');
  const organization = requireOrganization(options.organization);
  const validityMs = parseValidityFlag(options.validityPeriod);
  checkCaValidity(validityMs);
  const paths = { certificate: options.caCertificateFile, key: options.caKeyFile };
  if (!(await confirmOutputs(deps, paths, WHAT))) return { written: false };
  const generated = await generateCertificateAuthority({
    organization,
    validityMs,
    keyAlgorithm: options.rsaAlgorithm ? 'rsa-4096' : 'ecdsa-p384',
    now: deps.now(),
    random: deps.random,
  });
  return writeOutputs(deps, paths, WHAT, generated);
}
