/** A test's reader of a text/event-stream body, as fetch gives it: one message at a time, comments included. */

export interface SseMessage {
  id?: string;
  event?: string;
  data?: string;
  /** The text of a comment line (`: keep-alive`), for a message that is one. */
  comment?: string;
}

export interface EventStreamReader {
  /** The next message, or undefined once the server ended the stream. */
  next(): Promise<SseMessage | undefined>;
  /** The next message `accept` takes, skipping others; fails if the stream ends first. */
  until(accept: (message: SseMessage) => boolean): Promise<SseMessage>;
  /** The next messages with data, `count` of them, skipping comments; fails if the stream ends first. */
  take(count: number): Promise<SseMessage[]>;
  /** Stops reading (the client hangs up). */
  cancel(): Promise<void>;
}

export function readEventStream(response: Response): EventStreamReader {
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const queue: SseMessage[] = [];
  let buffer = '';

  function parse(block: string): SseMessage {
    const message: SseMessage = {};
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) message.comment = line.slice(1).trim();
      const at = line.indexOf(': ');
      if (at <= 0) continue;
      const field = line.slice(0, at);
      if (field === 'id' || field === 'event' || field === 'data') message[field] = line.slice(at + 2);
    }
    return message;
  }

  async function next(): Promise<SseMessage | undefined> {
    for (;;) {
      if (queue.length > 0) return queue.shift();
      const { done, value } = await reader.read();
      if (done) return undefined;
      buffer += decoder.decode(value, { stream: true });
      for (let at = buffer.indexOf('\n\n'); at >= 0; at = buffer.indexOf('\n\n')) {
        queue.push(parse(buffer.slice(0, at)));
        buffer = buffer.slice(at + 2);
      }
    }
  }

  async function until(accept: (message: SseMessage) => boolean): Promise<SseMessage> {
    for (;;) {
      const message = await next();
      if (message === undefined) throw new Error('the event stream ended');
      if (accept(message)) return message;
    }
  }

  return {
    next,
    until,
    async take(count) {
      const messages: SseMessage[] = [];
      while (messages.length < count) messages.push(await until((message) => message.data !== undefined));
      return messages;
    },
    cancel: () => reader.cancel().catch(() => {}),
  };
}

/** Waits until `condition` holds, checking every 5 ms (no deadline of its own: the test's timeout is one). */
export async function eventually(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 5));
}
