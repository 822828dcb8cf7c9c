/** Renderers: each turns one kind of handler result into output. The command table names one per command. */
import type { WrittenFiles } from '../commands/deps.js';
import type { CaListResult } from '../commands/namespace/ca-list.js';
import type { Verdict } from '../commands/verdict.js';
import type { Rendered } from './spec.js';

const out = (stdout: string): Rendered => ({ stdout, stderr: [] });

export const renderText = (result: string): Rendered => out(result);

export const renderJson = (result: unknown): Rendered => out(JSON.stringify(result, null, 2));

export const renderNothing = (): Rendered => out('');

/** A mutation's JSON, or a line saying the user declined and nothing changed. */
export const renderMutation = (result: object): Rendered =>
  'cancelled' in result && result.cancelled === true ? out('nothing was changed') : renderJson(result);

/** Exit 0 for yes, 1 for no; as text the lines go to stdout for yes and stderr for no; JSON goes to stdout either way. */
export function renderVerdict(verdict: Verdict): Rendered {
  const exitCode = verdict.ok ? 0 : 1;
  if (verdict.json !== undefined) return { stdout: JSON.stringify(verdict.json, null, 2), stderr: [], exitCode };
  return verdict.ok ? { stdout: verdict.lines.join('\n'), stderr: [], exitCode } : { stdout: '', stderr: verdict.lines, exitCode };
}

export function renderWrittenFiles(result: WrittenFiles): Rendered {
  if (!result.written) return out('nothing was written');
  const lines = result.files.map((f) => `${f.what} generated at: ${f.path}`);
  if (result.notAfter) lines.push(`${result.subject} valid until ${result.notAfter.toISOString()} (DNS name ${result.dnsName ?? '-'})`);
  return out(lines.join('\n'));
}

export function renderCaList(result: CaListResult): Rendered {
  if (result.output === 'json') return { stdout: JSON.stringify(result.certificates, null, 2), stderr: result.warnings };
  const rows = result.certificates.map((c) => [c.fingerprint, c.subject, c.notAfter, String(c.daysUntilExpiry)]);
  return { stdout: table(['FINGERPRINT', 'SUBJECT', 'NOT AFTER', 'DAYS LEFT'], rows), stderr: result.warnings };
}

/** Columns separated by two spaces, the last one unpadded. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}
