/** Private keys protected by a passphrase: encrypted PKCS#8 (RFC 5958 EncryptedPrivateKeyInfo), made and read by node:crypto. */
import { createPrivateKey, type KeyObject } from 'node:crypto';
import { CertificateError } from '../errors.js';

/**
 * PBES2 with AES-256-CBC (RFC 8018), what `openssl pkey -aes256` writes and every TLS stack reads;
 * node derives the key with PBKDF2-HMAC-SHA256 and a random salt.
 */
const KEY_CIPHER = 'aes-256-cbc';

/** Whether a PEM key is encrypted: PKCS#8 `ENCRYPTED PRIVATE KEY`, or openssl's legacy `Proc-Type: 4,ENCRYPTED`. */
export function isEncryptedKeyPem(text: string): boolean {
  return /-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type: 4,ENCRYPTED/.test(text);
}

/** Re-encodes a private key as encrypted PKCS#8 PEM (`-----BEGIN ENCRYPTED PRIVATE KEY-----`). */
export function encryptPrivateKey(privateKey: string | KeyObject, passphrase: string): string {
  requirePassphrase(passphrase);
  const key = typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey;
  return key.export({ type: 'pkcs8', format: 'pem', cipher: KEY_CIPHER, passphrase }) as string;
}

/** Decrypts an encrypted PEM key; a wrong passphrase is a CertificateError saying so. `what` names the key ("CA key"). */
export function decryptPrivateKey(pem: string, passphrase: string, what: string): KeyObject {
  requirePassphrase(passphrase);
  try {
    return createPrivateKey({ key: pem, format: 'pem', passphrase });
  } catch (error) {
    const code = (error as { code?: string }).code ?? '';
    if (/BAD_DECRYPT|DECODE|UNSUPPORTED|BAD_PASSWORD/.test(code) || /decrypt|bad password/i.test((error as Error).message)) {
      throw new CertificateError(`cannot decrypt the ${what}: wrong passphrase (or a damaged key file)`);
    }
    throw new CertificateError(`${what} is not a private key in PEM (PKCS#8, SEC1 EC or PKCS#1 RSA)`);
  }
}

/** An empty passphrase protects nothing: refused, not silently accepted. */
export function requirePassphrase(passphrase: string): void {
  if (passphrase === '') throw new CertificateError('an empty passphrase protects nothing: choose a non-empty one');
}
