// node:fs's callbacks and its promises (loaded on first use): a command that reads one file, or none, does not load node:fs/promises.
import { close, closeSync, constants, fstatSync, open, openSync, promises as fsPromises, read, readSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError, InterruptedError, UserError } from '../errors.js';
import { WriteFailure, WriteInterrupted, nodeWriteFs, replaceAll, type OutputFile, type WriteFs } from './replace.js';

export type { OutputFile, WriteFs } from './replace.js';

export interface WriteOptions {
  /**
   * Aborted on SIGINT/SIGTERM: the write then puts every file back as it was and throws
   * InterruptedError. While the write runs it listens to the signal, so the CLI lets it finish.
   */
  signal?: AbortSignal;
}

export type Target = 'missing' | 'file';

export interface Files {
  /** Reads a text file; `what` names it in the error ("CA key file"). */
  readText(path: string, what: string): Promise<string>;
  /** Reads a file's bytes (PEM or DER); `what` names it in the error. */
  readBytes(path: string, what: string): Promise<Uint8Array>;
  /** Whether an output path is free or an existing regular file; refuses folders and missing parents. */
  inspectTarget(path: string): Promise<Target>;
  /**
   * Writes all files or none, in every failure order and when interrupted: each to a temporary file
   * beside it, then renamed into place, the previous files kept aside until all the new ones are in.
   */
  writeAll(files: readonly OutputFile[], options?: WriteOptions): Promise<void>;
  /** The same string for every spelling of one file (./a, dir/../a, a link to it), whether or not it exists yet. */
  identify(path: string): Promise<string>;
  /** Reads a text file, or undefined when neither it nor perhaps its folder exists (a file tcld keeps, such as tokens.json). */
  readOptional(path: string, what: string): Promise<string | undefined>;
  /** Creates a folder and its parents with this mode (0o700 for tcld's config folder); an existing one is left as it is. */
  makeFolder(path: string, mode: number): Promise<void>;
  /** Removes a file: false when there was none. */
  remove(path: string, what: string): Promise<boolean>;
}

/** The real files; `fs` replaces the calls a write makes (tests fail one of them). */
export function createNodeFiles(fs: WriteFs = nodeWriteFs): Files {
  return { ...readingFiles, writeAll: (files, options) => writeAll(fs, files, options) };
}

/**
 * The most tcld reads of one input file. Every file it reads (certificates, keys, bundles, requests,
 * filters, passphrases, API keys) is far smaller; the bound keeps a device or pipe that never ends
 * (`/dev/zero`, `/dev/urandom`) from filling memory.
 */
export const MAX_INPUT_BYTES = 64 * 1024 * 1024;
const CHUNK_BYTES = 1024 * 1024;

const readingFiles: Omit<Files, 'writeAll'> = {
  async readText(path, what) {
    return Buffer.from(await readBounded(path, what)).toString('utf8');
  },

  readBytes: readBounded,

  async inspectTarget(path) {
    const found = await fsPromises.stat(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw new UserError(`cannot use ${path}: ${reason(error)}`);
    });
    if (found?.isDirectory()) throw new UserError(`path cannot be a directory: ${path}`);
    if (found && !found.isFile()) throw new UserError(`path is not a regular file: ${path}`);
    if (found) return 'file';
    const parent = await fsPromises.stat(dirname(path)).catch(() => undefined);
    if (!parent?.isDirectory()) throw new UserError(`folder ${dirname(path)} does not exist (for ${path})`);
    return 'missing';
  },

  async identify(path) {
    const found = await fsPromises.stat(path).catch(() => undefined);
    if (found) return `inode:${found.dev}:${found.ino}`;
    const folder = await fsPromises.realpath(dirname(path)).catch(() => resolve(dirname(path)));
    return `path:${join(folder, basename(path))}`;
  },

  async readOptional(path, what) {
    try {
      return Buffer.from(await readBounded(path, what)).toString('utf8');
    } catch (error) {
      if ((await fsPromises.stat(path).catch((e: NodeJS.ErrnoException) => e.code)) === 'ENOENT') return undefined;
      throw error;
    }
  },

  async makeFolder(path, mode) {
    await fsPromises.mkdir(path, { recursive: true, mode }).catch((error: unknown) => {
      throw new UserError(`cannot create folder ${path}: ${reason(error)}`);
    });
  },

  async remove(path, what) {
    try {
      await fsPromises.unlink(path);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw new UserError(`cannot remove ${what} ${path}: ${reason(error)}`);
    }
  },
};

export const nodeFiles: Files = createNodeFiles();

/**
 * A file's bytes, read in chunks and refused past MAX_INPUT_BYTES (a size on disk is not trusted:
 * devices have none). A regular file is read at once, on this thread; anything else (a pipe, a FIFO,
 * a device, which may wait for a writer) through libuv's thread pool, so that Ctrl-C still works
 * while it waits. Opening without blocking first tells which it is: a FIFO opened so does not wait.
 */
