/**
 * The shape of the command table, and `defineCommand`, which ties one command's flags, the options type
 * its handler takes, the handler and the renderer of its result together by types: a handler whose
 * options do not match its flags, or a renderer that does not take its result, does not compile.
 */
import type { Deps } from '../commands/deps.js';
import type { GlobalFlags } from './table/global.js';

interface FlagCommon {
  /** Every name the flag answers to, tcld's primary name first: ['--organization', '--org']. */
  readonly names: readonly string[];
  readonly description: string;
  readonly required?: boolean;
  /** Environment variable read when the flag is not given. */
  readonly env?: string;
  /** Hidden from help (kept for compatibility). */
  readonly hidden?: boolean;
}

export interface StringFlag extends FlagCommon {
  readonly kind: 'string';
  /** Value when neither the flag nor its environment variable is given. */
  readonly default?: string;
  /** The only values the flag takes; the parser refuses any other (declared here, checked nowhere else). */
  readonly choices?: readonly string[];
}

export interface BooleanFlag extends FlagCommon {
  readonly kind: 'boolean';
}

/** May be given several times (`--api-key a --api-key b`). */
export interface StringsFlag extends FlagCommon {
  readonly kind: 'strings';
}

export type FlagSpec = StringFlag | BooleanFlag | StringsFlag;

/** A command's flags by the property name they take in its options object. */
export type FlagMap = { readonly [key: string]: FlagSpec };

/** A flag with its property name, as the parser and help walk them. */
export type KeyedFlag = FlagSpec & { readonly key: string };

/** A positional argument: `tcld cert inspect <file>`. */
export interface ArgSpec {
  /** Property name in the handler's options object. */
  readonly key: string;
  /** Shown in help: `<file>`. */
  readonly name: string;
  readonly description: string;
  /** Takes every remaining word (a string[]). */
  readonly rest?: boolean;
  readonly required?: boolean;
}

type FlagValue<F> = F extends { kind: 'boolean' } ? boolean : F extends { kind: 'strings' } ? string[] : F extends { choices: readonly (infer C)[] } ? C : string;
type Always<F> = F extends { required: true } ? true : F extends { default: string } ? true : false;
type AlwaysKeys<M> = { [K in keyof M]: Always<M[K]> extends true ? K : never }[keyof M];

/** The options object a set of flags produces: required flags and flags with a default are always present. */
export type OptionsOf<M extends FlagMap> = { -readonly [K in AlwaysKeys<M>]: FlagValue<M[K]> } & {
  -readonly [K in Exclude<keyof M, AlwaysKeys<M>>]?: FlagValue<M[K]>;
};

type ArgValue<E> = E extends { rest: true } ? string[] : string;
export type ArgsOf<A extends readonly ArgSpec[]> = { [E in A[number] as E extends { required: true } ? E['key'] : never]: ArgValue<E> } & {
  [E in A[number] as E extends { required: true } ? never : E['key']]?: ArgValue<E>;
};

/** What a handler receives: its own flags and arguments, and the global flags it does not redefine. */
export type CommandOptions<F extends FlagMap, A extends readonly ArgSpec[]> = Omit<OptionsOf<GlobalFlags>, keyof F> & OptionsOf<F> & ArgsOf<A>;

/** What a renderer makes of a handler's result; the handlers themselves never print their results. */
export interface Rendered {
  stdout: string;
  /** Warnings, one line each, for stderr. */
  stderr: string[];
  /** Lines for a person watching, on stderr only when it is a terminal (a script's 2>&1 stays tcld's). */
  notes?: string[];
  /** Non-zero when the command ran but its answer is "no" (a refused certificate). */
  exitCode?: number;
}

export type ParsedOptions = Record<string, string | boolean | string[] | undefined>;

/** One command, its types erased: what the parser, help and main need. */
export interface CommandSpec {
  /** Name first, then aliases: ['certificate-authority-certificate', 'ca']. */
  readonly names: readonly string[];
  readonly description: string;
  readonly flags: readonly KeyedFlag[];
  /** Positional arguments: most commands have none. */
  readonly args: readonly ArgSpec[];
  /** One to three real invocations, shown in help. */
  readonly examples: readonly string[];
  /** Runs until SIGINT/SIGTERM (a server): the CLI turns those signals into deps.signal. */
  readonly longRunning: boolean;
  /** Loads the handler (only when the command runs), runs it and renders its result. */
  execute(options: ParsedOptions, deps: Deps): Promise<Rendered>;
  /** Loads the handler's module without running it (for the table's test). */
  load(): Promise<unknown>;
}

export interface GroupSpec {
  readonly names: readonly string[];
  readonly description: string;
  readonly commands: ReadonlyArray<CommandSpec | GroupSpec>;
  /** The command that runs when the group is given flags but no command word (`tcld ct --address …`). */
  readonly defaultCommand?: CommandSpec;
}

export function isGroup(node: CommandSpec | GroupSpec): node is GroupSpec {
  return 'commands' in node;
}

export interface CommandDeclaration<F extends FlagMap, A extends readonly ArgSpec[], R> {
  names: readonly string[];
  description: string;
  flags: F;
  args?: A;
  examples: readonly string[];
  /** A dynamic import of the handler's module, so that a command loads only what it needs. */
  load: () => Promise<{ run: (options: CommandOptions<F, A>, deps: Deps) => Promise<R> }>;
  render: (result: R) => Rendered;
  longRunning?: boolean;
}

/**
 * Declares a command. The parser builds the options object from the same `flags` and `args`, with the
 * global flags beside them (see table/global.ts), so the one cast from parsed values to the handler's
 * options type lives here.
 */
export function defineCommand<const F extends FlagMap, const A extends readonly ArgSpec[] = [], R = unknown>(
  declaration: CommandDeclaration<F, A, R>,
): CommandSpec {
  const { load, render } = declaration;
  return {
    names: declaration.names,
    description: declaration.description,
    flags: Object.entries(declaration.flags).map(([key, flag]) => ({ ...flag, key })),
    args: declaration.args ?? [],
    examples: declaration.examples,
    longRunning: declaration.longRunning ?? false,
    load,
    async execute(options, deps) {
      const handler = await load();
      return render(await handler.run(options as CommandOptions<F, A>, deps));
    },
  };
}
