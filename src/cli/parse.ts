import { Cli, Command, Option } from 'clipanion';
import { UsageError } from '../errors.js';
import type { ArgSpec, FlagSpec } from './spec.js';

export type ParsedOptions = Record<string, string | boolean | string[] | undefined>;

/**
 * Parses argv for one command with clipanion, which natively gives a flag several long names
 * (`--organization`/`--org`) and accepts flags before and after the command words.
 * Required flags and environment defaults are applied here, one explicit message per rule.
 */
export function parseOptions(
  paths: string[][],
  flags: readonly FlagSpec[],
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  args: readonly ArgSpec[] = [],
): ParsedOptions {
  class Parsed extends Command {
    static override paths = paths;
    constructor() {
      super();
      const self = this as unknown as Record<string, unknown>;
      for (const flag of flags) {
        const names = flag.names.join(',');
        self[flag.key] =
          flag.kind === 'boolean' ? Option.Boolean(names) : flag.kind === 'strings' ? Option.Array(names) : Option.String(names);
      }
      // Positional arguments are all optional to clipanion: the required ones are checked below, by name.
      for (const arg of args) self[arg.key] = arg.rest ? Option.Rest() : Option.String({ required: false });
    }
    override async execute() {}
  }
  const cli = new Cli({ binaryName: 'tcld' });
  cli.register(Parsed);
  let command: Command;
  try {
    command = cli.process([...argv]);
  } catch (error) {
    throw new UsageError(describeSyntaxError(error));
  }
  const values = command as unknown as ParsedOptions;
  const options: ParsedOptions = {};
  for (const flag of flags) {
    let value = values[flag.key];
    if (value === undefined && flag.env !== undefined && env[flag.env] !== undefined && env[flag.env] !== '') {
      value = flag.kind === 'boolean' ? parseBoolean(env[flag.env]!, flag.env) : flag.kind === 'strings' ? [env[flag.env]!] : env[flag.env];
    }
    if (value === undefined && flag.default !== undefined) value = flag.kind === 'strings' ? [flag.default] : flag.default;
    if (flag.required && (value === undefined || value === '')) {
      throw new UsageError(`required flag ${flag.names[0]} not set`);
    }
    options[flag.key] = value;
  }
  for (const arg of args) {
    const value = values[arg.key];
    const missing = value === undefined || (Array.isArray(value) && value.length === 0);
    if (arg.required && missing) throw new UsageError(`missing argument ${arg.name}`);
    options[arg.key] = value;
  }
  return options;
}

/** Go's strconv.ParseBool, which tcld's environment variables go through. */
export function parseBoolean(text: string, name: string): boolean {
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(text)) return false;
  throw new UsageError(`${name}=${text} is not a boolean (use true or false)`);
}

/** Clipanion's messages carry colours and a usage block; keep the one line that says what is wrong. */
function describeSyntaxError(error: unknown): string {
  const raw = error instanceof Error ? error.message : String(error);
  // eslint-disable-next-line no-control-regex
  const line = (raw.replace(/\u001b\[[0-9;]*m/g, '').split('\n')[0] ?? '').replace(/^Unknown Syntax Error: /, '');
  const unsupported = /Unsupported option name \("(.+)"\)/.exec(line);
  if (unsupported) return `flag provided but not defined: ${unsupported[1]}`;
  const missing = /Not enough arguments to option (.+)\./.exec(line);
  if (missing) return `flag needs an argument: ${missing[1]}`;
  const extra = /Extraneous positional argument \("(.+)"\)/.exec(line);
  if (extra) return `unexpected argument: ${extra[1]}`;
  return line || 'invalid command line';
}
