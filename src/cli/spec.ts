/** The shape of the command table: plain data, so that help, parsing and tests all read the same source. */

export interface FlagSpec {
  /** Property name in the handler's options object. */
  key: string;
  /** Every name the flag answers to, tcld's primary name first: ['--organization', '--org']. */
  names: string[];
  /** 'strings' may be given several times (`--api-key a --api-key b`). */
  kind: 'string' | 'boolean' | 'strings';
  description: string;
  required?: boolean;
  /** Environment variable read when the flag is not given. */
  env?: string;
  /** Value when neither the flag nor its environment variable is given. */
  default?: string;
  /** Hidden from help (kept for compatibility). */
  hidden?: boolean;
}

/** What a command module exports; handlers are loaded only when their command runs. */
export interface CommandModule {
  run(options: never, deps: never): Promise<unknown>;
}

/** A positional argument: `tcld cert inspect <file>`. */
export interface ArgSpec {
  /** Property name in the handler's options object. */
  key: string;
  /** Shown in help: `<file>`. */
  name: string;
  description: string;
  /** Takes every remaining word (a string[]). */
  rest?: boolean;
  required?: boolean;
}

export interface CommandSpec {
  /** Name first, then aliases: ['certificate-authority-certificate', 'ca']. */
  names: string[];
  description: string;
  flags: FlagSpec[];
  /** Positional arguments, after the flags' definitions: most commands have none. */
  args?: ArgSpec[];
  /** One to three real invocations, shown in help. */
  examples: string[];
  load: () => Promise<CommandModule>;
  /** Which renderer turns the handler's result into output (see render.ts). */
  render: RenderKind;
  /** Runs until SIGINT/SIGTERM (a server): the CLI turns those signals into deps.signal. */
  longRunning?: boolean;
}

export type RenderKind = 'written-files' | 'text' | 'json' | 'output' | 'mutation' | 'verdict' | 'none';

export interface GroupSpec {
  names: string[];
  description: string;
  commands: Array<CommandSpec | GroupSpec>;
}

export function isGroup(node: CommandSpec | GroupSpec): node is GroupSpec {
  return 'commands' in node;
}