async function readBounded(path: string, what: string, limit = MAX_INPUT_BYTES): Promise<Uint8Array> {
  const regular = openRegularFile(path, what);
  if (regular === undefined) return readBoundedAsync(path, what, limit);
  const input = new BoundedInput(path, what, limit);
  try {
    for (;;) {
      const chunk = input.nextChunk();
      const whole = input.took(chunk, readSync(regular, chunk, 0, chunk.length, null));
      if (whole) return whole;
    }
  } catch (error) {
    throw input.failure(error);
  } finally {
    closeSync(regular);
  }
}

/** A descriptor of `path` when it is a regular file; undefined when it is something else, or when this system cannot open without blocking. */
function openRegularFile(path: string, what: string): number | undefined {
  if (constants.O_NONBLOCK === undefined) return undefined;
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (error) {
    throw unreadable(what, path, error);
  }
  let regular = false;
  try {
    regular = fstatSync(fd).isFile();
  } catch (error) {
    throw unreadable(what, path, error);
  } finally {
    if (!regular) closeSync(fd);
  }
  return regular ? fd : undefined;
}

async function readBoundedAsync(path: string, what: string, limit: number): Promise<Uint8Array> {
  let fd: number;
  try {
    fd = await new Promise<number>((resolve, reject) => open(path, 'r', (error, opened) => (error ? reject(error) : resolve(opened))));
  } catch (error) {
    throw unreadable(what, path, error);
  }
  const input = new BoundedInput(path, what, limit);
  try {
    for (;;) {
      const chunk = input.nextChunk();
      const bytesRead = await new Promise<number>((resolve, reject) => read(fd, chunk, 0, chunk.length, null, (error, count) => (error ? reject(error) : resolve(count))));
      const whole = input.took(chunk, bytesRead);
      if (whole) return whole;
    }
  } catch (error) {
    throw input.failure(error);
  } finally {
    await new Promise<void>((resolve, reject) => close(fd, (error) => (error ? reject(error) : resolve())));
  }
}

/** `cannot read CA key file ca.key: permission denied`: exit 2. */
function unreadable(what: string, path: string, error: unknown): InputError {
  return new InputError(`cannot read ${what} ${path}: ${reason(error)}`);
}

/** What the reads of one input gave so far, refused past its limit. */
class BoundedInput {
  readonly #chunks: Buffer[] = [];
  #total = 0;

  constructor(
    readonly path: string,
    readonly what: string,
    readonly limit: number,
  ) {}

  /** A buffer for the next read: never more than one byte past the limit. */
  nextChunk(): Buffer {
    return Buffer.allocUnsafe(Math.min(CHUNK_BYTES, this.limit + 1 - this.#total));
  }

  /** Keeps what a read put in `chunk`: the whole input once a read gives nothing; InputError past the limit. */
  took(chunk: Buffer, bytesRead: number): Buffer | undefined {
    if (bytesRead === 0) return Buffer.concat(this.#chunks, this.#total);
    this.#chunks.push(chunk.subarray(0, bytesRead));
    this.#total += bytesRead;
    if (this.#total > this.limit) throw new InputError(`${this.what} ${this.path} is larger than ${this.limit / 1024 / 1024} MiB: not a file tcld reads`);
    return undefined;
  }

  /** The error to throw for one a read threw. */
  failure(error: unknown): InputError {
    return error instanceof InputError ? error : unreadable(this.what, this.path, error);
  }
}

async function writeAll(fs: WriteFs, files: readonly OutputFile[], options: WriteOptions = {}): Promise<void> {
  try {
    await replaceAll(fs, files, options.signal);
  } catch (error) {
    const left = error instanceof WriteFailure || error instanceof WriteInterrupted ? error.leftBehind : [];
    const undo = left.length === 0 ? '' : `; could not undo everything, look at ${left.join(', ')}`;
    if (error instanceof WriteInterrupted) {
      const unchanged = left.length === 0 ? `nothing was written (${files.map((f) => f.path).join(', ')} unchanged)` : 'the write was stopped';
      throw new InterruptedError(`interrupted; ${unchanged}${undo}`);
    }
    if (error instanceof WriteFailure) throw new UserError(`cannot write ${error.path}: ${reason(error.cause)}${undo}`);
    throw error;
  }
}

function reason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  switch (code) {
    case 'ENOENT':
      return 'no such file or folder';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EISDIR':
      return 'it is a directory';
    case 'ENOSPC':
      return 'no space left on the device';
    case 'EROFS':
      return 'read-only file system';
    default:
      return code ?? (error instanceof Error ? error.message : String(error));
  }
}
