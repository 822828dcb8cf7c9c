import { getEventListeners } from 'node:events';
import { UsageError, errorKind } from '../errors.js';
import { VERSION } from '../version.js';
import { renderHelp } from './help.js';
import { createConfirm } from './prompt.js';
import { renderResult } from './render.js';
import { allCommands, resolveCommand } from './resolve.js';
import { isGroup, type CommandSpec, type FlagSpec } from './spec.js';
import { COMMAND_TABLE, GLOBAL_FLAGS } from './table.js';

export interface Io {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  env: Readonly<Record<string, string | undefined>>;
  /**
   * Calls the handler on SIGINT/SIGTERM until the returned function is called. When the handler
   * returns false the signal does what it does without a handler: it ends the process.
   */
  onStopSignal?(handler: (signal: NodeJS.Signals) => boolean): () => void;
}

/** Runs one tcld invocation and returns its exit code: 0 done, 1 user error, 2 usage error, 70 bug, 130/143 interrupted. */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const commands = allCommands(COMMAND_TABLE);
  const resolved = resolveCommand(COMMAND_TABLE, argv, [...GLOBAL_FLAGS, ...commands.flatMap((c) => c.spec.flags)]);
  const where = ['tcld', ...resolved.path].join(' ');
  const stop = new AbortController();
  try {
    if (resolved.unknown !== undefined) throw new UsageError(`unknown command "${resolved.unknown}" for "${where}"`);
    if (resolved.path.length === 0 && argv.includes('--version')) return print(io.stdout, `tcld version ${VERSION}`);
    if (resolved.help || isGroup(resolved.node)) return print(io.stdout, renderHelp(resolved.node, resolved.path));
    const node = resolved.node;
    // Only the spelling the user typed: a smaller parser to build. Clipanion loads only when a command runs.
    const { parseOptions } = await import('./parse.js');
    const options = parseOptions([resolved.typed], flagsOf(node), argv, io.env, node.args);
    const streams = { get input() { return io.stdin; }, output: io.stderr }; // stdin opens only if a question is asked
    const confirm = createConfirm(streams, options['autoConfirm'] === true);
    const interactive = (io.stderr as { isTTY?: boolean }).isTTY === true;
    // A stop signal goes to a server, or to a command listening to deps.signal (a --wait); otherwise it ends tcld as usual.
    const release =
      io.onStopSignal?.((signal) => {
        if (!node.longRunning && getEventListeners(stop.signal, 'abort').length === 0) return false;
        stop.abort(signal);
        return true;
      }) ?? (() => {});
    try {
      const [handler, { nodeDeps }] = await Promise.all([node.load(), import('./node-deps.js')]);
      const deps = nodeDeps({
        confirm: confirm.ask,
        promptSecret: confirm.secret,
        env: io.env,
        out: (line) => io.stdout.write(`${line}\n`),
        err: (line) => io.stderr.write(`${line}\n`),
        interactive,
        status: (text) => {
          if (interactive) io.stderr.write(`\r\u001b[K${text ?? ''}`);
        },
        signal: stop.signal,
      });
      const rendered = renderResult(node.render, await handler.run(options as never, deps as never));
      for (const line of rendered.stderr) io.stderr.write(`${line}\n`);
      print(io.stdout, rendered.stdout);
      return rendered.exitCode ?? 0;
    } finally {
      release();
      confirm.close();
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const kind = errorKind(error);
    if (kind === 'usage') return fail(io.stderr, 2, `${message} (see '${where} --help')`);
    if (kind === 'user') return fail(io.stderr, 1, message);
    if (kind === 'interrupted') {
      io.stderr.write(`${message}\n`); // the user asked for this: not an error
      return stop.signal.reason === 'SIGTERM' ? 143 : 130;
    }
    if (io.env['TCLD_DEBUG'] && error instanceof Error) io.stderr.write(`${error.stack}\n`);
    return fail(io.stderr, 70, `internal error, a bug in tcld ${VERSION} on Node.js ${process.version}: ${message.split('\n')[0]}`);
  }
}

/** A command's flags and the global ones it does not declare itself (dev-server's --api-key is its own). */
export function flagsOf(node: CommandSpec): FlagSpec[] {
  return [...node.flags, ...GLOBAL_FLAGS.filter((global) => !node.flags.some((flag) => flag.key === global.key))];
}

function print(out: NodeJS.WritableStream, text: string): number {
  if (text !== '') out.write(text.endsWith('\n') ? text : `${text}\n`);
  return 0;
}

function fail(err: NodeJS.WritableStream, code: number, message: string): number {
  err.write(`error: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
  return code;
}

/** The executable's entry: the one place that sets the process's exit code. */
export function start(): void {
  const io: Io = {
    get stdin() {
      return process.stdin;
    },
    stdout: process.stdout,
    stderr: process.stderr,
    env: process.env,
    onStopSignal(handler) {
      const release = () => process.off('SIGINT', listener).off('SIGTERM', listener);
      const listener = (signal: NodeJS.Signals) => {
        if (handler(signal)) return;
        release();
        process.kill(process.pid, signal); // with no listener left, the default action: the process ends
      };
      process.on('SIGINT', listener).on('SIGTERM', listener);
      return release;
    },
  };
  main(process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
  );
}
