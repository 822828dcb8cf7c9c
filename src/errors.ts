/**
 * The error hierarchy every layer shares. The CLI turns these into exit codes in one place:
 * usage errors and unreadable or malformed input → 2, user errors (the world said no) → 1, an
 * interrupted wait or write → 130 or 143 (the signal's exit status), anything else → a bug.
 *
 * The CLI's build keeps one copy of each module (scripts/build.mjs; test/startup.test.ts proves it),
 * so these are told apart with `instanceof`.
 */

export type ErrorKind = 'user' | 'usage' | 'input' | 'interrupted';

/** Something the user can fix; the message is one line that says what to do next. */
export class UserError extends Error {
  override name = 'UserError';
  readonly kind: ErrorKind = 'user';
}

/** The command line itself is wrong: a missing or unknown flag, a malformed value. */
export class UsageError extends UserError {
  override name = 'UsageError';
  override readonly kind: ErrorKind = 'usage';
}

/** An input the user gave cannot be read or is malformed: a missing file, text that is not PEM or JSON. */
export class InputError extends UserError {
  override name = 'InputError';
  override readonly kind: ErrorKind = 'input';
}

/** A certificate, key, request, filter document or bundle that cannot be used as asked. */
export class CertificateError extends InputError {
  override name = 'CertificateError';
}

/** The user stopped a wait or a write (Ctrl-C, SIGTERM); the message says what became of it. Not the user's mistake, so not a UserError. */
export class InterruptedError extends Error {
  override name = 'InterruptedError';
  readonly kind: ErrorKind = 'interrupted';
}

/** The kind of a tcld error, or undefined for anything else (a bug). */
export function errorKind(error: unknown): ErrorKind | undefined {
  return error instanceof UserError || error instanceof InterruptedError ? error.kind : undefined;
}
