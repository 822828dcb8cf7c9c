import type { Interface } from 'node:readline';

export interface PromptStreams {
  /** Read only when a question is asked. */
  input: NodeJS.ReadableStream;
  output: NodeJS.WritableStream;
}

/**
 * A yes/no prompt like tcld's (`question [y/n]`), asked on stderr so that stdout stays for results.
 * It asks again on any other answer, and takes end of input as "no". With autoConfirm it never asks.
 */
export interface Confirm {
  ask(question: string): Promise<boolean>;
  /** Releases the input so that the process can exit. */
  close(): void;
}

export function createConfirm(streams: PromptStreams, autoConfirm: boolean): Confirm {
  if (autoConfirm) return { ask: async () => true, close() {} };
  let lines: LineQueue | undefined;
  const close = () => lines?.close();
  const ask = async (question: string) => {
    // readline loads only when a question is really asked: --auto_confirm runs never pay for it.
    lines ??= new LineQueue(streams.input, (await import('node:readline')).createInterface);
    for (;;) {
      streams.output.write(`${question} [y/n] `);
      const answer = await lines.next();
      if (answer === undefined) {
        streams.output.write('\n');
        return false;
      }
      const word = answer.trim().toLowerCase();
      if (word === 'y' || word === 'yes') return true;
      if (word === 'n' || word === 'no') return false;
      streams.output.write('invalid keypress, it does not match a boolean\n');
    }
  };
  return { ask, close };
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
