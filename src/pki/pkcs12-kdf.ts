import { createHash } from 'node:crypto';

/** What a PKCS#12 KDF output is for (RFC 7292 appendix B.3). */
export const PKCS12_KDF_PURPOSE = { key: 1, iv: 2, mac: 3 } as const;

/** Block size v and output size u, in bytes, of the hashes the KDF runs on. */
const HASH_SIZES = { sha1: { v: 64, u: 20 }, sha256: { v: 64, u: 32 } } as const;

export interface Pkcs12KdfOptions {
  hash: keyof typeof HASH_SIZES;
  /** The password as a BMPString with its two zero bytes (see bmpPassword). */
  password: Uint8Array;
  salt: Uint8Array;
  iterations: number;
  purpose: (typeof PKCS12_KDF_PURPOSE)[keyof typeof PKCS12_KDF_PURPOSE];
  length: number;
}

/**
 * The PKCS#12 key derivation of RFC 7292 appendix B.2, which node:crypto lacks. OpenSSL 3.0 and Java
 * verify a PKCS#12 MAC only with a key derived this way (they do not read PBMAC1).
 */
export function pkcs12Kdf({ hash, password, salt, iterations, purpose, length }: Pkcs12KdfOptions): Buffer {
  const { v, u } = HASH_SIZES[hash];
  const D = Buffer.alloc(v, purpose);
  const I = Buffer.concat([repeatTo(salt, v * Math.ceil(salt.length / v)), repeatTo(password, v * Math.ceil(password.length / v))]);
  const blocks: Buffer[] = [];
  for (let done = 0; done < length; done += u) {
    let A = createHash(hash).update(D).update(I).digest();
    for (let r = 1; r < iterations; r++) A = createHash(hash).update(A).digest();
    blocks.push(A);
    const B = repeatTo(A, v);
    // I_j = (I_j + B + 1) mod 2^(8v), each v-byte block of I read as a big-endian integer.
    for (let j = 0; j < I.length; j += v) {
      let carry = 1;
      for (let k = v - 1; k >= 0; k--) {
        const sum = I[j + k]! + B[k]! + carry;
        I[j + k] = sum & 0xff;
        carry = sum >> 8;
      }
    }
  }
  return Buffer.concat(blocks).subarray(0, length);
}

/** A password as RFC 7292 B.1 feeds it to the KDF: big-endian UTF-16 (BMPString) ending in two zero bytes. */
export function bmpPassword(password: string): Buffer {
  const bytes = Buffer.from(`${password}\0`, 'utf16le');
  return bytes.swap16();
}

function repeatTo(bytes: Uint8Array, length: number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = bytes[i % bytes.length]!;
  return out;
}
