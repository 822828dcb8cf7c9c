/**
 * The TLS server name (SNI) a client asks for, read from its ClientHello before any TLS code sees the
 * connection, so that the gateway can refuse a name that is no namespace endpoint with the alert made
 * for it, `unrecognized_name` (RFC 6066 §3). Node's SNICallback cannot send that alert: an error there
 * only drops the connection, which a client reports as a reset, not as a wrong name.
 */
import type { Socket } from 'node:net';

/** Bytes that decide: a TLS record header and a whole ClientHello in one record (2^14 bytes at most, RFC 8446 §5.1). */
export const MAX_HELLO_BYTES = 5 + 16_384;

export type HelloPeek =
  /** More bytes are needed. */
  | { kind: 'incomplete' }
  /** A ClientHello; servername undefined when it asks for none. */
  | { kind: 'hello'; servername: string | undefined }
  /** Not a ClientHello read whole in one record (not TLS, or split across records): OpenSSL decides. */
  | { kind: 'unread' };

const HANDSHAKE_RECORD = 0x16;
const CLIENT_HELLO = 0x01;
const SERVER_NAME_EXTENSION = 0x0000;
const HOST_NAME = 0x00;

/** A fatal `unrecognized_name` alert (112) in a TLS 1.2-versioned record, as a server sends it before its ServerHello. */
export const UNRECOGNIZED_NAME_ALERT: Uint8Array = Uint8Array.of(0x15, 0x03, 0x03, 0x00, 0x02, 0x02, 112);

/** What the first bytes of a connection say about the server name asked for. */
export function peekServerName(bytes: Uint8Array): HelloPeek {
  if (bytes.length >= 1 && bytes[0] !== HANDSHAKE_RECORD) return { kind: 'unread' };
  if (bytes.length < 5) return { kind: 'incomplete' };
  const recordLength = (bytes[3]! << 8) | bytes[4]!;
  if (bytes.length < 5 + recordLength) return { kind: 'incomplete' };
  try {
    return readHello(new Reader(bytes.subarray(5, 5 + recordLength)));
  } catch {
    return { kind: 'unread' };
  }
}

function readHello(record: Reader): HelloPeek {
  if (record.u8() !== CLIENT_HELLO) return { kind: 'unread' };
  const hello = record.take(record.u24());
  hello.skip(2 + 32); // client_version, random
  hello.skip(hello.u8()); // legacy_session_id
  hello.skip(hello.u16()); // cipher_suites
  hello.skip(hello.u8()); // legacy_compression_methods
  if (hello.done()) return { kind: 'hello', servername: undefined };
  const extensions = hello.take(hello.u16());
  while (!extensions.done()) {
    const type = extensions.u16();
    const data = extensions.take(extensions.u16());
    if (type !== SERVER_NAME_EXTENSION) continue;
    const names = data.take(data.u16());
    while (!names.done()) {
      const nameType = names.u8();
      const name = names.take(names.u16());
      if (nameType === HOST_NAME) return { kind: 'hello', servername: name.text() };
    }
  }
  return { kind: 'hello', servername: undefined };
}

/** A bounds-checked cursor: reading past the end throws, which peekServerName turns into 'unread'. */
class Reader {
  private offset = 0;
  constructor(private readonly bytes: Uint8Array) {}
  done(): boolean {
    return this.offset >= this.bytes.length;
  }
  skip(count: number): void {
    this.need(count);
    this.offset += count;
  }
  u8(): number {
    this.need(1);
    return this.bytes[this.offset++]!;
  }
  u16(): number {
    return (this.u8() << 8) | this.u8();
  }
  u24(): number {
    return (this.u8() << 16) | this.u16();
  }
  take(count: number): Reader {
    this.need(count);
    const part = new Reader(this.bytes.subarray(this.offset, this.offset + count));
    this.offset += count;
    return part;
  }
  text(): string {
    return Buffer.from(this.bytes.buffer, this.bytes.byteOffset, this.bytes.length).toString('latin1');
  }
  private need(count: number): void {
    if (this.offset + count > this.bytes.length) throw new RangeError('truncated ClientHello');
  }
}

export interface ScreenOptions {
  /** A client that sends no whole ClientHello within this long is cut. */
  timeoutMs: number;
  /** Whether to refuse the server name asked for (undefined: none). */
  refuses(servername: string | undefined): boolean;
  /** Takes a connection not refused, paused, with the bytes read so far put back to be read again. */
  pass(socket: Socket): void;
}

/**
 * Reads a new connection's ClientHello; refuses it with an unrecognized_name alert when `refuses`
 * says so, and otherwise (a name let through, or a hello it cannot read) hands the connection on.
 */
export function screenClientHello(socket: Socket, options: ScreenOptions): void {
  socket.on('error', () => socket.destroy());
  socket.setTimeout(options.timeoutMs, () => socket.destroy());
  let received: Buffer = Buffer.alloc(0);
  const onData = (chunk: Buffer) => {
    received = received.length === 0 ? chunk : Buffer.concat([received, chunk]);
    const peek = peekServerName(received);
    if (peek.kind === 'incomplete' && received.length < MAX_HELLO_BYTES) return;
    socket.off('data', onData);
    if (peek.kind === 'hello' && options.refuses(peek.servername)) {
      // Read on (and drop) until the client hangs up: closing with bytes unread would send a reset that can overtake the alert.
      socket.resume();
      socket.end(UNRECOGNIZED_NAME_ALERT);
      return;
    }
    socket.pause();
    socket.setTimeout(0);
    socket.unshift(received);
    options.pass(socket);
  };
  socket.on('data', onData);
}
