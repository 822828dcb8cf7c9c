import { generateKeyPair, type KeyObject } from 'node:crypto';
import { CertificateError } from '../errors.js';
import { RSA_MODULUS_BITS, type KeyAlgorithm } from './profile.js';

/** How a key signs certificates: the digest and the X.509 signature algorithm it implies. */
export interface SignatureScheme {
  hash: 'sha256' | 'sha384' | 'sha512';
  /** AlgorithmIdentifier OID (RFC 5758 for ECDSA, RFC 4055 for RSA). */
  oid: string;
  /** RSA signature AlgorithmIdentifiers carry an explicit NULL; ECDSA ones carry nothing. */
  nullParameters: boolean;
}

/** A key family and size, enough to make another key of the same kind. */
export type KeySpec = { type: 'ec'; curve: 'P-256' | 'P-384' | 'P-521' } | { type: 'rsa'; bits: number };

const EC_CURVES: Readonly<Record<string, 'P-256' | 'P-384' | 'P-521'>> = {
  prime256v1: 'P-256',
  'P-256': 'P-256',
  secp384r1: 'P-384',
  'P-384': 'P-384',
  secp521r1: 'P-521',
  'P-521': 'P-521',
};

/** ECDSA digests match the curve size (RFC 5480 section 4); RSA signs with SHA-256 as tcld does. */
const SCHEMES: Readonly<Record<string, SignatureScheme>> = {
  'P-256': { hash: 'sha256', oid: '1.2.840.10045.4.3.2', nullParameters: false },
  'P-384': { hash: 'sha384', oid: '1.2.840.10045.4.3.3', nullParameters: false },
  'P-521': { hash: 'sha512', oid: '1.2.840.10045.4.3.4', nullParameters: false },
  rsa: { hash: 'sha256', oid: '1.2.840.113549.1.1.11', nullParameters: true },
};

export function keySpecOf(algorithm: KeyAlgorithm): KeySpec {
  return algorithm === 'rsa-4096' ? { type: 'rsa', bits: RSA_MODULUS_BITS } : { type: 'ec', curve: 'P-384' };
}

/** The spec of an existing key; Temporal Cloud accepts only RSA and ECDSA keys. */
export function describeKey(key: KeyObject): KeySpec {
  const spec = supportedKeySpec(key);
  if (!spec) throw new CertificateError(`unsupported key type ${keyTypeName(key)}: use an RSA or ECDSA (P-256, P-384, P-521) key`);
  return spec;
}

/** The spec of an existing key, or undefined when it is neither RSA nor ECDSA on a NIST curve. */
export function supportedKeySpec(key: KeyObject): KeySpec | undefined {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa') return { type: 'rsa', bits: details.modulusLength ?? 0 };
  const curve = key.asymmetricKeyType === 'ec' ? EC_CURVES[details.namedCurve ?? ''] : undefined;
  return curve ? { type: 'ec', curve } : undefined;
}

/** A key's type as messages name it: `ed25519`, `EC secp256k1`. */
export function keyTypeName(key: KeyObject): string {
  return key.asymmetricKeyType === 'ec' ? `EC ${key.asymmetricKeyDetails?.namedCurve}` : String(key.asymmetricKeyType);
}

export function signatureSchemeOf(spec: KeySpec): SignatureScheme {
  return SCHEMES[spec.type === 'rsa' ? 'rsa' : spec.curve]!;
}

export interface EncodedKeyPair {
  /** SubjectPublicKeyInfo, DER. */
  publicKeyDer: Buffer;
  /** Unencrypted PKCS#8, PEM. */
  privateKeyPem: string;
}

/**
 * Generates a key pair on libuv's thread pool, encoded there too, so that concurrent generations
 * use several cores and leave the main thread free for building certificates.
 */
export function generateKeys(spec: KeySpec): Promise<EncodedKeyPair> {
  const encoding = {
    publicKeyEncoding: { type: 'spki', format: 'der' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  } as const;
  return new Promise((resolve, reject) => {
    const done = (error: Error | null, publicKeyDer: Buffer, privateKeyPem: string) =>
      error ? reject(error) : resolve({ publicKeyDer, privateKeyPem });
    if (spec.type === 'rsa') generateKeyPair('rsa', { modulusLength: spec.bits, publicExponent: 0x10001, ...encoding }, done);
    else generateKeyPair('ec', { namedCurve: spec.curve, ...encoding }, done);
  });
}
