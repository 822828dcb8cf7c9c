/**
 * Reads one command's flags and arguments as tcld's Go parser (urfave/cli over Go's flag package) does:
 * `-org x`, `--org x`, `--org=x`, `--auto_confirm=false`, a value after `=` that starts with `-`; and, as
 * ours always did, flags before or after the command words. Environment variables, defaults, required
 * flags and allowed values are applied here, one explicit message per rule.
 */
import { UsageError } from '../errors.js';
import { flagName, isFlagWord } from './resolve.js';
import type { ArgSpec, CommandSpec, KeyedFlag, ParsedOptions } from './spec.js';
import { didYouMean } from './suggest.js';
import { GLOBAL_FLAGS } from './table/global.js';

type Env = Readonly<Record<string, string | undefined>>;

/** The global flags a command does not redefine (dev-server's --api-key is its own), after its own flags. */
export function flagsOf(command: Pick<CommandSpec, 'flags'>): KeyedFlag[] {
  const own = new Set(command.flags.flatMap((flag) => [flag.key, ...flag.names]));
  const globals = Object.entries(GLOBAL_FLAGS)
    .map(([key, flag]): KeyedFlag => ({ ...flag, key }))
    .filter((flag) => !own.has(flag.key) && !flag.names.some((name) => own.has(name)));
  return [...command.flags, ...globals];
}

export function parseOptions(
  command: Pick<CommandSpec, 'flags' | 'args'>,
  argv: readonly string[],
  env: Env,
  skip: ReadonlySet<number> = new Set(),
): ParsedOptions {
  const flags = flagsOf(command);
  const byName = new Map(flags.flatMap((flag) => flag.names.map((name) => [name.replace(/^--?/, ''), flag] as const)));
  const given: ParsedOptions = {};
  const words: string[] = [];
  let onlyWords = false;
  for (let i = 0; i < argv.length; i++) {
    const word = argv[i]!;
    if (skip.has(i)) continue;
    if (onlyWords || !isFlagWord(word)) {
      words.push(word);
      continue;
    }
    if (word === '--') {
      onlyWords = true;
      continue;
    }
    const name = flagName(word);
    const spelled = word.split('=')[0]!;
    if (name === 'help' || name === 'h') continue;
    if (/^---/.test(word) || name === '') throw new UsageError(`bad flag syntax: ${word}`);
    const flag = byName.get(name);
    if (!flag) throw new UsageError(`flag provided but not defined: ${spelled}${didYouMean(name, [...byName.keys()], spell)}`);
    const inline = word.includes('=') ? word.slice(word.indexOf('=') + 1) : undefined;
    if (flag.kind === 'boolean') {
      // tcld's docs write `--rsa-algorithm true`: Go stops parsing at `true` and tcld ignores the rest.
      // Where a command takes no arguments, that word can only be the flag's value, so it is read as one.
      const next = argv[i + 1];
      const separate = inline === undefined && command.args.length === 0 && next !== undefined && !skip.has(i + 1) && BOOLEAN_WORDS.has(next);
      given[flag.key] = separate ? parseBoolean(next, `flag ${spelled}`) : inline === undefined ? true : parseBoolean(inline, `flag ${spelled}`);
      if (separate) i++;
      continue;
    }
    let value = inline;
    if (value === undefined) {
      const next = argv[i + 1];
      if (next === undefined || skip.has(i + 1)) throw new UsageError(`flag needs an argument: ${spelled}`);
      // Go would take the next flag as the value; that is almost always a forgotten value, so say so.
      if (isFlagWord(next) && byName.has(flagName(next))) {
        throw new UsageError(`flag needs an argument: ${spelled} (for a value that starts with -, write ${spelled}=${next})`);
      }
      value = next;
      i++;
    }
    given[flag.key] = flag.kind === 'strings' ? [...((given[flag.key] as string[] | undefined) ?? []), value] : value;
  }
  return { ...applyFlagRules(flags, given, env), ...assignArguments(command.args, words) };
}

/** --name for long names, -n for one letter, as tcld's help spells them. */
function spell(name: string): string {
  return name.length === 1 ? `-${name}` : `--${name}`;
}

/** Environment variables, defaults, required flags and allowed values. */
function applyFlagRules(flags: readonly KeyedFlag[], given: ParsedOptions, env: Env): ParsedOptions {
  const options: ParsedOptions = {};
  for (const flag of flags) {
    let value = given[flag.key];
    const fromEnv = flag.env !== undefined ? env[flag.env] : undefined;
    if (value === undefined && fromEnv !== undefined && fromEnv !== '') {
      value = flag.kind === 'boolean' ? parseBoolean(fromEnv, flag.env!) : flag.kind === 'strings' ? [fromEnv] : fromEnv;
    }
    if (value === undefined && flag.kind === 'string' && flag.default !== undefined) value = flag.default;
    if (flag.required && (value === undefined || value === '')) {
      throw new UsageError(`required flag ${flag.names[0]} not set${flag.env ? ` (or set ${flag.env})` : ''}`);
    }
    if (flag.kind === 'string' && flag.choices && typeof value === 'string' && !flag.choices.includes(value)) {
      throw new UsageError(`${flag.names[0]} must be ${listOf(flag.choices)}, not ${JSON.stringify(value)}`);
    }
    options[flag.key] = value;
  }
  return options;
}

function assignArguments(args: readonly ArgSpec[], words: string[]): ParsedOptions {
  const options: ParsedOptions = {};
  const left = [...words];
  for (const arg of args) {
    const value = arg.rest ? left.splice(0) : left.shift();
    const missing = value === undefined || (Array.isArray(value) && value.length === 0);
    if (arg.required && missing) throw new UsageError(`missing argument ${arg.name}`);
    options[arg.key] = value;
  }
  if (left.length > 0) throw new UsageError(`unexpected argument: ${left[0]}`);
  return options;
}

function listOf(choices: readonly string[]): string {
  return choices.length === 1 ? choices[0]! : `${choices.slice(0, -1).join(', ')} or ${choices.at(-1)}`;
}

const TRUE_WORDS = ['1', 't', 'T', 'true', 'TRUE', 'True'];
const FALSE_WORDS = ['0', 'f', 'F', 'false', 'FALSE', 'False'];
const BOOLEAN_WORDS = new Set(['true', 'TRUE', 'True', 'false', 'FALSE', 'False']);

/** Go's strconv.ParseBool, which tcld's boolean flags and environment variables go through. */
export function parseBoolean(text: string, name: string): boolean {
  if (TRUE_WORDS.includes(text)) return true;
  if (FALSE_WORDS.includes(text)) return false;
  throw new UsageError(`${name}=${text} is not a boolean (use true or false)`);
}
