import { flagsOf } from './parse.js';
import { isGroup, type CommandSpec, type GroupSpec, type KeyedFlag } from './spec.js';
import { GLOBAL_FLAGS } from './table/global.js';

/** Help in tcld's (urfave/cli's) layout: NAME, USAGE, COMMANDS or OPTIONS, and real examples. */
export function renderHelp(node: GroupSpec | CommandSpec, path: readonly string[]): string {
  const full = ['tcld', ...path].join(' ');
  const globals = Object.entries(GLOBAL_FLAGS).map(([key, flag]): KeyedFlag => ({ ...flag, key }));
  const lines = ['NAME:', `   ${full} - ${node.description}`, ''];
  if (isGroup(node)) {
    lines.push('USAGE:', `   ${full} [global options] command [command options]`, '');
    lines.push('COMMANDS:', ...columns(node.commands.map((c) => [c.names.join(', '), c.description])), '');
    const extra: Array<[string, string]> = [['--help, -h', 'show help']];
    if (path.length === 0) extra.push(['--version', 'print the version']);
    lines.push('GLOBAL OPTIONS:', ...columns([...flagRows(globals), ...extra]));
    lines.push('', `Run '${full} <command> --help' for a command's options.`);
    return lines.join('\n');
  }
  const args = node.args.map((a) => (a.rest ? `${a.name}...` : a.name)).join(' ');
  lines.push('USAGE:', `   ${full} [command options]${args ? ` ${args}` : ''}`, '');
  if (node.args.length) lines.push('ARGUMENTS:', ...columns(node.args.map((a) => [a.name, a.description])), '');
  if (node.names.length > 1) lines.push('ALIASES:', `   ${node.names.slice(1).join(', ')}`, '');
  const own = new Set(node.flags);
  lines.push('OPTIONS:', ...columns([...flagRows(node.flags), ['--help, -h', 'show help']]), '');
  lines.push('GLOBAL OPTIONS:', ...columns(flagRows(flagsOf(node).filter((flag) => !own.has(flag)))));
  if (node.examples.length > 0) lines.push('', 'EXAMPLES:', ...node.examples.map((e) => `   ${e}`));
  return lines.join('\n');
}

function flagRows(flags: readonly KeyedFlag[]): Array<[string, string]> {
  return flags
    .filter((flag) => !flag.hidden)
    .map((flag) => {
      const names = flag.names.map((n) => (flag.kind === 'boolean' ? n : `${n} value`)).join(', ');
      const choices = flag.kind === 'string' && flag.choices ? `${flag.choices.join(', ')}${flag.default === undefined ? '' : `; default ${flag.default}`}` : '';
      const notes = [choices, flag.required ? 'required' : '', flag.env ? `$${flag.env}` : ''].filter(Boolean).join(', ');
      return [names, notes ? `${flag.description} [${notes}]` : flag.description];
    });
}

function columns(rows: ReadonlyArray<readonly [string, string]>): string[] {
  const width = Math.max(0, ...rows.map(([left]) => left.length)) + 3;
  return rows.map(([left, right]) => `   ${left.padEnd(width)}${right}`);
}
