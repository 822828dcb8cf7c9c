import { CertificateError, UsageError } from '../../errors.js';
import { checkCaValidity, generateCertificateAuthority, requireOrganization, type GeneratedCertificate } from '../../pki/ca.js';
import { keySpecOf, type KeySpec } from '../../pki/keys.js';
import { describeCaForSuccession, sameName, type CaLikeness } from '../../pki/successor.js';
import { parseCertificateStructure } from '../../pki/x509.js';
import { parsePemBlocks } from '../../pki/pem.js';
import type { Deps, WrittenFiles } from '../deps.js';
import { encryptPrivateKey } from '../../pki/protected-key.js';
import { confirmOutputs, parseValidityFlag, writeOutputs } from './output.js';
import { checkPassphraseFlags, readCaKeyPassphrase, type CaKeyPassphraseOptions } from './passphrase.js';

export interface GenerateCaOptions extends CaKeyPassphraseOptions {
  /** Required unless --like names a CA to take it from. */
  organization?: string;
  validityPeriod: string;
  caCertificateFile: string;
  caKeyFile: string;
  rsaAlgorithm?: boolean;
  /** An old CA certificate to succeed: its organization and key algorithm, a new key, serial and name. */
  like?: string;
}

const WHAT = 'certificate authority';

/** A fresh name suffix repeats the old CA's with odds of 1 in 36^4; a few draws make it certain. */
const DISTINCT_NAME_ATTEMPTS = 5;

/** `tcld gen ca`: a new client CA and its key, written only after every check and confirmation. */
export async function run(options: GenerateCaOptions, deps: Deps): Promise<WrittenFiles> {
  if (options.organization === undefined && options.like === undefined) throw new UsageError('required flag --organization not set');
  checkPassphraseFlags(options);
  const validityMs = parseValidityFlag(options.validityPeriod);
  const like = options.like === undefined ? undefined : describeLike(options.like, await deps.files.readBytes(options.like, '--like certificate file'));
  const organization = requireOrganization(options.organization ?? likeOrganization(like!));
  checkCaValidity(validityMs);
  const keySpec: KeySpec = options.rsaAlgorithm ? keySpecOf('rsa-4096') : (like?.keySpec ?? keySpecOf('ecdsa-p384'));
  const passphrase = await readCaKeyPassphrase(options, deps, 'new key');
  const paths = { certificate: options.caCertificateFile, key: options.caKeyFile };
  const inputs: Record<string, string> = options.like === undefined ? {} : { '--like': options.like };
  if (!(await confirmOutputs(deps, paths, WHAT, inputs))) return { written: false };
  const generate = () => generateCertificateAuthority({ organization, validityMs, keySpec, now: deps.now(), random: deps.random });
  let generated = await generate();
  for (let attempt = 1; like && attempt < DISTINCT_NAME_ATTEMPTS && sameName(subjectOf(generated), like.subject); attempt++) generated = await generate();
  if (passphrase !== undefined) generated = { ...generated, privateKeyPem: encryptPrivateKey(generated.privateKeyPem, passphrase) };
  return writeOutputs(deps, paths, WHAT, generated);
}

/** The old CA that --like names; pki's messages say "the old CA certificate", the flag is named here. */
function describeLike(path: string, bytes: Uint8Array): CaLikeness {
  try {
    return describeCaForSuccession(bytes);
  } catch (error) {
    if (!(error instanceof CertificateError)) throw error;
    throw new CertificateError(`--like ${path}: ${error.message}`);
  }
}

function likeOrganization(like: CaLikeness): string {
  if (like.organization === undefined) throw new UsageError('required flag --organization not set: the --like certificate has no organization (O)');
  return like.organization;
}

function subjectOf(generated: GeneratedCertificate) {
  return parseCertificateStructure(parsePemBlocks(generated.certificatePem)[0]!.der).tbsCertificate.subject;
}
