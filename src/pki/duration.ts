/**
 * Durations in tcld's syntax: Go's `time.ParseDuration` plus the units `d` (24h) and `y` (365d),
 * so `1y`, `90d`, `30d10h` and `1.5h` all work as they do in tcld.
 */

const NANOS_PER_MS = 1_000_000n;
/** Go's time.Duration is an int64 of nanoseconds; a longer duration is an error there too. */
const MAX_NANOS = (1n << 63n) - 1n;

const UNIT_NANOS: Readonly<Record<string, bigint>> = {
  ns: 1n,
  us: 1_000n,
  µs: 1_000n, // U+00B5 micro sign, as Go accepts
  μs: 1_000n, // U+03BC Greek mu, as Go accepts
  ms: 1_000_000n,
  s: 1_000_000_000n,
  m: 60_000_000_000n,
  h: 3_600_000_000_000n,
  d: 86_400_000_000_000n,
  y: 31_536_000_000_000_000n,
};

export class DurationError extends Error {
  override name = 'DurationError';
}

const TERM = /^(\d*)(?:\.(\d*))?([^\d.]+)/;

/**
 * Parses a tcld duration and returns it in milliseconds (sub-millisecond parts are dropped).
 * Throws DurationError with a message naming the input when it is not a valid duration.
 */
export function parseDuration(text: string): number {
  const invalid = (why: string) => new DurationError(`invalid duration "${text}": ${why}`);
  let rest = text.trim();
  let sign = 1n;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    sign = rest[0] === '-' ? -1n : 1n;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0;
  if (rest === '') throw invalid('expected a number and a unit, such as 90d or 1y');
  let total = 0n;
  while (rest !== '') {
    const match = TERM.exec(rest);
    if (!match) {
      const why = /^[\d.]+$/.test(rest) ? `missing unit after "${rest}"` : 'expected a number and a unit, such as 90d or 1y';
      throw invalid(why);
    }
    const [term, whole = '', fraction = '', unit = ''] = match;
    if (whole === '' && fraction === '') throw invalid(`no digits before "${unit}"`);
    const unitNanos = UNIT_NANOS[unit];
    if (unitNanos === undefined) throw invalid(`unknown unit "${unit}" (use ns, us, ms, s, m, h, d or y)`);
    total += BigInt(whole || '0') * unitNanos + fractionNanos(fraction, unitNanos);
    if (total > MAX_NANOS) throw invalid('too long');
    rest = rest.slice(term.length);
  }
  return Number((sign * total) / NANOS_PER_MS);
}

function fractionNanos(digits: string, unitNanos: bigint): bigint {
  if (digits === '') return 0n;
  return (BigInt(digits) * unitNanos) / 10n ** BigInt(digits.length);
}

const DISPLAY_UNITS: ReadonlyArray<[string, number]> = [
  ['d', 86_400_000],
  ['h', 3_600_000],
  ['m', 60_000],
  ['s', 1_000],
];

/** Formats milliseconds in the same syntax, largest units first: `365d`, `1d2h3m`, `0s`. */
export function formatDuration(milliseconds: number): string {
  let rest = Math.abs(Math.round(milliseconds));
  let out = '';
  for (const [unit, size] of DISPLAY_UNITS) {
    const count = Math.floor(rest / size);
    if (count > 0) out += `${count}${unit}`;
    rest -= count * size;
  }
  if (rest > 0) out += `${rest}ms`;
  return (milliseconds < 0 ? '-' : '') + (out || '0s');
}
