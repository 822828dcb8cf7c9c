/**
 * Replaces a set of files all or nothing. Each new file is written to a temporary file beside its
 * target; each existing target gets a second name (a hard link, or a copy where links are not
 * supported) so that it can be put back; only then are the new files renamed into place. If a step
 * fails, or the write is interrupted, the targets already replaced get their old files back and the
 * new ones are removed. At every moment each path holds a complete file, old or new.
 *
 * A SIGKILL or a power cut can still leave the temporary names behind: `.<name>.<12 hex>.tmp` (a new
 * file) and `.<name>.<12 hex>.old.tmp` (the previous file, kept until the new set is in place).
 */
import { randomBytes } from 'node:crypto';
import { constants, promises } from 'node:fs';
import type * as fsPromises from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export interface OutputFile {
  path: string;
  /** Text, or bytes (a PKCS#12 file). */
  data: string | Uint8Array;
  /** Created with this mode (0o600 for keys): never wider, not even for a moment. */
  mode: number;
}

/** The file system calls a write makes: node:fs/promises, or a test's version that fails one of them. */
export interface WriteFs {
  open: typeof fsPromises.open;
  lstat: typeof fsPromises.lstat;
  link: typeof fsPromises.link;
  copyFile: typeof fsPromises.copyFile;
  rename: typeof fsPromises.rename;
  unlink: typeof fsPromises.unlink;
}

/** node:fs/promises, loaded when a write first needs it. */
export const nodeWriteFs: WriteFs = {
  open: (...args) => promises.open(...args),
  lstat: ((...args: Parameters<typeof fsPromises.lstat>) => promises.lstat(...args)) as typeof fsPromises.lstat,
  link: (...args) => promises.link(...args),
  copyFile: (...args) => promises.copyFile(...args),
  rename: (...args) => promises.rename(...args),
  unlink: (...args) => promises.unlink(...args),
};

/** Why a write stopped: a file system call failed (`cause`, with the path it was for), or the signal was aborted. */
export class WriteFailure extends Error {
  override name = 'WriteFailure';
  constructor(
    readonly path: string,
    override readonly cause: unknown,
    /** Files left under temporary names because putting them back failed too: what to look at by hand. */
    readonly leftBehind: readonly string[],
  ) {
    super(`cannot write ${path}`);
  }
}

/** The write was stopped by its signal before the new files were all in place; the old ones are back. */
export class WriteInterrupted extends Error {
  override name = 'WriteInterrupted';
  constructor(readonly leftBehind: readonly string[]) {
    super('the write was interrupted');
  }
}

/** Errors that mean "this file system cannot make hard links": the previous file is then copied. */
const NO_HARD_LINKS = new Set(['EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EMLINK']);

interface Step {
  file: OutputFile;
  /** The new content, written and synced, under its temporary name. */
  temp?: string;
  /** The previous file's second name, if there was one. */
  backup?: string;
  /** Whether the new file has been renamed into place. */
  placed: boolean;
}

/**
 * Writes `files` all or none. While it runs, `signal` has a listener, which tells the CLI that a
 * SIGINT/SIGTERM will be handled here (by putting everything back) rather than end the process.
 */
export async function replaceAll(fs: WriteFs, files: readonly OutputFile[], signal?: AbortSignal): Promise<void> {
  const steps: Step[] = files.map((file) => ({ file, placed: false }));
  const listener = () => {};
  signal?.addEventListener('abort', listener);
  try {
    let current = steps[0]?.file.path ?? '';
    try {
      for (const step of steps) {
        current = step.file.path;
        stopIfAborted(signal);
        step.temp = await stage(fs, step.file);
      }
      for (const step of steps) {
        current = step.file.path;
        stopIfAborted(signal);
        step.backup = await keep(fs, step.file.path);
      }
      for (const step of steps) {
        current = step.file.path;
        stopIfAborted(signal);
        await fs.rename(step.temp!, step.file.path);
        step.placed = true;
      }
      stopIfAborted(signal); // the last moment to change our mind: the old files are still there
    } catch (error) {
      const leftBehind = await rollBack(fs, steps);
      if (error === ABORTED) throw new WriteInterrupted(leftBehind);
      throw new WriteFailure(current, error, leftBehind);
    }
    // Committed: the previous files' second names go. Failing that leaves them, which is not an error of the write.
    await Promise.all(steps.map((step) => (step.backup ? fs.unlink(step.backup).catch(() => {}) : undefined)));
  } finally {
    signal?.removeEventListener('abort', listener);
  }
}

const ABORTED = Symbol('aborted');

function stopIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw ABORTED;
}

function tempName(path: string, suffix: string): string {
  return join(dirname(path), `.${basename(path)}.${randomBytes(6).toString('hex')}${suffix}`);
}

async function stage(fs: WriteFs, file: OutputFile): Promise<string> {
  const temp = tempName(file.path, '.tmp');
  // O_EXCL: never follow or reuse something already there; the mode applies from creation (umask may only narrow it).
  const handle = await fs.open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, file.mode);
  try {
    await handle.chmod(file.mode);
    await handle.writeFile(file.data);
    await handle.sync();
  } catch (error) {
    await handle.close().catch(() => {});
    await fs.unlink(temp).catch(() => {});
    throw error;
  }
  await handle.close();
  return temp;
}

/** Gives an existing target (a file or a symbolic link, never followed) a second name; undefined when there is none. */
async function keep(fs: WriteFs, path: string): Promise<string | undefined> {
  const found = await fs.lstat(path).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw error;
  });
  if (!found) return undefined;
  const backup = tempName(path, '.old.tmp');
  try {
    await fs.link(path, backup);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (!NO_HARD_LINKS.has(code) || found.isSymbolicLink()) throw error;
    // A copy keeps the content and mode (libuv creates it with the source's mode), which is what a restore needs.
    await fs.copyFile(path, backup, constants.COPYFILE_EXCL);
  }
  return backup;
}

/** Puts every target back as it was, newest first; returns the temporary names it could not clean up. */
async function rollBack(fs: WriteFs, steps: readonly Step[]): Promise<string[]> {
  const leftBehind: string[] = [];
  const attempt = async (action: () => Promise<unknown>, left: string) => {
    try {
      await action();
    } catch {
      leftBehind.push(left);
    }
  };
  for (const step of [...steps].reverse()) {
    const { file, temp, backup } = step;
    if (step.placed) {
      // The old file returns by the same atomic rename; a target that did not exist is removed.
      if (backup) await attempt(() => fs.rename(backup, file.path), backup);
      else await attempt(() => fs.unlink(file.path), file.path);
    } else {
      if (temp) await attempt(() => fs.unlink(temp), temp);
      if (backup) await attempt(() => fs.unlink(backup), backup);
    }
  }
  return leftBehind;
}
