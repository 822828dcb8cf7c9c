/** Renderers: each turns one kind of handler result into output. The command table names one per command. */
import type { MutationOutcome } from '../commands/cloud-flags.js';
import type { WrittenFiles } from '../commands/deps.js';
import type { LoginResult } from '../commands/login.js';
import type { LogoutResult } from '../commands/logout.js';
import type { Printable } from '../commands/output-format.js';
import type { Verdict } from '../commands/verdict.js';
import type { Rendered } from './spec.js';

const out = (stdout: string): Rendered => ({ stdout, stderr: [] });

export const renderText = (result: string): Rendered => out(result);

export const renderNothing = (): Rendered => out('');

/**
 * A mutation prints what tcld prints, `{"requestStatus": {...}}` (tab-indented, as tcld's jsonpb), and
 * nothing on stdout when nothing was sent, as tcld; what happened, for people, goes to a terminal's stderr.
 */
export function renderMutation(outcome: MutationOutcome): Rendered {
  switch (outcome.code) {
    case 'requested':
      return { stdout: JSON.stringify(outcome.response, null, '\t'), stderr: [], notes: [outcome.summary] };
    case 'unchanged':
      return { stdout: '', stderr: [`nothing to change: ${outcome.reason}`] };
    case 'declined':
      return { stdout: '', stderr: ['operation canceled'] };
  }
}

/** A reading command's JSON document or table; its notes (warnings, the next page's token) go to stderr. */
export function renderPrintable(printable: Printable): Rendered {
  const stderr = printable.notes ?? [];
  if (printable.format === 'json') return { stdout: JSON.stringify(printable.value, null, printable.indent), stderr };
  return { stdout: table(printable.header, printable.rows), stderr };
}

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

/** tcld's words on stderr (stdout stays empty for scripts); where the tokens went, for a person watching. */
export function renderLogin(result: LoginResult): Rendered {
  return { stdout: '', stderr: ['Successfully logged in!'], notes: [`the login to ${result.domain} is stored in ${result.path}`] };
}

export function renderLogout(result: LogoutResult): Rendered {
  const stderr = [result.code === 'logged-out' ? `logged out: removed ${result.path}` : `not logged in (there was no ${result.path})`];
  if (result.revocation.code === 'failed') {
    stderr.push(`note: the refresh token was not revoked at the login server (${result.revocation.note}); it stays valid until it expires`);
  }
  return { stdout: '', stderr };
}

/** Columns separated by two spaces, the last one unpadded. */
export function table(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => (i === cells.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ');
  return [line(header), ...rows.map(line)].join('\n');
}
