/**
 * A CA bundle as the namespace and account pages show it: the validity windows on one time axis (an
 * SVG drawn with attributes only, since the CSP allows no inline style attributes), and one card per
 * CA with its names, fingerprints, dates and days left, and, where the page allows it, a Remove form.
 */
import type { CaView } from './certificate-view.js';
import { timelineOf } from './certificate-view.js';
import { dateTime, escapeHtml, expiryBadge, formatInstant } from './layout.js';

const WIDTH = 1000;
const ROW = 26;
const LABEL = 60;

/** The CAs' validity windows, each on its own row, with now marked and overlaps shaded. */
export function timelineSvg(cas: readonly CaView[], now: Date): string {
  const timeline = timelineOf(cas, now);
  if (!timeline) return '';
  const plot = WIDTH - LABEL;
  const x = (at: number) => (LABEL + at * plot).toFixed(1);
  /** Room above the rows for the "now" label, and below them for the axis's dates. */
  const top = 16;
  const bottom = top + cas.length * ROW;
  const overlaps = timeline.overlaps.map(([i, j]) => {
    const from = Math.max(timeline.bars[i]!.from, timeline.bars[j]!.from);
    const to = Math.min(timeline.bars[i]!.to, timeline.bars[j]!.to);
    return `<rect class="overlap" x="${x(from)}" y="${top}" width="${((to - from) * plot).toFixed(1)}" height="${cas.length * ROW}"></rect>`;
  });
  const bars = cas.map((ca, index) => {
    const bar = timeline.bars[index]!;
    const y = top + index * ROW + 4;
    return `<text x="0" y="${y + 13}">CA ${index + 1}</text><rect class="window${ca.level === 'expired' ? ' expired' : ''}" x="${x(bar.from)}" y="${y}" width="${Math.max((bar.to - bar.from) * plot, 1).toFixed(1)}" height="18" rx="4"><title>CA ${index + 1}: ${escapeHtml(formatInstant(ca.notBefore.toISOString()))} to ${escapeHtml(formatInstant(ca.notAfter.toISOString()))}</title></rect>`;
  });
  const anchor = timeline.now < 0.05 ? 'start' : timeline.now > 0.95 ? 'end' : 'middle';
  return `<svg class="timeline" viewBox="0 0 ${WIDTH} ${bottom + 20}" role="img" aria-labelledby="timeline-summary">
<rect class="track" x="${LABEL}" y="${top}" width="${plot}" height="${cas.length * ROW}"></rect>
${overlaps.join('')}${bars.join('\n')}
<line class="now" x1="${x(timeline.now)}" x2="${x(timeline.now)}" y1="${top - 4}" y2="${bottom}"></line>
<text x="${x(timeline.now)}" y="${top - 6}" text-anchor="${anchor}">now</text>
<text x="${LABEL}" y="${bottom + 16}">${escapeHtml(formatInstant(timeline.start.toISOString()).slice(0, 10))}</text>
<text x="${WIDTH}" y="${bottom + 16}" text-anchor="end">${escapeHtml(formatInstant(timeline.end.toISOString()).slice(0, 10))}</text>
</svg>
<p class="muted" id="timeline-summary">${escapeHtml(timelineSummary(cas))}</p>`;
}

/** The timeline in words: which windows overlap, when, for how long. */
export function timelineSummary(cas: readonly CaView[]): string {
  const pairs: string[] = [];
  cas.forEach((a, i) =>
    cas.slice(i + 1).forEach((b, k) => {
      const from = a.notBefore > b.notBefore ? a.notBefore : b.notBefore;
      const to = a.notAfter < b.notAfter ? a.notAfter : b.notAfter;
      if (from >= to) return;
      const days = Math.floor((to.getTime() - from.getTime()) / 86_400_000);
      pairs.push(`CA ${i + 1} and CA ${i + 2 + k} are both valid from ${formatInstant(from.toISOString()).slice(0, 10)} to ${formatInstant(to.toISOString()).slice(0, 10)} (${days} days)`);
    }),
  );
  const windows = `Validity windows of ${cas.length} CA${cas.length === 1 ? '' : 's'}, with now marked`;
  return pairs.length === 0 ? `${windows}; no two overlap.` : `${windows}. ${pairs.join('; ')}.`;
}

export interface CaCardsOptions {
  /** Form markup to put under a CA (a Remove button), given its SHA-1 fingerprint and position; none for a read-only list. */
  actions?: (ca: CaView, index: number) => string;
}

/** One card per CA, numbered as on the timeline. */
export function caCards(cas: readonly CaView[], options: CaCardsOptions = {}): string {
  const cards = cas.map(
    (ca, index) => `<article class="ca" aria-labelledby="ca-${index + 1}">
<h3 id="ca-${index + 1}">CA ${index + 1}: ${escapeHtml(ca.subject)}</h3>
<dl>
<dt>Issuer</dt><dd>${escapeHtml(ca.issuer)}</dd>
<dt>SHA-1</dt><dd><code class="fp">${escapeHtml(ca.sha1)}</code></dd>
<dt>SHA-256</dt><dd><code class="fp">${escapeHtml(ca.sha256)}</code></dd>
<dt>Not before</dt><dd>${dateTime(ca.notBefore)}</dd>
<dt>Not after</dt><dd>${dateTime(ca.notAfter)} ${expiryBadge(ca.daysLeft, ca.level)}</dd>
</dl>
${options.actions?.(ca, index) ?? ''}</article>`,
  );
  return `<div class="cas">\n${cards.join('\n')}\n</div>`;
}
