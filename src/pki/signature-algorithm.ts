/**
 * Which certificate signature algorithms Temporal Cloud accepts: RSA or ECDSA with SHA-256 or stronger
 * ("SHA-1 and MD5 signing algorithms are rejected", Temporal Cloud's certificate requirements).
 */
import { AsnConvert, AsnProp, AsnPropTypes } from '@peculiar/asn1-schema';
import { AlgorithmIdentifier } from '@peculiar/asn1-x509';

export interface SignatureAlgorithmVerdict {
  /** A readable name (`ecdsa-with-SHA384`, `RSASSA-PSS with SHA-1`), or the dotted OID when unknown. */
  name: string;
  acceptable: boolean;
}

const RSASSA_PSS = '1.2.840.113549.1.1.10';
const MGF1 = '1.2.840.113549.1.1.8';

/** The accepted algorithms (RFC 4055, RFC 5758): the hash is in the OID itself. */
const ACCEPTED: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.1.11': 'sha256WithRSAEncryption',
  '1.2.840.113549.1.1.12': 'sha384WithRSAEncryption',
  '1.2.840.113549.1.1.13': 'sha512WithRSAEncryption',
  '1.2.840.10045.4.3.2': 'ecdsa-with-SHA256',
  '1.2.840.10045.4.3.3': 'ecdsa-with-SHA384',
  '1.2.840.10045.4.3.4': 'ecdsa-with-SHA512',
};

/** Refused algorithms that are common enough to name in a message. */
const REFUSED: Readonly<Record<string, string>> = {
  '1.2.840.113549.1.1.2': 'md2WithRSAEncryption',
  '1.2.840.113549.1.1.4': 'md5WithRSAEncryption',
  '1.2.840.113549.1.1.5': 'sha1WithRSAEncryption',
  '1.2.840.113549.1.1.14': 'sha224WithRSAEncryption',
  '1.2.840.10045.4.1': 'ecdsa-with-SHA1',
  '1.2.840.10045.4.3.1': 'ecdsa-with-SHA224',
  '1.2.840.10040.4.3': 'dsa-with-SHA1',
  '2.16.840.1.101.3.4.3.2': 'dsa-with-SHA256',
  '1.3.101.112': 'Ed25519',
  '1.3.101.113': 'Ed448',
};

/** Hash OIDs (RFC 5754) and their digest sizes in bytes. */
const HASHES: Readonly<Record<string, { name: string; bytes: number }>> = {
  '1.3.14.3.2.26': { name: 'SHA-1', bytes: 20 },
  '2.16.840.1.101.3.4.2.4': { name: 'SHA-224', bytes: 28 },
  '2.16.840.1.101.3.4.2.1': { name: 'SHA-256', bytes: 32 },
  '2.16.840.1.101.3.4.2.2': { name: 'SHA-384', bytes: 48 },
  '2.16.840.1.101.3.4.2.3': { name: 'SHA-512', bytes: 64 },
};
const STRONG_HASHES = new Set(['SHA-256', 'SHA-384', 'SHA-512']);
const SHA1 = '1.3.14.3.2.26';

/** RSASSA-PSS-params (RFC 4055 section 3.1; explicit tags). Declared without decorator syntax, which this build does not enable. */
class RsaSsaPssParams {
  hashAlgorithm = new AlgorithmIdentifier({ algorithm: SHA1 });
  maskGenAlgorithm = new AlgorithmIdentifier({ algorithm: MGF1 });
  saltLength = 20;
  trailerField = 1;
}
AsnProp({ type: AlgorithmIdentifier, context: 0, defaultValue: new AlgorithmIdentifier({ algorithm: SHA1 }) })(RsaSsaPssParams.prototype, 'hashAlgorithm');
AsnProp({ type: AlgorithmIdentifier, context: 1, defaultValue: new AlgorithmIdentifier({ algorithm: MGF1 }) })(RsaSsaPssParams.prototype, 'maskGenAlgorithm');
AsnProp({ type: AsnPropTypes.Integer, context: 2, defaultValue: 20 })(RsaSsaPssParams.prototype, 'saltLength');
AsnProp({ type: AsnPropTypes.Integer, context: 3, defaultValue: 1 })(RsaSsaPssParams.prototype, 'trailerField');

/**
 * Whether Temporal Cloud accepts a certificate signed with this algorithm. RSASSA-PSS is accepted when it
 * hashes with SHA-256 or stronger and its parameters are the ones Go's crypto/x509 (Temporal Cloud's
 * verifier) can check: MGF1 with the same hash, a salt as long as the hash, the default trailer field.
 */
export function judgeSignatureAlgorithm(algorithm: AlgorithmIdentifier): SignatureAlgorithmVerdict {
  const accepted = ACCEPTED[algorithm.algorithm];
  if (accepted) return { name: accepted, acceptable: true };
  if (algorithm.algorithm === RSASSA_PSS) return judgePss(algorithm.parameters);
  return { name: REFUSED[algorithm.algorithm] ?? shownOid(algorithm.algorithm), acceptable: false };
}

/** An unknown OID as messages show it: a certificate may carry one thousands of digits long. */
function shownOid(oid: string): string {
  return oid.length > 64 ? `${oid.slice(0, 64)}…` : oid;
}

function judgePss(parameters: ArrayBuffer | null | undefined): SignatureAlgorithmVerdict {
  let params: RsaSsaPssParams;
  try {
    if (!parameters) throw new Error('RSASSA-PSS needs parameters in a certificate signature');
    params = AsnConvert.parse(parameters, RsaSsaPssParams);
  } catch {
    return { name: 'RSASSA-PSS with unreadable parameters', acceptable: false };
  }
  const hash = HASHES[params.hashAlgorithm.algorithm];
  const name = `RSASSA-PSS with ${hash?.name ?? shownOid(params.hashAlgorithm.algorithm)}`;
  if (!hash || !STRONG_HASHES.has(hash.name)) return { name, acceptable: false };
  const refused = (detail: string) => ({ name: `${name} and ${detail}`, acceptable: false });
  if (mgf1Hash(params.maskGenAlgorithm) !== params.hashAlgorithm.algorithm) return refused('a mask generation function Go cannot verify');
  const salt = Number(params.saltLength);
  if (salt !== hash.bytes) return refused(`a ${salt}-byte salt (Go verifies only a ${hash.bytes}-byte one)`);
  if (Number(params.trailerField) !== 1) return refused('a trailer field other than 1');
  return { name, acceptable: true };
}

function mgf1Hash(maskGen: AlgorithmIdentifier): string | undefined {
  if (maskGen.algorithm !== MGF1) return undefined;
  if (!maskGen.parameters) return SHA1;
  try {
    return AsnConvert.parse(maskGen.parameters, AlgorithmIdentifier).algorithm;
  } catch {
    return undefined;
  }
}
