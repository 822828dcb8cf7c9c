import { randomBytes } from 'node:crypto';
import { constants } from 'node:fs';
import { open, readFile, realpath, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { InputError, UserError } from '../errors.js';

export interface OutputFile {
  path: string;
  /** Text, or bytes (a PKCS#12 file). */
  data: string | Uint8Array;
  /** Created with this mode (0o600 for keys): never wider, not even for a moment. */
  mode: number;
}

export type Target = 'missing' | 'file';

export interface Files {
  /** Reads a text file; `what` names it in the error ("CA key file"). */
  readText(path: string, what: string): Promise<string>;
  /** Reads a file's bytes (PEM or DER); `what` names it in the error. */
  readBytes(path: string, what: string): Promise<Uint8Array>;
  /** Whether an output path is free or an existing regular file; refuses folders and missing parents. */
  inspectTarget(path: string): Promise<Target>;
  /** Writes all files or none: each to a temporary file beside it, then renamed into place. */
  writeAll(files: readonly OutputFile[]): Promise<void>;
  /** The same string for every spelling of one file (./a, dir/../a, a link to it), whether or not it exists yet. */
  identify(path: string): Promise<string>;
}

export const nodeFiles: Files = {
  async readText(path, what) {
    try {
      return await readFile(path, 'utf8');
    } catch (error) {
      throw new InputError(`cannot read ${what} ${path}: ${reason(error)}`);
    }
  },

  async readBytes(path, what) {
    try {
      return await readFile(path);
    } catch (error) {
      throw new InputError(`cannot read ${what} ${path}: ${reason(error)}`);
    }
  },

  async inspectTarget(path) {
    const found = await stat(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') return undefined;
      throw new UserError(`cannot use ${path}: ${reason(error)}`);
    });
    if (found?.isDirectory()) throw new UserError(`path cannot be a directory: ${path}`);
    if (found && !found.isFile()) throw new UserError(`path is not a regular file: ${path}`);
    if (found) return 'file';
    const parent = await stat(dirname(path)).catch(() => undefined);
    if (!parent?.isDirectory()) throw new UserError(`folder ${dirname(path)} does not exist (for ${path})`);
    return 'missing';
  },

  async identify(path) {
    const found = await stat(path).catch(() => undefined);
    if (found) return `inode:${found.dev}:${found.ino}`;
    const folder = await realpath(dirname(path)).catch(() => resolve(dirname(path)));
    return `path:${join(folder, basename(path))}`;
  },

  async writeAll(files) {
    const staged: Array<{ temp: string; file: OutputFile }> = [];
    const placed: string[] = [];
    try {
      for (const file of files) staged.push({ temp: await stage(file), file });
      for (const { temp, file } of staged) {
        const existed = await stat(file.path).then(() => true, () => false);
        await rename(temp, file.path);
        if (!existed) placed.push(file.path);
      }
    } catch (error) {
      // Leave nothing half-done behind: no temporary file, and no new file without its partner.
      await Promise.all([...staged.map((s) => unlink(s.temp).catch(() => {})), ...placed.map((p) => unlink(p).catch(() => {}))]);
      throw new UserError(`cannot write ${describeFailed(error, files)}: ${reason(error)}`);
    }
  },
};

async function stage(file: OutputFile): Promise<string> {
  const temp = join(dirname(file.path), `.${basename(file.path)}.${randomBytes(6).toString('hex')}.tmp`);
  // O_EXCL: never follow or reuse something already there; the mode applies from creation (umask may only narrow it).
  const handle = await open(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL, file.mode);
  try {
    await handle.chmod(file.mode);
    await handle.writeFile(file.data);
    await handle.sync();
  } catch (error) {
    await handle.close();
    await unlink(temp).catch(() => {});
    throw Object.assign(error as Error, { path: file.path });
  }
  await handle.close();
  return temp;
}

function describeFailed(error: unknown, files: readonly OutputFile[]): string {
  const path = (error as { path?: string }).path;
  const file = files.find((f) => path !== undefined && (f.path === path || dirname(f.path) === dirname(path)));
  return (file ?? files[0])?.path ?? 'file';
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
