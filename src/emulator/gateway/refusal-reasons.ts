/**
 * Why the gateway refused a connection, as a short stable category for metrics labels (the log line
 * keeps the full reasons). admitClient's reasons are sentences, so its categories are read from their
 * wording; a reason not recognised is 'other' rather than a new label value.
 */
export type RefusalReason =
  | 'no_server_name'
  | 'not_a_namespace_endpoint'
  | 'unknown_namespace'
  | 'handshake_failed'
  | 'mtls_disabled'
  | 'no_accepted_ca'
  | 'unusable_bundle'
  | 'no_client_certificate'
  | 'untrusted_issuer'
  | 'expired'
  | 'not_yet_valid'
  | 'is_ca'
  | 'key_usage'
  | 'extended_key_usage'
  | 'weak_signature'
  | 'duplicate_name'
  | 'filter_mismatch'
  | 'other';

/** admitClient's wordings, in the order tried: the first reason of a refusal decides its category. */
const ADMISSION_REASONS: ReadonlyArray<[RegExp, RefusalReason]> = [
  [/^no client certificate/, 'no_client_certificate'],
  [/ expired on /, 'expired'],
  [/ is not valid until /, 'not_yet_valid'],
  [/^the certificate is a CA /, 'is_ca'],
  [/ key usage \(.*\) lacks digitalSignature$/, 'key_usage'],
  [/extended key usage.* lacks clientAuth/, 'extended_key_usage'],
  [/ is signed with .*: Temporal Cloud requires /, 'weak_signature'],
  [/ is also the subject of .*distinct names along the chain$/, 'duplicate_name'],
  [/ matches none of the namespace's \d+ certificate filters? /, 'filter_mismatch'],
  [/ is not issued by any CA in the namespace's accepted bundle|as its issuer, but that CA|before it reaches a CA in the namespace's accepted bundle|issuer candidates/, 'untrusted_issuer'],
];

/** The category of admitClient's first reason. */
export function admissionRefusalReason(reasons: readonly string[]): RefusalReason {
  const first = reasons[0] ?? '';
  return ADMISSION_REASONS.find(([pattern]) => pattern.test(first))?.[1] ?? 'other';
}
