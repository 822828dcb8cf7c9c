import type { WrittenFiles } from '../commands/deps.js';
import type { CommandSpec } from './spec.js';

/** Turns a handler's result into stdout text; the handlers themselves never print. */
export function renderResult(kind: CommandSpec['render'], result: unknown, _options: Record<string, unknown> = {}): string {
  switch (kind) {
    case 'written-files':
      return renderWritten(result as WrittenFiles);
    case 'json':
      return JSON.stringify(result, null, 2);
    case 'none':
      return '';
    default:
      return String(result);
  }
}

function renderWritten(result: WrittenFiles): string {
  if (!result.written) return 'nothing was written';
  return [
    ...result.files.map((f) => `${f.what} generated at: ${f.path}`),
    `${result.subject} valid until ${result.notAfter.toISOString()} (DNS name ${result.dnsName})`,
  ].join('\n');
}
