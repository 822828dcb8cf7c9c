/**
 * The emulator reads the same CA certificates again and again: every update sends the whole bundle
 * back, and the gateway, the metrics and the console read it too. Parsing one certificate costs about
 * a millisecond (the ASN.1 library) and checking its signature nearly as much, so each distinct DER is
 * parsed once and kept, the most recently read 512 of them. A certificate is a value, so sharing one
 * is safe; what factsOf memoizes on it (its parsed fields, which keys its signature verifies with)
 * is kept with it.
 */
import { bundleCertificateOf, readCertificates, type BundleCertificate, type ReadCertificatesOptions } from '../pki/bundle.js';

/** A parseBundle that keeps the `kept` certificates it read most recently, by DER. */
export function memoizedBundleParser(kept: number): (pem: string | Uint8Array, options?: ReadCertificatesOptions) => BundleCertificate[] {
  const byDer = new Map<string, BundleCertificate>();
  const certificateOf = (der: Uint8Array): BundleCertificate => {
    const key = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('latin1');
    const known = byDer.get(key);
    if (known) {
      byDer.delete(key); // most recently read last: the first key is the one to drop
      byDer.set(key, known);
      return known;
    }
    const certificate = bundleCertificateOf(der); // throws for a malformed certificate, which is not kept
    byDer.set(key, certificate);
    if (byDer.size > kept) byDer.delete(byDer.keys().next().value!);
    return certificate;
  };
  return (pem, options) => readCertificates(pem, certificateOf, options);
}

/** parseBundle, with each certificate parsed once per process: the same input, results and errors. */
export const parseBundleOnce = memoizedBundleParser(512);
