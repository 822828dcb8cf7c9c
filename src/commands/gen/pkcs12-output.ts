import { X509Certificate } from 'node:crypto';
import { UsageError, UserError } from '../../errors.js';
import type { CertificateAuthority } from '../../pki/issuer.js';
import type { Deps } from '../deps.js';
import { PRIVATE_FILE_MODE, type ExtraOutput } from './output.js';

export interface Pkcs12Options {
  pkcs12?: string;
  pkcs12PasswordFile?: string;
  csr?: string;
}

/** The flag rules of --pkcs12: call with the other flag checks, before any work. */
export function checkPkcs12Flags(options: Pkcs12Options): void {
  if (options.pkcs12 === undefined && options.pkcs12PasswordFile === undefined) return;
  if (options.csr !== undefined) {
    throw new UsageError('--pkcs12 is not used with --csr: the key stays on the host that made the request, and a PKCS#12 file needs it (make one there with openssl pkcs12 -export)');
  }
  if (options.pkcs12 === undefined) throw new UsageError('--pkcs12-password-file is only used with --pkcs12: give the path of the PKCS#12 file to write');
  if (options.pkcs12PasswordFile === undefined) throw new UsageError('--pkcs12 needs --pkcs12-password-file: a file holding the password that protects the PKCS#12 file');
}

/** The password from --pkcs12-password-file; one trailing newline is ignored, as openssl's `-passin file:` does. */
export async function readPkcs12Password(path: string, deps: Deps): Promise<string> {
  const password = (await deps.files.readText(path, 'PKCS#12 password file')).replace(/\r?\n$/, '');
  if (password === '') throw new UserError(`the PKCS#12 password in ${path} is empty: an empty password protects nothing`);
  return password;
}

export interface Pkcs12OutputOptions {
  path: string;
  password: string;
  certificatePem: string;
  privateKeyPem: string;
  ca: CertificateAuthority;
  /** The entry's name in the file (keytool's alias): the certificate's DNS name. */
  friendlyName: string;
  what: string;
}

/** The PKCS#12 file (leaf, key and CA), 0600 like a key: written together with the PEM files. */
export async function pkcs12Output(options: Pkcs12OutputOptions, deps: Deps): Promise<ExtraOutput> {
  // The PKCS#12 code loads only for --pkcs12: plain issuance never pays for it.
  const { buildPkcs12 } = await import('../../pki/pkcs12.js');
  const data = buildPkcs12({
    certificate: new X509Certificate(options.certificatePem).raw,
    privateKey: options.privateKeyPem,
    chain: [options.ca.certificate.raw],
    password: options.password,
    friendlyName: options.friendlyName,
    random: deps.random,
  });
  return { path: options.path, data, mode: PRIVATE_FILE_MODE, what: `${options.what} PKCS#12 file` };
}
