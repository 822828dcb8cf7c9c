/**
 * parseBundle's rules and messages, for commands that read many certificates and need little of each:
 * only node's X509Certificate is built up front (it also refuses malformed certificates); validity
 * comes from a short walk of the DER, and names, PEM and the ASN.1 structure are made on first use.
 * `check-expiry` on 1000 certificates and `verify` against 100 CAs stay fast this way.
 */
import { X509Certificate } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { Name } from '@peculiar/asn1-x509';
import { fingerprintOf, readCertificates, type BundleCertificate, type ReadCertificatesOptions } from './bundle.js';
import { formatName } from './format-name.js';
import { tbsFields } from './der.js';
import { toPem } from './pem.js';
import { MalformedCertificateError } from './x509.js';

/**
 * Like parseBundle (the same accepted input and the same CertificateError messages: no PEM, an unended
 * block, a block that is not a certificate, a malformed certificate; a lone DER certificate given as
 * bytes), but lazy: `subject`, `issuer` and `pem` are computed when read. Empty input gives [].
 */
export function parseBundleLazily(input: string | Uint8Array, options: ReadCertificatesOptions = {}): BundleCertificate[] {
  return readCertificates(input, lazyCertificate, options);
}

/** One certificate from its DER; throws (not a CertificateError) when it does not parse. */
function lazyCertificate(input: Uint8Array): BundleCertificate {
  const x509 = new X509Certificate(input);
  // The certificate alone: node ignores bytes after it, which the fingerprint must not include.
  const fields = tbsFields(input);
  const der = fields.end === input.length ? input : new Uint8Array(x509.raw);
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
      return (subject ??= nameOf(fields.subject, 'subject'));
    },
    get issuer() {
      return (issuer ??= nameOf(fields.issuer, 'issuer'));
    },
    get pem() {
      return (pem ??= toPem('CERTIFICATE', der));
    },
  };
}

/** A name in Go's form, read when first asked for; MalformedCertificateError when it does not decode. */
function nameOf(der: Uint8Array, which: 'subject' | 'issuer'): string {
  try {
    return formatName(AsnConvert.parse(der, Name));
  } catch {
    throw new MalformedCertificateError(`its ${which} name cannot be read`);
  }
}
