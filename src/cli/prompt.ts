import type { Interface } from 'node:readline';
import { UserError } from '../errors.js';

export interface PromptStreams {
  /** Read only when a question is asked. */
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
}

/**
 * A yes/no prompt like tcld's (`question [y/n]`), asked on stderr so that stdout stays for results.
 * It asks again on any other answer. End of input is an error, not a "no": a script that meant to
 * confirm must not go on green having done nothing. With autoConfirm it never asks.
 */
export interface Confirm {
  ask(question: string): Promise<boolean>;
  /**
   * Asks for a secret (a passphrase): hidden on a terminal, a plain line from a pipe. Resolves undefined
   * at the end of input (or Ctrl-C/Ctrl-D on a terminal). autoConfirm never answers it.
   */
  secret(question: string): Promise<string | undefined>;
  /** Releases the input so that the process can exit. */
  close(): void;
}

export function createConfirm(streams: PromptStreams, autoConfirm: boolean): Confirm {
  // Off a terminal (a CI log) the question gets a line of its own.
  const end = (streams.output as { isTTY?: boolean }).isTTY === true ? ' ' : '\n';
  let lines: LineQueue | undefined;
  const close = () => lines?.close();
  // readline loads only when a question is really asked: --auto_confirm runs never pay for it.
  const nextLine = async () => (lines ??= new LineQueue(streams.input, (await import('node:readline')).createInterface)).next();
  const ask = async (question: string) => {
    if (autoConfirm) return true;
    for (;;) {
      streams.output.write(`${question} [y/n]${end}`);
      const answer = await nextLine();
      if (answer === undefined) {
        if (end === ' ') streams.output.write('\n');
        throw new UserError('no answer to the question above (the input ended): pass --auto_confirm to confirm without being asked');
      }
      const word = answer.trim().toLowerCase();
      if (word === 'y' || word === 'yes') return true;
      if (word === 'n' || word === 'no') return false;
      streams.output.write('invalid keypress, it does not match a boolean\n');
    }
  };
  const secret = async (question: string) => {
    const input = streams.input as Partial<NodeJS.ReadStream>;
    // A terminal is read raw, without echo, unless a line reader already holds it.
    if (input.isTTY && typeof input.setRawMode === 'function' && lines === undefined) return readHidden(input as NodeJS.ReadStream, streams.output, question);
    streams.output.write(`${question} `);
    const answer = await nextLine();
    streams.output.write('\n'); // the piped answer is not echoed: end the question's line
    return answer;
  };
  return { ask, secret, close };
}

/** Reads one line from a terminal in raw mode, echoing nothing; backspace edits, Ctrl-C and Ctrl-D give up. */
function readHidden(input: NodeJS.ReadStream, output: NodeJS.WritableStream, question: string): Promise<string | undefined> {
  output.write(`${question} `);
  return new Promise((resolve) => {
    let typed = '';
    const finish = (value: string | undefined) => {
      input.off('data', onData);
      input.setRawMode(false);
      input.pause();
      output.write('\n');
      resolve(value);
    };
    const onData = (chunk: Buffer | string) => {
      for (const char of chunk.toString()) {
        if (char === '\r' || char === '\n') return finish(typed);
        if (char === '\u0003' || char === '\u0004') return finish(undefined);
        if (char === '\u007f' || char === '\b') typed = [...typed].slice(0, -1).join('');
        else if (char >= ' ') typed += char;
      }
    };
    input.setRawMode(true);
    input.on('data', onData);
    input.resume();
  });
}

/** Lines of an input stream, one per call; undefined once the input has ended. */
class LineQueue {
  private readonly buffered: string[] = [];
  private readonly waiting: Array<(line: string | undefined) => void> = [];
  private ended = false;
  private readonly reader: Interface;

  constructor(input: NodeJS.ReadableStream, createInterface: typeof import('node:readline').createInterface) {
    const reader = (this.reader = createInterface({ input, terminal: false }));
    reader.on('line', (line) => {
      const waiter = this.waiting.shift();
      if (waiter) waiter(line);
      else this.buffered.push(line);
    });
    reader.on('close', () => {
      this.ended = true;
      for (const waiter of this.waiting.splice(0)) waiter(undefined);
    });
  }

  close(): void {
    this.reader.close();
  }

  next(): Promise<string | undefined> {
    if (this.buffered.length > 0) return Promise.resolve(this.buffered.shift());
    if (this.ended) return Promise.resolve(undefined);
    return new Promise((resolve) => this.waiting.push(resolve));
  }
}
