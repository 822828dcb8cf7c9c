/**
 * Replies that stay open, such as Server-Sent Events: the router's one kind of reply without a body
 * known in advance. They are bounded in number, kept alive by a heartbeat (a silent connection is
 * dropped by proxies and browsers, and a dead client is found out by the write that fails), cut when
 * their client stops reading, and ended all at once when the server closes, so that closing does not
 * wait for them. They are free of the server's request time limit, which counts until the request is
 * read, not while the reply is written.
 */
import type { ServerResponse } from 'node:http';
import type { HttpReply } from './router.js';

/** The open side of a streamed reply, for the route that feeds it. */
export interface ReplyStream {
  /** Sends text; nothing once closed. A client that lets more than the bound pile up unread is cut. */
  write(text: string): void;
  /** Ends the reply (and its connection). */
  end(): void;
  /** Called once when the stream ends, whichever side ended it; at once if it has. */
  onClose(listener: () => void): void;
  readonly closed: boolean;
}

export interface HttpStreamReply {
  status: number;
  headers?: Record<string, string>;
  note?: string;
  /** Written every `heartbeatMs` while the stream is open, such as an SSE comment. */
  heartbeat: string;
  /**
   * Starts the stream once it is admitted (never for HEAD). What it writes at once goes out with the
   * headers. It may return a reply to send instead (a 503 when a bound of its own is reached), if it
   * wrote nothing.
   */
  open(stream: ReplyStream): HttpReply | void;
}

export function isStreamReply(reply: HttpReply | HttpStreamReply): reply is HttpStreamReply {
  return typeof (reply as HttpStreamReply).open === 'function';
}

/** A few browser tabs with a live view each (a browser keeps at most 6 connections per host open). */
export const DEFAULT_MAX_STREAMS = 32;
/** Below the 30 to 60 s after which proxies and load balancers commonly drop an idle connection. */
export const DEFAULT_HEARTBEAT_MS = 15_000;
/** Unread text a stream may hold before its client is cut: thousands of events. */
export const DEFAULT_MAX_BUFFERED_BYTES = 1024 * 1024;

export interface OpenStreamsOptions {
  /** Streams open at once; past it, a stream reply is answered 503. Default 32. */
  max?: number;
  /** Default 15 s. */
  heartbeatMs?: number;
  /** Default 1 MiB. */
  maxBufferedBytes?: number;
}

export type StreamStart = { code: 'open' } | { code: 'full' } | { code: 'replaced'; reply: HttpReply };

export interface OpenStreams {
  readonly size: number;
  /** Sends the reply's status and `headers`, then streams it; for HEAD, the headers only. */
  start(response: ServerResponse, reply: HttpStreamReply, headers: Record<string, string>, head: boolean): StreamStart;
  /** Ends every open stream, now. */
  closeAll(): void;
}

export function createOpenStreams(options: OpenStreamsOptions = {}): OpenStreams {
  const max = options.max ?? DEFAULT_MAX_STREAMS;
  const heartbeatMs = options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  const maxBuffered = options.maxBufferedBytes ?? DEFAULT_MAX_BUFFERED_BYTES;
  const open = new Set<ReplyStream>();

  return {
    get size() {
      return open.size;
    },
    start(response, reply, headers, head) {
      // The connection closes with the stream: closing the server then waits for nothing.
      const allHeaders = { ...headers, connection: 'close', ...reply.headers };
      if (head) {
        response.writeHead(reply.status, allHeaders).end();
        return { code: 'open' };
      }
      if (open.size >= max) return { code: 'full' };
      const listeners: Array<() => void> = [];
      let closed = false;
      let timer: NodeJS.Timeout | undefined;
      const sendHead = () => {
        if (!response.headersSent) response.writeHead(reply.status, allHeaders);
      };
      const close = () => {
        if (closed) return;
        closed = true;
        open.delete(stream);
        clearInterval(timer);
        for (const listener of listeners.splice(0)) listener();
      };
      const stream: ReplyStream = {
        write(text) {
          if (closed) return;
          sendHead();
          response.write(text);
          if (response.writableLength > maxBuffered) {
            close();
            response.destroy();
          }
        },
        end() {
          if (closed) return;
          close();
          sendHead();
          response.end();
        },
        onClose(listener) {
          if (closed) listener();
          else listeners.push(listener);
        },
        get closed() {
          return closed;
        },
      };
      open.add(stream);
      response.once('close', close);
      let instead: HttpReply | void;
      try {
        instead = reply.open(stream);
      } catch (error) {
        // The router answers 500, or cuts the connection if the headers went out.
        close();
        throw error;
      }
      if (instead && !response.headersSent) {
        close();
        return { code: 'replaced', reply: instead };
      }
      if (closed) return { code: 'open' };
      sendHead();
      // Out now, with what open() wrote: the client learns at once that the stream is open.
      response.flushHeaders();
      timer = setInterval(() => stream.write(reply.heartbeat), heartbeatMs);
      timer.unref();
      return { code: 'open' };
    },
    closeAll() {
      for (const stream of [...open]) stream.end();
    },
  };
}
