/**
 * The emulator reads the same CA certificates again and again: every update sends the whole bundle
 * back, and the gateway, the metrics and the console read it too. Parsing one certificate costs about
 * a millisecond (the ASN.1 library) and checking its signature nearly as much, so each distinct DER is
 * parsed once and kept, the most recently read 512 of them. A certificate is a value, so sharing one
 * is safe; what factsOf memoizes on it (its parsed fields, which keys its signature verifies with)
 * is kept with it.
 */
import { bundleCertificateOf, readCertificates, type BundleCertificate, type ReadCertificatesOptions } from '../pki/bundle.js';

const KEPT = 512;
const byDer = new Map<string, BundleCertificate>();

/** parseBundle, with each certificate parsed once per process: the same input, results and errors. */
export function parseBundleOnce(pem: string | Uint8Array, options?: ReadCertificatesOptions): BundleCertificate[] {
  return readCertificates(pem, certificateOf, options);
}

function certificateOf(der: Uint8Array): BundleCertificate {
  const key = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('latin1');
  const kept = byDer.get(key);
  if (kept) {
    byDer.delete(key); // most recently read last: the first key is the one to drop
    byDer.set(key, kept);
    return kept;
  }
  const certificate = bundleCertificateOf(der); // throws for a malformed certificate, which is not kept
  byDer.set(key, certificate);
  if (byDer.size > KEPT) byDer.delete(byDer.keys().next().value!);
  return certificate;
}
