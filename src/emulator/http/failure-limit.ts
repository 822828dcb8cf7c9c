/**
 * A bound on guessing: at most `limit` failures (a wrong API key, an unknown user code) in any window
 * of `windowSeconds`, counted for the whole port, since every caller is on loopback and looks alike.
 * Once reached, the caller must refuse before it checks anything, so a guess cannot succeed while
 * limited; a browser already signed in is not affected.
 */
export interface FailureLimitOptions {
  limit: number;
  /** Default 60. */
  windowSeconds?: number;
  now: () => Date;
}

export type LimitVerdict = { code: 'open' } | { code: 'limited'; retryAfterSeconds: number };

export interface FailureLimit {
  /** Whether another attempt may be checked now. */
  check(): LimitVerdict;
  /** Counts a failed attempt. */
  fail(): void;
}

export function createFailureLimit(options: FailureLimitOptions): FailureLimit {
  if (!(Number.isInteger(options.limit) && options.limit > 0)) throw new RangeError(`a failure limit must be a positive whole number (got ${options.limit})`);
  const windowMs = (options.windowSeconds ?? 60) * 1000;
  /** When each failure of the window happened, oldest first: never more than `limit`. */
  const failures: number[] = [];
  const ms = () => options.now().getTime();
  const forget = (now: number) => {
    while (failures.length > 0 && failures[0]! <= now - windowMs) failures.shift();
  };
  return {
    check() {
      const now = ms();
      forget(now);
      if (failures.length < options.limit) return { code: 'open' };
      return { code: 'limited', retryAfterSeconds: Math.max(1, Math.ceil((failures[0]! + windowMs - now) / 1000)) };
    },
    fail() {
      const now = ms();
      forget(now);
      failures.push(now);
      if (failures.length > options.limit) failures.shift();
    },
  };
}
