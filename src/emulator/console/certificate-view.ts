/**
 * What the console shows of a CA bundle: each certificate's names, fingerprints, validity and days
 * left, how urgent its expiry is (Temporal Cloud's notices come at 30, 15 and 5 days), and where each
 * validity window lies on one time axis, so that the overlap a rotation needs can be seen. Pure.
 */
import { createHash } from 'node:crypto';
import type { BundleCertificate } from '../../pki/bundle.js';

const DAY_MS = 86_400_000;

/** How soon a certificate expires, as the page colours it: Temporal Cloud's notice thresholds. */
export type ExpiryLevel = 'ok' | 'within-30-days' | 'within-15-days' | 'within-5-days' | 'expired';

export interface CaView {
  subject: string;
  issuer: string;
  /** Lowercase hex, as `tcld n ca l` lists it (and takes it to remove a CA). */
  sha1: string;
  /** Lowercase hex SHA-256 of the DER. */
  sha256: string;
  notBefore: Date;
  notAfter: Date;
  /** Whole days left, negative once expired (as `tcld cert check-expiry`). */
  daysLeft: number;
  level: ExpiryLevel;
}

export function daysLeft(notAfter: Date, now: Date): number {
  return Math.trunc((notAfter.getTime() - now.getTime()) / DAY_MS);
}

export function expiryLevel(notAfter: Date, now: Date): ExpiryLevel {
  if (notAfter.getTime() <= now.getTime()) return 'expired';
  const days = daysLeft(notAfter, now);
  if (days <= 5) return 'within-5-days';
  if (days <= 15) return 'within-15-days';
  if (days <= 30) return 'within-30-days';
  return 'ok';
}

export function caView(certificate: BundleCertificate, now: Date): CaView {
  return {
    subject: certificate.subject,
    issuer: certificate.issuer,
    sha1: certificate.fingerprint,
    sha256: createHash('sha256').update(certificate.x509.raw).digest('hex'),
    notBefore: certificate.notBefore,
    notAfter: certificate.notAfter,
    daysLeft: daysLeft(certificate.notAfter, now),
    level: expiryLevel(certificate.notAfter, now),
  };
}

/** The CA that expires first, if any. */
export function soonestExpiry(cas: readonly CaView[]): CaView | undefined {
  return cas.reduce<CaView | undefined>((soonest, ca) => (soonest === undefined || ca.notAfter < soonest.notAfter ? ca : soonest), undefined);
}

export interface Timeline {
  /** The axis: from the earliest notBefore to the latest notAfter (and now, if outside them). */
  start: Date;
  end: Date;
  /** Where now lies on the axis, 0 to 1. */
  now: number;
  /** Each CA's window on the axis, 0 to 1, in the bundle's order. */
  bars: Array<{ from: number; to: number }>;
  /** Pairs of CAs (by position) whose windows overlap: during a rotation, the old and the new one. */
  overlaps: Array<[number, number]>;
}

export function timelineOf(cas: readonly CaView[], now: Date): Timeline | undefined {
  if (cas.length === 0) return undefined;
  const times = cas.flatMap((ca) => [ca.notBefore.getTime(), ca.notAfter.getTime()]);
  const start = Math.min(now.getTime(), ...times);
  const end = Math.max(now.getTime(), ...times);
  const span = Math.max(end - start, 1);
  const at = (ms: number) => (ms - start) / span;
  const overlaps: Array<[number, number]> = [];
  cas.forEach((a, i) =>
    cas.slice(i + 1).forEach((b, j) => {
      if (a.notBefore < b.notAfter && b.notBefore < a.notAfter) overlaps.push([i, i + 1 + j]);
    }),
  );
  return {
    start: new Date(start),
    end: new Date(end),
    now: at(now.getTime()),
    bars: cas.map((ca) => ({ from: at(ca.notBefore.getTime()), to: at(ca.notAfter.getTime()) })),
    overlaps,
  };
}
