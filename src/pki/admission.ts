/**
 * "Would Temporal Cloud accept this client certificate?": one implementation, shared by the
 * emulator's mTLS gateway, `tcld connectivity test`, `tcld certificates verify` and the tests.
 * Pure: no I/O. STUB: signatures fixed, implementation being written.
 */
import type { X509Certificate } from 'node:crypto';
import type { BundleCertificate } from './bundle.js';
import type { CertificateFilter } from './filters.js';

/** A namespace's rules: its accepted CA bundle and its certificate filters (none: any certificate of the bundle). */
export interface AdmissionPolicy {
  bundle: readonly BundleCertificate[];
  filters: readonly CertificateFilter[];
}

/** A policy indexed for fast checks (issuers found by name, not by trying each CA): build once per bundle version. */
export interface PreparedPolicy {
  readonly prepared: true;
}

export function preparePolicy(policy: AdmissionPolicy): PreparedPolicy {
  void policy;
  throw new Error('not implemented');
}

export interface AdmissionResult {
  accepted: boolean;
  /** Every reason for refusal, one line each (empty when accepted). */
  reasons: string[];
}

/**
 * Checks a client's certificate chain (the leaf first, then any intermediates the client sent) at `now`:
 * it chains to a certificate of the bundle (intermediates from the bundle or the client); every certificate
 * on the chain is within its validity; the leaf is CA:FALSE, its key usage (when present) includes
 * digitalSignature, its extended key usage is clientAuth or absent; every distinguished name along the
 * chain is unique (case-insensitive); and, when there are filters, it matches at least one.
 */
export function admitClient(chain: readonly X509Certificate[], policy: PreparedPolicy, now: Date): AdmissionResult {
  void chain;
  void policy;
  void now;
  throw new Error('not implemented');
}
