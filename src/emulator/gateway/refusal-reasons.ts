/**
 * Why the gateway refused a connection, as a short stable category for metrics labels (the log line
 * keeps the full reasons). Admission refusals take the code of admitClient's first problem; a chain
 * that OpenSSL's path validation refused when our own rules did not is 'chain_invalid'.
 */
import type { AdmissionCode, AdmissionProblem } from '../../pki/admission.js';

export type RefusalReason =
  | 'no_server_name'
  | 'not_a_namespace_endpoint'
  | 'unknown_namespace'
  | 'handshake_failed'
  | 'mtls_disabled'
  | 'no_accepted_ca'
  | 'unusable_bundle'
  | 'chain_invalid'
  | 'no_longer_admitted'
  | Exclude<AdmissionCode, 'unreadable'>
  | 'other';

/** The category of admitClient's first problem. */
export function admissionRefusalReason(problems: readonly AdmissionProblem[]): RefusalReason {
  const code = problems[0]?.code;
  return code === undefined || code === 'unreadable' ? 'other' : code;
}
