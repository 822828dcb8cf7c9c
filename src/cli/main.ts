import { getEventListeners } from 'node:events';
import { UsageError, errorKind } from '../errors.js';
import { VERSION } from '../version.js';
import { renderHelp } from './help.js';
import { parseOptions } from './parse.js';
import { createConfirm } from './prompt.js';
import { resolveCommand, type Resolved } from './resolve.js';
import { isGroup, type GroupSpec } from './spec.js';
import { didYouMean } from './suggest.js';
import { COMMAND_TABLE } from './table/index.js';

/** The error classes as main.cjs has them: the built layout shares one copy with every command (test/startup.test.ts). */
export * as errors from '../errors.js';

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

/**
 * Runs one tcld invocation and returns its exit code: 0 done (or "yes"), 1 "no" or the world refused
 * (a user error), 2 a usage error or unreadable or malformed input, 70 a bug, 130/143 an interrupted wait or write.
 */
export async function main(argv: readonly string[], io: Io): Promise<number> {
  const resolved = resolveCommand(COMMAND_TABLE, argv);
  const where = ['tcld', ...resolved.path].join(' ');
  const stop = new AbortController();
  try {
    if (resolved.unknown !== undefined) throw unknownCommand(resolved);
    if (resolved.path.length === 0 && resolved.version && !resolved.help) return print(io.stdout, `tcld version ${VERSION}`);
    const node = resolved.node;
    if (isGroup(node)) {
      if (!resolved.help) refuseGroupArguments(node, argv, resolved, io.env, where);
      return print(io.stdout, renderHelp(node, resolved.path));
    }
    if (resolved.help) return print(io.stdout, renderHelp(node, resolved.path));
    const options = parseOptions(node, argv, io.env, resolved.pathWords);
    const interactive = (io.stderr as { isTTY?: boolean }).isTTY === true;
    const streams = { get input() { return io.stdin; }, output: io.stderr }; // stdin opens only if a question is asked
    const confirm = createConfirm(streams, options['autoConfirm'] === true);
    // A stop signal goes to a server, or to a command listening to deps.signal (a --wait); otherwise it ends tcld as usual.
    const release =
      io.onStopSignal?.((signal) => {
        if (!node.longRunning && getEventListeners(stop.signal, 'abort').length === 0) return false;
        stop.abort(signal);
        return true;
      }) ?? (() => {});
    try {
      const { nodeDeps } = await import('./node-deps.js');
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
      const rendered = await node.execute(options, deps);
      for (const line of [...rendered.stderr, ...(interactive ? (rendered.notes ?? []) : [])]) io.stderr.write(`${line}\n`);
      print(io.stdout, rendered.stdout);
      // A signal a write held off until its files were in place (a gen command): the work is done, the exit says it was stopped.
      if (stop.signal.aborted && !node.longRunning) return stop.signal.reason === 'SIGTERM' ? 143 : 130;
      return rendered.exitCode ?? 0;
    } finally {
      release();
      confirm.close();
    }
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const kind = errorKind(error);
    if (kind === 'usage') return fail(io.stderr, 2, `${message} (see '${where} --help')`);
    if (kind === 'input') return fail(io.stderr, 2, message);
    if (kind === 'user') return fail(io.stderr, 1, message);
    if (kind === 'interrupted') {
      io.stderr.write(`${message}\n`); // the user asked for this: not an error
      return stop.signal.reason === 'SIGTERM' ? 143 : 130;
    }
    if (io.env['TCLD_DEBUG'] && error instanceof Error) io.stderr.write(`${error.stack}\n`);
    return fail(io.stderr, 70, `internal error, a bug in tcld ${VERSION} on Node.js ${process.version}: ${message.split('\n')[0]}`);
  }
}

function unknownCommand(resolved: Resolved): UsageError {
  const group = resolved.node as GroupSpec;
  const where = ['tcld', ...resolved.path].join(' ');
  const names = group.commands.flatMap((c) => c.names);
  return new UsageError(`unknown command "${resolved.unknown}" for "${where}"${didYouMean(resolved.unknown!, names)}`);
}

/**
 * `tcld gen` alone prints help; `tcld gen --org x` is a mistake (a command word is missing), not a
 * request for help, so it exits 2. Global flags alone (`tcld --auto_confirm gen`) still get help.
 */
function refuseGroupArguments(group: GroupSpec, argv: readonly string[], resolved: Resolved, env: Io['env'], where: string): void {
  const commands = group.commands.map((c) => c.names.join(' or ')).join(', ');
  const missing = new UsageError(`${where} needs a command: ${commands}`);
  let rest;
  try {
    rest = parseOptions({ flags: [], args: [{ key: 'rest', name: '', description: '', rest: true }] }, argv, env, resolved.pathWords)['rest'];
  } catch {
    throw missing;
  }
  if (Array.isArray(rest) && rest.length > 0) throw missing;
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
  // Deprecation warnings from dependencies (grpc-js setting an IP address as TLS server name) are noise to a user.
  process.noDeprecation = true;
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
  main(process.argv.slice(2), io).then((code) => {
    process.exitCode = code;
    // The command is over: once what it wrote has left stdout and stderr, the process ends. Nothing a
    // library still has pending (a gRPC channel saying goodbye, openid-client's next check of a
    // cancelled wait) holds it, and node skips tearing down the heap: a few ms of every Cloud command.
    // Should a stream never confirm, the process ends as before, when nothing is left to do.
    flushed(process.stdout)
      .then(() => flushed(process.stderr))
      .then(() => process.exit(code));
  });
}

/** Settles once everything written to `stream` so far has been handed to the system (or the stream failed). */
function flushed(stream: NodeJS.WriteStream): Promise<void> {
  return new Promise((settle) => stream.write('', () => settle()));
}
