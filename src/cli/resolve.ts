import { isGroup, type CommandSpec, type FlagSpec, type GroupSpec } from './spec.js';

export interface Resolved {
  /** The deepest node the argv names: the table itself, a group or a command. */
  node: GroupSpec | CommandSpec;
  /** The canonical names leading to it: ['generate-certificates', 'certificate-authority-certificate']. */
  path: string[];
  /** The same path as the user spelled it: ['gen', 'ca']. */
  typed: string[];
  /** The first word that names nothing, when there is one. */
  unknown?: string;
  help: boolean;
}

/**
 * Finds which command the argv names, skipping flags (and the values of string flags) wherever they stand,
 * so that `tcld --auto_confirm gen ca --help` resolves like `tcld gen ca --help`.
 */
export function resolveCommand(table: GroupSpec, argv: readonly string[], flags: readonly FlagSpec[]): Resolved {
  const takesValue = new Set(flags.filter((f) => f.kind === 'string').flatMap((f) => f.names));
  let node: GroupSpec | CommandSpec = table;
  const path: string[] = [];
  const typed: string[] = [];
  let unknown: string | undefined;
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === '--') break;
    if (word === '--help' || word === '-h') help = true;
    if (word.startsWith('-')) {
      if (takesValue.has(word)) i++;
      continue;
    }
    if (!isGroup(node) || unknown !== undefined) continue;
    const next: GroupSpec | CommandSpec | undefined = node.commands.find((c) => c.names.includes(word));
    if (next) {
      node = next;
      path.push(next.names[0]!);
      typed.push(word);
    } else {
      unknown = word;
    }
  }
  return { node, path, typed, help, ...(unknown !== undefined ? { unknown } : {}) };
}

/** Every command in the table with every spelling of its path (names × aliases at each level). */
export function allCommands(table: GroupSpec): Array<{ spec: CommandSpec; paths: string[][]; path: string[] }> {
  const out: Array<{ spec: CommandSpec; paths: string[][]; path: string[] }> = [];
  const walk = (group: GroupSpec, prefixes: string[][], path: string[]) => {
    for (const child of group.commands) {
      const paths = prefixes.flatMap((p) => child.names.map((n) => [...p, n]));
      const childPath = [...path, child.names[0]!];
      if (isGroup(child)) walk(child, paths, childPath);
      else out.push({ spec: child, paths, path: childPath });
    }
  };
  walk(table, [[]], []);
  return out;
}
