import type { MutationOutcome } from '../commands/cloud-flags.js';
import type { WrittenFiles } from '../commands/deps.js';
import type { Printable } from '../commands/output-format.js';
import type { Verdict } from '../commands/verdict.js';
import type { CommandSpec } from './spec.js';

export interface Rendered {
  stdout: string;
  /** Warnings, one line each, for stderr. */
  stderr: string[];
  /** Non-zero when the command ran but its answer is "no" (a failed connectivity test). */
  exitCode?: number;
}

/** Turns a handler's result into output; the handlers themselves never print their results. */
export function renderResult(kind: CommandSpec['render'], result: unknown): Rendered {
  switch (kind) {
    case 'written-files':
      return { stdout: renderWritten(result as WrittenFiles), stderr: [] };
    case 'json':
      return { stdout: JSON.stringify(result, null, 2), stderr: [] };
    case 'mutation':
      return renderMutation(result as MutationOutcome);
    case 'output':
      return renderPrintable(result as Printable);
    case 'verdict':
      return renderVerdict(result as Verdict);
    case 'none':
      return { stdout: '', stderr: [] };
    default:
      return { stdout: String(result), stderr: [] };
  }
}

/** Exit 0 for yes, 1 for no; as text the lines go to stdout for yes and stderr for no; JSON goes to stdout either way. */
function renderVerdict(verdict: Verdict): Rendered {
  const exitCode = verdict.ok ? 0 : 1;
  if (verdict.json !== undefined) return { stdout: JSON.stringify(verdict.json, null, 2), stderr: [], exitCode };
  return verdict.ok ? { stdout: verdict.lines.join('\n'), stderr: [], exitCode } : { stdout: '', stderr: verdict.lines, exitCode };
}

function renderWritten(result: WrittenFiles): string {
  if (!result.written) return 'nothing was written';
  const lines = result.files.map((f) => `${f.what} generated at: ${f.path}`);
  if (result.notAfter) lines.push(`${result.subject} valid until ${result.notAfter.toISOString()} (DNS name ${result.dnsName ?? '-'})`);
  return lines.join('\n');
}

/**
 * A mutation prints what tcld prints, `{"requestStatus": {...}}` (tab-indented, as tcld's jsonpb), and
 * nothing on stdout when nothing was sent; what happened, for people, goes to stderr.
 */
function renderMutation(outcome: MutationOutcome): Rendered {
  switch (outcome.code) {
    case 'requested':
      return { stdout: JSON.stringify(outcome.response, null, '\t'), stderr: [outcome.summary] };
    case 'unchanged':
      return { stdout: '', stderr: [`nothing to change: ${outcome.reason}`] };
    case 'declined':
      return { stdout: '', stderr: ['operation canceled'] };
  }
}

function renderPrintable(printable: Printable): Rendered {
  const stderr = printable.notes ?? [];
  if (printable.format === 'json') return { stdout: JSON.stringify(printable.value, null, printable.indent), stderr };
  return { stdout: table(printable.header, printable.rows), stderr };
}

function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}
