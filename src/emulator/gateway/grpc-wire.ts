/**
 * gRPC over HTTP/2 as the gateway reads and answers it: length-prefixed messages (a flag byte, then a
 * big-endian 32-bit length), trailers-only answers, and compressed messages inflated for checking.
 */
import type { ServerHttp2Stream } from 'node:http2';
import { gunzipSync, inflateSync } from 'node:zlib';
import type { status } from '@grpc/grpc-js';

/**
 * The largest request message the gateway reads (compressed or not): gRPC's default receive limit,
 * and Temporal Cloud's request size limit. A larger one is RESOURCE_EXHAUSTED, never buffered.
 */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;

export interface Frame {
  /** The whole frame as received (prefix included): what is forwarded. */
  bytes: Buffer;
  compressed: boolean;
  /** The message, as sent (still compressed when `compressed`). */
  message: Buffer;
}

export class WireError extends Error {
  constructor(
    readonly code: status,
    message: string,
  ) {
    super(message);
  }
}

/** Splits a request body into messages as its chunks arrive. */
export class FrameReader {
  #buffered: Buffer[] = [];
  #length = 0;

  /** The frames completed by `chunk`; WireError(RESOURCE_EXHAUSTED) as soon as a prefix announces a message over the limit. */
  push(chunk: Buffer): Frame[] {
    this.#buffered.push(chunk);
    this.#length += chunk.length;
    const frames: Frame[] = [];
    while (this.#length >= 5) {
      const prefix = this.#buffered[0]!.length >= 5 ? this.#buffered[0]! : Buffer.concat(this.#buffered, 5);
      const length = prefix.readUInt32BE(1);
      if (length > MAX_MESSAGE_BYTES) {
        throw new WireError(8 /* RESOURCE_EXHAUSTED */, `the request message is ${length} bytes; the gateway reads ${MAX_MESSAGE_BYTES} at most`);
      }
      if (prefix[0]! > 1) throw new WireError(13 /* INTERNAL */, `the request is not length-prefixed gRPC (flag byte ${prefix[0]})`);
      // Joined only once the whole message is here: a large message costs one copy, not one per chunk.
      if (this.#length < 5 + length) break;
      const all = this.#buffered.length === 1 ? this.#buffered[0]! : Buffer.concat(this.#buffered, this.#length);
      const bytes = all.subarray(0, 5 + length);
      frames.push({ bytes, compressed: prefix[0] === 1, message: bytes.subarray(5) });
      const rest = all.subarray(5 + length);
      this.#buffered = rest.length > 0 ? [rest] : [];
      this.#length = rest.length;
    }
    return frames;
  }

  /** Bytes of an incomplete message left at the end of the body. */
  get leftover(): number {
    return this.#length;
  }
}

/** A compressed message's bytes, for checking: gzip and deflate, the encodings gRPC clients send. */
export function inflate(message: Buffer, encoding: string | undefined): Buffer {
  const options = { maxOutputLength: MAX_MESSAGE_BYTES };
  try {
    if (encoding === 'gzip') return gunzipSync(message, options);
    if (encoding === 'deflate') return inflateSync(message, options);
  } catch (error) {
    throw new WireError(8 /* RESOURCE_EXHAUSTED */, `cannot inflate the ${encoding} request message within ${MAX_MESSAGE_BYTES} bytes: ${(error as Error).message}`);
  }
  throw new WireError(12 /* UNIMPLEMENTED */, `the gateway cannot read request messages compressed with ${JSON.stringify(encoding ?? 'identity')}; send gzip, deflate or none`);
}

/** Answers with a status only (trailers-only response), ending the stream and anything the client still sends. */
export function answerStatus(stream: ServerHttp2Stream, code: status, message: string): void {
  if (stream.destroyed || stream.closed) return;
  if (stream.headersSent) {
    stream.close(0x2 /* INTERNAL_ERROR */);
    return;
  }
  stream.respond({ ':status': 200, 'content-type': 'application/grpc+proto', 'grpc-status': String(code), 'grpc-message': encodeGrpcMessage(message) }, { endStream: true });
  // The request may still be on its way: stop reading it (RST_STREAM NO_ERROR once the answer is out).
  if (!stream.readableEnded) stream.close(0x0);
}

/** gRPC's percent-encoding of grpc-message: bytes outside printable ASCII, and '%' itself (not URI encoding, which clients do not undo). */
export function encodeGrpcMessage(message: string): string {
  return Array.from(Buffer.from(message, 'utf8'), (byte) => (byte >= 0x20 && byte <= 0x7e && byte !== 0x25 ? String.fromCharCode(byte) : `%${byte.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
}
