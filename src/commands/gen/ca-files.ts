import type { CertificateAuthority } from '../../pki/issuer.js';
import { loadCertificateAuthority } from '../../pki/issuer.js';
import type { Deps } from '../deps.js';
import { explainEncryptedKey, readCaKeyPassphrase, type CaKeyPassphraseOptions } from './passphrase.js';

export interface CaFileOptions extends CaKeyPassphraseOptions {
  caCertificateFile: string;
  caKeyFile: string;
}

/** Reads the CA files and, when an option gives one, the key's passphrase: `gen leaf` with or without --csr. */
export async function loadCa(options: CaFileOptions, deps: Deps, now: Date): Promise<CertificateAuthority> {
  const certificate = await deps.files.readText(options.caCertificateFile, 'CA certificate file');
  const privateKey = await deps.files.readText(options.caKeyFile, 'CA key file');
  const passphrase = await readCaKeyPassphrase(options, deps, 'existing key');
  try {
    return loadCertificateAuthority({ certificate, privateKey, now, ...(passphrase === undefined ? {} : { passphrase }) });
  } catch (error) {
    return explainEncryptedKey(error);
  }
}
