import { createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { AttributeTypeAndValue, AttributeValue, Name, RelativeDistinguishedName } from '@peculiar/asn1-x509';
import { describeKey, signatureSchemeOf } from './keys.js';
import { toPem } from './pem.js';
import { SERIAL_BYTES } from './profile.js';
import type { RandomSource } from './random.js';
import { KeyUsageFlags, extensions, parseSubjectPublicKeyInfo, serialFromRandom, signCertificate } from './x509.js';

/** A deterministic random source for tests: bytes 1, 2, 3, ... continuing across calls. */
export function countingRandom(start = 1): RandomSource {
  let next = start;
  return (size) => Uint8Array.from({ length: size }, () => next++ & 0xff);
}

export const DAY_MS = 86_400_000;
export const FIXED_NOW = new Date('2026-11-27T12:00:00.000Z');

/** A distinguished name for tests: one attribute per RDN, in the order given, each a UTF8String. */
export function testName(...attributes: Array<[type: string, value: string]>): Name {
  return new Name(
    attributes.map(([type, value]) => new RelativeDistinguishedName([new AttributeTypeAndValue({ type, value: new AttributeValue({ utf8String: value }) })])),
  );
}

/** A fresh key pair for test certificates; ECDSA P-256 unless told otherwise (fast to generate). */
export function testKey(options: { rsaBits?: number } = {}): KeyObject {
  return options.rsaBits
    ? generateKeyPairSync('rsa', { modulusLength: options.rsaBits }).privateKey
    : generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey;
}

export interface TestCertificateOptions {
  subject: Name;
  key: KeyObject;
  /** The issuer's name and key. Default: the certificate's own (self-signed). */
  issuer?: { subject: Name; key: KeyObject };
  /** basicConstraints: CA:TRUE, CA:FALSE, or no extension at all. Default 'ca'. */
  basicConstraints?: 'ca' | 'leaf' | 'none';
  /** A CA's pathLenConstraint; null for none. Default 0, as tcld's CAs. */
  pathLength?: number | null;
  /** keyUsage flags, or null for no extension. Default: digitalSignature, keyCertSign, cRLSign. */
  keyUsage?: number | null;
  /** Default: FIXED_NOW minus a day. */
  notBefore?: Date;
  /** Default: FIXED_NOW plus 30 days. */
  notAfter?: Date;
  /** Serial bytes (positive). Default: 1, 2, ..., 16. */
  serial?: Uint8Array;
}

/**
 * A certificate of any profile, for tests that need what the CA and leaf generators never make:
 * no basicConstraints, CA:TRUE without keyCertSign, an intermediate, a chosen name or validity.
 */
export async function makeTestCertificate(options: TestCertificateOptions): Promise<string> {
  const spki = parseSubjectPublicKeyInfo(createPublicKey(options.key));
  const issuer = options.issuer ?? { subject: options.subject, key: options.key };
  const extensionList = [];
  if (options.basicConstraints !== 'none') extensionList.push(extensions.basicConstraints(options.basicConstraints !== 'leaf', options.pathLength));
  const usage = options.keyUsage === undefined ? KeyUsageFlags.digitalSignature | KeyUsageFlags.keyCertSign | KeyUsageFlags.cRLSign : options.keyUsage;
  if (usage !== null) extensionList.push(extensions.keyUsage(usage));
  const der = await signCertificate(
    {
      serialNumber: serialFromRandom(options.serial ?? Uint8Array.from({ length: SERIAL_BYTES }, (_, i) => i + 1)),
      subject: options.subject,
      issuer: issuer.subject,
      notBefore: options.notBefore ?? new Date(FIXED_NOW.getTime() - DAY_MS),
      notAfter: options.notAfter ?? new Date(FIXED_NOW.getTime() + 30 * DAY_MS),
      subjectPublicKeyInfo: spki,
      extensions: extensionList,
    },
    { privateKey: issuer.key, scheme: signatureSchemeOf(describeKey(issuer.key)) },
  );
  return toPem('CERTIFICATE', der);
}
