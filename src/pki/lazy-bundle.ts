/**
 * parseBundle's rules and messages, for commands that read many certificates and need little of each:
 * only node's X509Certificate is built up front (it also refuses malformed certificates); validity
 * comes from a short walk of the DER, and names, PEM and the ASN.1 structure are made on first use.
 * `check-expiry` on 1000 certificates and `verify` against 100 CAs stay fast this way.
 */
import { X509Certificate } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Name } from '@peculiar/asn1-x509';
import { fingerprintOf, readCertificates, type BundleCertificate } from './bundle.js';
import { formatName } from './format-name.js';
import { toPem } from './pem.js';

/**
 * Like parseBundle (the same accepted input and the same CertificateError messages: no PEM, an unended
 * block, a block that is not a certificate, a malformed certificate; a lone DER certificate given as
 * bytes), but lazy: `subject`, `issuer` and `pem` are computed when read. Empty input gives [].
 */
export function parseBundleLazily(input: string | Uint8Array): BundleCertificate[] {
  return readCertificates(input, lazyCertificate);
}

/** One certificate from its DER; throws (not a CertificateError) when it does not parse. */
function lazyCertificate(input: Uint8Array): BundleCertificate {
  const x509 = new X509Certificate(input);
  // The certificate alone: node ignores bytes after it, which the fingerprint must not include.
  const der = readTlv(input, 0, 0x30).end === input.length ? input : new Uint8Array(x509.raw);
  const fields = tbsFields(der);
  let fingerprint: string | undefined;
  let subject: string | undefined;
  let issuer: string | undefined;
  let pem: string | undefined;
  return {
    get fingerprint() {
      return (fingerprint ??= fingerprintOf(der));
    },
    notBefore: fields.notBefore,
    notAfter: fields.notAfter,
    x509,
    get subject() {
      return (subject ??= formatName(AsnConvert.parse(fields.subject, Name)));
    },
    get issuer() {
      return (issuer ??= formatName(AsnConvert.parse(fields.issuer, Name)));
    },
    get pem() {
      return (pem ??= toPem('CERTIFICATE', der));
    },
  };
}

interface TbsFields {
  issuer: Uint8Array;
  subject: Uint8Array;
  notBefore: Date;
  notAfter: Date;
}

/**
 * RFC 5280 4.1: Certificate ::= SEQUENCE { tbsCertificate SEQUENCE { [0] version OPTIONAL, serialNumber,
 * signature, issuer, validity SEQUENCE { notBefore, notAfter }, subject, ... }, ... }.
 */
function tbsFields(der: Uint8Array): TbsFields {
  const certificate = readTlv(der, 0, 0x30);
  const tbs = readTlv(der, certificate.contentStart, 0x30);
  let at = tbs.contentStart;
  if (der[at] === 0xa0) at = readTlv(der, at).end;
  const serial = readTlv(der, at, 0x02);
  const signature = readTlv(der, serial.end, 0x30);
  const issuer = readTlv(der, signature.end, 0x30);
  const validity = readTlv(der, issuer.end, 0x30);
  const notBefore = readTlv(der, validity.contentStart);
  const notAfter = readTlv(der, notBefore.end);
  const subject = readTlv(der, validity.end, 0x30);
  return {
    issuer: der.subarray(issuer.start, issuer.end),
    subject: der.subarray(subject.start, subject.end),
    notBefore: readTime(der, notBefore),
    notAfter: readTime(der, notAfter),
  };
}

interface Tlv {
  tag: number;
  start: number;
  contentStart: number;
  end: number;
}

function readTlv(der: Uint8Array, start: number, expectedTag?: number): Tlv {
  const tag = der[start];
  if (tag === undefined || (expectedTag !== undefined && tag !== expectedTag)) throw new Error('unexpected DER');
  let length = der[start + 1];
  let contentStart = start + 2;
  if (length === undefined) throw new Error('truncated DER');
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4) throw new Error('unsupported DER length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (der[contentStart + i] ?? NaN);
    contentStart += count;
  }
  const end = contentStart + length;
  if (!Number.isFinite(end) || end > der.length) throw new Error('truncated DER');
  return { tag, start, contentStart, end };
}

/** UTCTime (YYMMDDHHMMSSZ, years 1950-2049) or GeneralizedTime (YYYYMMDDHHMMSS[.fff]Z), as RFC 5280 4.1.2.5 allows. */
function readTime(der: Uint8Array, tlv: Tlv): Date {
  const text = Buffer.from(der.subarray(tlv.contentStart, tlv.end)).toString('latin1');
  let match: RegExpExecArray | null;
  let year: number;
  if (tlv.tag === 0x17 && (match = /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/.exec(text))) {
    const yy = Number(match[1]);
    year = yy >= 50 ? 1900 + yy : 2000 + yy;
  } else if (tlv.tag === 0x18 && (match = /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(?:\.\d+)?Z$/.exec(text))) {
    year = Number(match[1]);
  } else {
    throw new Error('unsupported time');
  }
  const [, , month, day, hour, minute, second] = match.map(Number) as number[];
  return new Date(Date.UTC(year, month! - 1, day, hour, minute, second));
}
