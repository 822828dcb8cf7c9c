import { createHash, createHmac, createPrivateKey, type KeyObject } from 'node:crypto';
import { ContentInfo, id_data } from '@peculiar/asn1-cms';
import {
  AuthenticatedSafe,
  CertBag,
  MacData,
  PFX,
  PKCS12Attribute,
  SafeBag,
  SafeContents,
  id_certBag,
  id_pkcs8ShroudedKeyBag,
  id_x509Certificate,
} from '@peculiar/asn1-pfx';
import { DigestInfo } from '@peculiar/asn1-rsa';
import { AsnConvert, OctetString } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';
import { BmpString } from 'asn1js';
import { PKCS12_KDF_PURPOSE, bmpPassword, pkcs12Kdf } from './pkcs12-kdf.js';
import { secureRandom, type RandomSource } from './random.js';

/** PKCS#9 attributes that tie the key to its certificate: keytool shows one private key entry named friendlyName. */
const ID_FRIENDLY_NAME = '1.2.840.113549.1.9.20';
const ID_LOCAL_KEY_ID = '1.2.840.113549.1.9.21';
const ID_SHA256 = '2.16.840.1.101.3.4.2.1';
/** OpenSSL 3's default PKCS#12 iteration count, for the MAC and (through node) the key's PBKDF2. */
const MAC_ITERATIONS = 2048;
const MAC_SALT_BYTES = 16;
/** AES-256-CBC with PBKDF2-HMAC-SHA256 (PBES2), what OpenSSL 3 and Java 12+ write by default. */
const KEY_CIPHER = 'aes-256-cbc';

export interface BuildPkcs12Options {
  /** The certificate (DER); the key must belong to it. */
  certificate: Uint8Array;
  /** Its private key, as a KeyObject or PEM. */
  privateKey: KeyObject | string;
  /** The rest of the chain, issuer first (DER). Default: none. */
  chain?: readonly Uint8Array[];
  /** Protects the key and the MAC. Must not be empty. */
  password: string;
  /** The entry's name (keytool's alias). */
  friendlyName: string;
  /** Source of the MAC salt. Default: node:crypto randomBytes (node draws the key encryption's salt and IV itself). */
  random?: RandomSource;
}

/**
 * A PKCS#12 file (RFC 7292) that OpenSSL 3.0 and Java's keytool read: the certificates unencrypted,
 * the key as a PBES2-encrypted PKCS#8 shrouded key bag, and an HMAC-SHA256 MAC over both.
 */
export function buildPkcs12(options: BuildPkcs12Options): Uint8Array {
  if (options.password === '') throw new RangeError('a PKCS#12 password must not be empty');
  const random = options.random ?? secureRandom;
  const key = typeof options.privateKey === 'string' ? createPrivateKey(options.privateKey) : options.privateKey;
  // As OpenSSL does: the certificate's SHA-1 fingerprint pairs it with its key.
  const localKeyId = createHash('sha1').update(options.certificate).digest();
  const entry = [attribute(ID_FRIENDLY_NAME, new BmpString({ value: options.friendlyName }).toBER()), attribute(ID_LOCAL_KEY_ID, der(new OctetString(localKeyId)))];

  const certificates = [certificateBag(options.certificate, entry), ...(options.chain ?? []).map((c) => certificateBag(c))];
  const encryptedKey = key.export({ type: 'pkcs8', format: 'der', cipher: KEY_CIPHER, passphrase: options.password });
  const keyBag = new SafeBag({ bagId: id_pkcs8ShroudedKeyBag, bagValue: toArrayBuffer(encryptedKey), bagAttributes: entry });
  const safes = new AuthenticatedSafe([dataContent(der(new SafeContents(certificates))), dataContent(der(new SafeContents([keyBag])))]);
  const authenticatedSafe = Buffer.from(der(safes));

  const salt = random(MAC_SALT_BYTES);
  const macKey = pkcs12Kdf({ hash: 'sha256', password: bmpPassword(options.password), salt, iterations: MAC_ITERATIONS, purpose: PKCS12_KDF_PURPOSE.mac, length: 32 });
  const mac = createHmac('sha256', macKey).update(authenticatedSafe).digest();
  const pfx = new PFX({
    version: 3,
    authSafe: dataContent(authenticatedSafe),
    macData: new MacData({
      mac: new DigestInfo({ digestAlgorithm: new AlgorithmIdentifier({ algorithm: ID_SHA256, parameters: null }), digest: new OctetString(mac) }),
      macSalt: new OctetString(salt),
      iterations: MAC_ITERATIONS,
    }),
  });
  return new Uint8Array(der(pfx));
}

function certificateBag(certificate: Uint8Array, attributes?: PKCS12Attribute[]): SafeBag {
  const bag = new CertBag({ certId: id_x509Certificate, certValue: der(new OctetString(certificate)) });
  return new SafeBag({ bagId: id_certBag, bagValue: der(bag), ...(attributes ? { bagAttributes: attributes } : {}) });
}

function attribute(attrId: string, value: ArrayBuffer): PKCS12Attribute {
  // Assigned, not passed: PKCS12Attribute's constructor (asn1-pfx 2.x) drops its parameters.
  return Object.assign(new PKCS12Attribute(), { attrId, attrValues: [value] });
}

/** ContentInfo of type data: its content is an OCTET STRING holding the DER. */
function dataContent(content: ArrayBuffer | Uint8Array): ContentInfo {
  return new ContentInfo({ contentType: id_data, content: der(new OctetString(content)) });
}

function der(value: unknown): ArrayBuffer {
  return AsnConvert.serialize(value);
}

function toArrayBuffer(bytes: Uint8Array): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
