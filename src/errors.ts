/**
 * The error hierarchy every layer shares. The CLI turns these into exit codes in one place:
 * usage errors and unreadable or malformed input → 2, user errors (the world said no) → 1, an
 * interrupted wait or write → 130 or 143 (the signal's exit status), anything else → a bug.
 *
 * The CLI's commands are separate bundles, each with its own copy of these classes, so the CLI
 * recognises them by a brand in the global symbol registry rather than by `instanceof`.
 */

const KIND = Symbol.for('tcld.error-kind');

export type ErrorKind = 'user' | 'usage' | 'input' | 'interrupted';

/** Something the user can fix; the message is one line that says what to do next. */
export class UserError extends Error {
  override name = 'UserError';
  readonly [KIND]: ErrorKind = 'user';
}

/** The command line itself is wrong: a missing or unknown flag, a malformed value. */
export class UsageError extends UserError {
  override name = 'UsageError';
  override readonly [KIND]: ErrorKind = 'usage';
}

/** An input the user gave cannot be read or is malformed: a missing file, text that is not PEM or JSON. */
export class InputError extends UserError {
  override name = 'InputError';
  override readonly [KIND]: ErrorKind = 'input';
}

/** A certificate, key, request, filter document or bundle that cannot be used as asked. */
export class CertificateError extends InputError {
  override name = 'CertificateError';
}

/** The user stopped a wait or a write (Ctrl-C, SIGTERM); the message says what became of it. Not the user's mistake, so not a UserError. */
export class InterruptedError extends Error {
  override name = 'InterruptedError';
  readonly [KIND]: ErrorKind = 'interrupted';
}

/** The kind of a tcld error from any bundle, or undefined for anything else (a bug). */
export function errorKind(error: unknown): ErrorKind | undefined {
  const kind = typeof error === 'object' && error !== null ? (error as Record<symbol, unknown>)[KIND] : undefined;
  return kind === 'user' || kind === 'usage' || kind === 'input' || kind === 'interrupted' ? kind : undefined;
}
