/**
 * A short, strict walk of a certificate's DER for the fields read before anything else (names and
 * validity): no ASN.1 library, no allocation per field, and a time that is not a real instant is
 * refused here rather than becoming an Invalid Date (or a date in 1899) further on.
 */

/** A tag, its position and its content's bounds. */
export interface Tlv {
  tag: number;
  start: number;
  contentStart: number;
  end: number;
}

/** A DER structure that does not hold what RFC 5280 says it holds; the message says which part. */
export class DerError extends Error {
  override name = 'DerError';
  constructor(
    message: string,
    /** The message names the part of the certificate that is wrong (`its notAfter time …`), so it can be shown as the reason. */
    readonly namesPart = false,
  ) {
    super(message);
  }
}

/** The TLV at `start`; DerError when it is truncated, too long, or not of the expected tag. */
export function readTlv(der: Uint8Array, start: number, expectedTag?: number): Tlv {
  const tag = der[start];
  if (tag === undefined || (expectedTag !== undefined && tag !== expectedTag)) throw new DerError('unexpected DER');
  let length = der[start + 1];
  let contentStart = start + 2;
  if (length === undefined) throw new DerError('truncated DER');
  if (length & 0x80) {
    const count = length & 0x7f;
    if (count === 0 || count > 4) throw new DerError('unsupported DER length');
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (der[contentStart + i] ?? NaN);
    contentStart += count;
  }
  const end = contentStart + length;
  if (!Number.isFinite(end) || end > der.length) throw new DerError('truncated DER');
  return { tag, start, contentStart, end };
}

export interface TbsFields {
  /** The issuer Name's DER. */
  issuer: Uint8Array;
  /** The subject Name's DER. */
  subject: Uint8Array;
  notBefore: Date;
  notAfter: Date;
  /** Where the certificate's outer SEQUENCE ends: bytes after it are not part of it. */
  end: number;
}

/**
 * RFC 5280 4.1: Certificate ::= SEQUENCE { tbsCertificate SEQUENCE { [0] version OPTIONAL, serialNumber,
 * signature, issuer, validity SEQUENCE { notBefore, notAfter }, subject, ... }, ... }.
 */
export function tbsFields(der: Uint8Array): TbsFields {
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
    notBefore: readTime(der, notBefore, 'notBefore'),
    notAfter: readTime(der, notAfter, 'notAfter'),
    end: certificate.end,
  };
}

const UTC_TIME = /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)Z$/;
const GENERALIZED_TIME = /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(?:\.\d{1,9})?Z$/;

/** UTCTime (YYMMDDHHMMSSZ, years 1950-2049) or GeneralizedTime (YYYYMMDDHHMMSS[.fff]Z), as RFC 5280 4.1.2.5 allows. */
function readTime(der: Uint8Array, tlv: Tlv, field: string): Date {
  // Both forms are at most 24 characters: a longer value is refused before any regular expression sees it.
  const text = tlv.end - tlv.contentStart <= 24 ? Buffer.from(der.subarray(tlv.contentStart, tlv.end)).toString('latin1') : '';
  let match: RegExpExecArray | null;
  let year: number;
  if (tlv.tag === 0x17 && (match = UTC_TIME.exec(text))) {
    const yy = Number(match[1]);
    year = yy >= 50 ? 1900 + yy : 2000 + yy;
  } else if (tlv.tag === 0x18 && (match = GENERALIZED_TIME.exec(text))) {
    year = Number(match[1]);
  } else {
    throw new DerError(`its ${field} time is not a valid UTCTime or GeneralizedTime`, true);
  }
  const [, , month, day, hour, minute, second] = match.map(Number) as number[];
  const date = new Date(Date.UTC(year, month! - 1, day, hour, minute, second));
  // Date.UTC rolls over (month 13, day 32, hour 24); a real instant reads back the same.
  if (date.getUTCMonth() !== month! - 1 || date.getUTCDate() !== day || date.getUTCHours() !== hour || date.getUTCMinutes() !== minute || date.getUTCSeconds() !== second) {
    throw new DerError(`its ${field} time is not a real date and time`, true);
  }
  if (year < 100) date.setUTCFullYear(year); // Date.UTC reads years 0-99 as 1900-1999
  return date;
}
