import { GLOBAL_FLAGS } from './table/global.js';
import { isGroup, type CommandSpec, type GroupSpec } from './spec.js';

export interface Resolved {
  /** The deepest node the argv names: the table itself, a group or a command. */
  node: GroupSpec | CommandSpec;
  /** The canonical names leading to it: ['generate-certificates', 'certificate-authority-certificate']. */
  path: string[];
  /** Which argv words named the path (the parser skips them). */
  pathWords: Set<number>;
  /** The first word that names nothing, when there is one. */
  unknown?: string;
  help: boolean;
  /** `tcld --version`. */
  version: boolean;
}

/** A word that Go's flag package would read as a flag: `-org`, `--org`, `--org=x` (but not `-` or `--`). */
export function isFlagWord(word: string): boolean {
  return word.length > 1 && word.startsWith('-') && word !== '--';
}

/** A flag word's name without its dashes and value: `--org=x` → `org`. Go reads `-org` and `--org` alike. */
export function flagName(word: string): string {
  const equals = word.indexOf('=');
  return (equals === -1 ? word : word.slice(0, equals)).replace(/^--?/, '');
}

/**
 * Finds which command the argv names, skipping flags (and the values of flags that take one) wherever
 * they stand, so that `tcld --auto_confirm gen ca --help` resolves like `tcld gen ca --help`.
 */
export function resolveCommand(table: GroupSpec, argv: readonly string[]): Resolved {
  let node: GroupSpec | CommandSpec = table;
  const path: string[] = [];
  const pathWords = new Set<number>();
  let unknown: string | undefined;
  let help = false;
  let version = false;
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (word === '--') break;
    if (isFlagWord(word)) {
      const name = flagName(word);
      if (name === 'help' || name === 'h') help = true;
      else if (name === 'version' && path.length === 0) version = true;
      else if (!word.includes('=') && takesValue(node, name)) i++;
      continue;
    }
    if (!isGroup(node) || unknown !== undefined) continue;
    const next: GroupSpec | CommandSpec | undefined = node.commands.find((c) => c.names.includes(word));
    if (next) {
      node = next;
      path.push(next.names[0]!);
      pathWords.add(i);
    } else if (!node.defaultCommand) {
      unknown = word;
    }
  }
  if (isGroup(node) && node.defaultCommand && unknown === undefined) {
    node = node.defaultCommand;
    path.push(node.names[0]!);
  }
  return { node, path, pathWords, help, version, ...(unknown !== undefined ? { unknown } : {}) };
}

/** Whether a flag of this name takes a value in any command under the node (or globally). */
function takesValue(node: GroupSpec | CommandSpec, name: string): boolean {
  return valueFlagNames(node).has(name);
}

const valueFlagNamesOf = new WeakMap<GroupSpec | CommandSpec, ReadonlySet<string>>();

/**
 * The names (without dashes) of the flags that take a value, among the global flags and those of every
 * command under `node`: made once per node, as the global flags that come before the command (`tcld
 * --server … --api-key … n ca a`) each ask at the root, where every command's flags count.
 */
function valueFlagNames(node: GroupSpec | CommandSpec): ReadonlySet<string> {
  let names = valueFlagNamesOf.get(node);
  if (!names) {
    const flags = [...Object.values(GLOBAL_FLAGS), ...allCommands(node).flatMap((c) => c.spec.flags)];
    names = new Set(flags.filter((flag) => flag.kind !== 'boolean').flatMap((flag) => flag.names.map((n) => n.replace(/^--?/, ''))));
    valueFlagNamesOf.set(node, names);
  }
  return names;
}

/** Every command under a node with its canonical path. */
export function allCommands(root: GroupSpec | CommandSpec): Array<{ spec: CommandSpec; path: string[] }> {
  if (!isGroup(root)) return [{ spec: root, path: [] }];
  return root.commands.flatMap((child) => allCommands(child).map(({ spec, path }) => ({ spec, path: [child.names[0]!, ...path] })));
}
