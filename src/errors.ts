/**
 * The error hierarchy every layer shares. The CLI turns these into exit codes in one place:
 * UsageError → 2 (with usage), UserError → 1 (one actionable line), anything else → internal bug.
 */

/** Something the user can fix; the message is one line that says what to do next. */
export class UserError extends Error {
  override name = 'UserError';
}

/** The command line itself is wrong: a missing or unknown flag, a malformed value. */
export class UsageError extends UserError {
  override name = 'UsageError';
}

/** A certificate, key or bundle that cannot be used as asked. */
export class CertificateError extends UserError {
  override name = 'CertificateError';
}
