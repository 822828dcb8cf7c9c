/** For tests: CA files damaged in ways that still parse, so that only a signature check can see it. */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { AsnConvert } from '@peculiar/asn1-schema';
import { toPem } from './pem.js';
import { parseCertificateStructure } from './x509.js';

/** The key with its private value changed (its public half kept): checkPrivateKey still passes, its signatures fail. */
export function damagePrivateValue(pem: string, fields: readonly string[] = ['d']): string {
  const jwk = createPrivateKey(pem).export({ format: 'jwk' }) as Record<string, string>;
  for (const field of fields) {
    const bytes = Buffer.from(jwk[field]!, 'base64url');
    bytes[bytes.length - 1]! ^= 0x02;
    jwk[field] = bytes.toString('base64url');
  }
  return createPrivateKey({ key: jwk, format: 'jwk' }).export({ type: 'pkcs8', format: 'pem' }).toString();
}

/** The certificate with the last letter of its subject in the other case: still well-formed, no longer what was signed. */
export function damageSubject(pem: string): string {
  const der = Buffer.from(new X509Certificate(pem).raw);
  const subject = Buffer.from(AsnConvert.serialize(parseCertificateStructure(der).tbsCertificate.subject));
  let at = der.lastIndexOf(subject) + subject.length - 1;
  while (!/[a-z]/i.test(String.fromCharCode(der[at]!))) at--;
  der[at]! ^= 0x20;
  return toPem('CERTIFICATE', der);
}
