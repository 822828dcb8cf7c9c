import { InputError, UsageError, errorKind } from '../../errors.js';
import type { BundleCertificate } from '../../pki/bundle.js';
import { formatTime, oneLine } from '../../pki/certificate-facts.js';
import { DurationError, formatDuration, parseDuration } from '../../pki/duration.js';
import type { Deps } from '../deps.js';
import { readCertificateFile } from './read-certificates.js';
import type { Verdict } from '../verdict.js';

export interface CheckExpiryOptions {
  /** Certificate or bundle files: PEM, or one DER certificate each. */
  files: string[];
  /** The window, a tcld duration; default 30d. */
  within?: string;
  /** text (default) or json. */
  output?: 'text' | 'json';
}

const DAY_MS = 86_400_000;
export const DEFAULT_WINDOW = '30d';

/** Where the certificates came from: a file, or a namespace's bundle. */
export interface CertificateSource {
  name: string;
  certificates: readonly BundleCertificate[];
}

/** One certificate that expires within the window, as --output json prints it. */
export interface ExpiringCertificate {
  source: string;
  /** 1 for the first certificate of its source. */
  position: number;
  subject: string;
  /** tcld's SHA-1 fingerprint (what `tcld n ca r --fp` takes). */
  fingerprint: string;
  notAfter: string;
  /** Whole days left, negative once expired. */
  daysLeft: number;
  expired: boolean;
}

/**
 * `tcld cert check-expiry <file>... --within 30d`, for cron and CI: exit 0 when no certificate expires
 * within the window, 1 when one does (each listed), 2 on bad input (a file that cannot be read, that is
 * not PEM or DER, that holds no certificate, or a bad duration): every error reading the input exits 2 here.
 */
export async function run(options: CheckExpiryOptions, deps: Deps): Promise<Verdict> {
  const output = options.output ?? 'text';
  const windowMs = parseWindow(options.within);
  if (!options.files || options.files.length === 0) throw new UsageError('missing argument <file>: give one or more certificate files');
  const sources: CertificateSource[] = [];
  for (const file of options.files) {
    try {
      sources.push({ name: file, certificates: await readCertificateFile(file, deps, { what: 'certificate file', lazy: true }) });
    } catch (error) {
      // Exit 2 for any bad input, so that cron and CI tell "expiring" (1) from "could not check" (2).
      if (errorKind(error) !== 'user') throw error;
      throw new InputError((error as Error).message);
    }
  }
  return expiryVerdict(sources, { windowMs, within: options.within ?? DEFAULT_WINDOW, now: deps.now(), json: output === 'json' });
}

/** --within as milliseconds; UsageError for a malformed or negative duration. */
export function parseWindow(within: string | undefined): number {
  const text = within ?? DEFAULT_WINDOW;
  let windowMs: number;
  try {
    windowMs = parseDuration(text);
  } catch (error) {
    if (error instanceof DurationError) throw new UsageError(`--within: ${error.message} (such as 30d or 12h)`);
    throw error;
  }
  if (windowMs < 0) throw new UsageError(`--within must not be negative, not ${text}`);
  return windowMs;
}

export interface ExpiryVerdictOptions {
  windowMs: number;
  /** The window as the user wrote it, for messages. */
  within: string;
  now: Date;
  json?: boolean;
  /** Name each listed certificate by its fingerprint too (a namespace's CAs: `tcld n ca r --fp` takes it). */
  fingerprints?: boolean;
}

/** Yes (ok) when no certificate's notAfter falls within the window from now; otherwise each one that does. */
export function expiryVerdict(sources: readonly CertificateSource[], options: ExpiryVerdictOptions): Verdict {
  const now = options.now.getTime();
  const limit = now + options.windowMs;
  const expiring: ExpiringCertificate[] = [];
  let checked = 0;
  let first: BundleCertificate | undefined;
  for (const source of sources) {
    source.certificates.forEach((certificate, index) => {
      checked++;
      const notAfter = certificate.notAfter.getTime();
      if (!first || notAfter < first.notAfter.getTime()) first = certificate;
      if (notAfter > limit) return;
      expiring.push({
        source: source.name,
        position: index + 1,
        subject: certificate.subject,
        fingerprint: certificate.fingerprint,
        notAfter: formatTime(certificate.notAfter),
        daysLeft: Math.trunc((notAfter - now) / DAY_MS),
        expired: notAfter <= now,
      });
    });
  }
  const ok = expiring.length === 0;
  const within = `within ${options.within}`;
  if (options.json) return { ok, lines: [], json: { ok, within: options.within, checked, expiring } };
  if (ok) {
    const left = (c: BundleCertificate) => formatDuration(Math.floor((c.notAfter.getTime() - now) / 60_000) * 60_000); // to the minute
    const soonest = first ? `; the first to expire does so on ${formatTime(first.notAfter)}, in ${left(first)}` : '';
    return { ok, lines: [`ok: none of the ${checked} certificates expires ${within}${soonest}`] };
  }
  const sizes = new Map(sources.map((s) => [s.name, s.certificates.length]));
  const lines = expiring.map((e) => {
    const where = (sizes.get(e.source) ?? 1) > 1 ? `${e.source} (certificate ${e.position})` : e.source;
    const when = e.expired
      ? `expired on ${e.notAfter} (${-e.daysLeft} days ago)`
      : `expires on ${e.notAfter} (${e.daysLeft} days left)`;
    return `${where}: ${oneLine(e.subject)} ${when}${options.fingerprints ? ` (fingerprint ${e.fingerprint})` : ''}`;
  });
  return { ok, lines: [`${expiring.length} of the ${checked} certificates expire ${within}:`, ...lines] };
}
