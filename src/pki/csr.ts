/**
 * Certificate signing requests (PKCS#10, RFC 2986): made on the workload's host so that its private key
 * never travels, and read by the CA's holder, who checks the request's signature before issuing.
 * @peculiar/asn1-csr is loaded only by the CSR paths, never by plain `gen ca` or `gen leaf`.
 */
import { createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { Attributes, CertificationRequest, CertificationRequestInfo } from '@peculiar/asn1-csr';
import { AsnConvert, AsnSerializer } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier, type Name, type SubjectPublicKeyInfo } from '@peculiar/asn1-x509';
import { BitString as AsnBitString, Sequence as AsnSequence } from 'asn1js';
import { CertificateError, errorKind } from '../errors.js';
import { requireOrganization } from './ca.js';
import { describeKey, generateKeys, keySpecOf, signatureSchemeOf, type KeySpec } from './keys.js';
import { parsePemBlocks, toPem } from './pem.js';
import { DEFAULT_KEY_ALGORITHM, RSA_MIN_BITS, type KeyAlgorithm } from './profile.js';
import { judgeSignatureAlgorithm } from './signature-algorithm.js';
import { NAME_ATTRIBUTE, buildName, parseSubjectPublicKeyInfo, type NameAttribute } from './x509.js';

export interface CreateCertificateRequestOptions {
  /** The subject's O. Required and not blank. */
  organization: string;
  /** The subject's OU, when given. */
  organizationalUnit?: string;
  /** The subject's CN, when given (the CA otherwise uses the certificate's DNS name). */
  commonName?: string;
  /** Default 'ecdsa-p384', as tcld's keys. */
  keyAlgorithm?: KeyAlgorithm;
}

export interface CreatedCertificateRequest {
  /** The request, PEM (`-----BEGIN CERTIFICATE REQUEST-----`). */
  requestPem: string;
  /** Its private key, unencrypted PKCS#8 PEM: it stays on the host that made it. */
  privateKeyPem: string;
}

/** A request whose signature was checked, with what a CA needs from it. */
export interface CertificateRequest {
  subject: Name;
  organization?: string;
  organizationalUnit?: string;
  commonName?: string;
  /** The requester's public key, the one the certificate will carry. */
  subjectPublicKeyInfo: SubjectPublicKeyInfo;
  keySpec: KeySpec;
}

/** The request signature algorithms we verify (RFC 5758, RFC 4055): the digest is in the OID. */
const HASH_OF_SIGNATURE: Readonly<Record<string, 'sha256' | 'sha384' | 'sha512'>> = {
  '1.2.840.113549.1.1.11': 'sha256',
  '1.2.840.113549.1.1.12': 'sha384',
  '1.2.840.113549.1.1.13': 'sha512',
  '1.2.840.10045.4.3.2': 'sha256',
  '1.2.840.10045.4.3.3': 'sha384',
  '1.2.840.10045.4.3.4': 'sha512',
};

/** Generates a key and a PKCS#10 request for O=<org>[, OU=<ou>][, CN=<cn>], signed by that key. */
export async function createCertificateRequest(options: CreateCertificateRequestOptions): Promise<CreatedCertificateRequest> {
  const attributes: Array<[NameAttribute, string]> = [['organization', requireOrganization(options.organization)]];
  if (options.organizationalUnit) attributes.push(['organizationalUnit', options.organizationalUnit]);
  if (options.commonName) attributes.push(['commonName', options.commonName]);
  const spec = keySpecOf(options.keyAlgorithm ?? DEFAULT_KEY_ALGORITHM);
  const keys = await generateKeys(spec);
  const info = new CertificationRequestInfo({
    version: 0,
    subject: buildName(attributes),
    subjectPKInfo: parseSubjectPublicKeyInfo(keys.publicKeyDer),
    attributes: new Attributes(),
  });
  const infoNode = AsnSerializer.toASN(info);
  const scheme = signatureSchemeOf(spec);
  const algorithm = new AlgorithmIdentifier({ algorithm: scheme.oid, ...(scheme.nullParameters ? { parameters: null } : {}) });
  const signature = await new Promise<Buffer>((resolve, reject) =>
    sign(scheme.hash, new Uint8Array(infoNode.toBER()), createPrivateKey(keys.privateKeyPem), (error, result) => (error ? reject(error) : resolve(result))),
  );
  // RFC 2986 4.2: CertificationRequest ::= SEQUENCE { certificationRequestInfo, signatureAlgorithm, signature BIT STRING }.
  const request = new AsnSequence({ value: [infoNode, AsnSerializer.toASN(algorithm), new AsnBitString({ valueHex: signature })] });
  return { requestPem: toPem('CERTIFICATE REQUEST', new Uint8Array(request.toBER())), privateKeyPem: keys.privateKeyPem };
}

