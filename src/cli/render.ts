import type { WrittenFiles } from '../commands/deps.js';
import type { CommandSpec } from './spec.js';

/** Turns a handler's result into stdout text; the handlers themselves never print. */
export function renderResult(kind: CommandSpec['render'], result: unknown): string {
  if (kind === 'written-files') return renderWritten(result as WrittenFiles);
  return String(result);
}

function renderWritten(result: WrittenFiles): string {
  if (!result.written) return 'nothing was written';
  return [
    ...result.files.map((f) => `${f.what} generated at: ${f.path}`),
    `${result.subject} valid until ${result.notAfter.toISOString()} (DNS name ${result.dnsName})`,
  ].join('\n');
}