/**
 * Reads a PKCS#10 request (PEM or DER) and checks it: well formed, signed with SHA-256 or stronger by
 * the key it carries, an RSA (2048 bits or more) or ECDSA P-256/P-384/P-521 key. Throws CertificateError.
 */
export function parseCertificateRequest(input: string | Uint8Array): CertificateRequest {
  try {
    return readCertificateRequest(input);
  } catch (error) {
    // Any failure that is not one of ours is a part of the request that does not decode: the input's fault, said in our words.
    if (errorKind(error) !== undefined) throw error;
    throw new CertificateError('certificate signing request is malformed: it is not a valid PKCS#10 request');
  }
}

function readCertificateRequest(input: string | Uint8Array): CertificateRequest {
  const text = typeof input === 'string' ? input : Buffer.from(input).toString('latin1');
  let der: Uint8Array | undefined = typeof input === 'string' || text.includes('-----BEGIN') ? undefined : input;
  if (!der) {
    const block = parsePemBlocks(text).find((b) => b.label === 'CERTIFICATE REQUEST' || b.label === 'NEW CERTIFICATE REQUEST');
    if (block && !block.base64) throw new CertificateError('certificate signing request is malformed: its PEM content is not base64');
    der = block?.der;
    if (!der) throw new CertificateError('certificate signing request file holds no complete PEM request (-----BEGIN CERTIFICATE REQUEST----- … -----END CERTIFICATE REQUEST-----)');
  }
  let request: CertificationRequest;
  try {
    request = AsnConvert.parse(der, CertificationRequest);
  } catch {
    throw new CertificateError('certificate signing request is malformed: it is not a valid PKCS#10 request');
  }
  const info = request.certificationRequestInfo;
  let publicKey: KeyObject;
  try {
    publicKey = createPublicKey({ key: Buffer.from(AsnConvert.serialize(info.subjectPKInfo)), format: 'der', type: 'spki' });
  } catch {
    throw new CertificateError("certificate signing request's public key is malformed or of an unknown type: use an RSA or ECDSA key");
  }
  const keySpec = describeKey(publicKey);
  if (keySpec.type === 'rsa' && keySpec.bits < RSA_MIN_BITS) {
    throw new CertificateError(`certificate signing request's RSA key has ${keySpec.bits} bits: use at least ${RSA_MIN_BITS}`);
  }
  const hash = HASH_OF_SIGNATURE[request.signatureAlgorithm.algorithm];
  if (!hash) {
    const { name } = judgeSignatureAlgorithm(request.signatureAlgorithm);
    throw new CertificateError(`certificate signing request is signed with ${name}: sign it with SHA-256 or stronger (RSA or ECDSA)`);
  }
  const signed = request.certificationRequestInfoRaw;
  if (!signed || !verifies(hash, new Uint8Array(signed), publicKey, new Uint8Array(request.signature))) {
    throw new CertificateError("certificate signing request's signature does not verify: the request was altered or damaged, make it again");
  }
  return {
    subject: info.subject,
    ...optional('organization', firstValue(info.subject, 'organization')),
    ...optional('organizationalUnit', firstValue(info.subject, 'organizationalUnit')),
    ...optional('commonName', firstValue(info.subject, 'commonName')),
    subjectPublicKeyInfo: info.subjectPKInfo,
    keySpec,
  };
}

function verifies(hash: string, data: Uint8Array, key: KeyObject, signature: Uint8Array): boolean {
  try {
    return verify(hash, data, key, signature);
  } catch {
    return false; // a signature that is not even well formed
  }
}

function firstValue(name: Name, attribute: NameAttribute): string | undefined {
  return name.flatMap((rdn) => [...rdn]).find((atv) => atv.type === NAME_ATTRIBUTE[attribute])?.value.toString();
}

function optional<K extends string>(key: K, value: string | undefined): Partial<Record<K, string>> {
  return (value === undefined ? {} : { [key]: value }) as Partial<Record<K, string>>;
}
