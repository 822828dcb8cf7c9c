/**
 * An exclusive lock on a file, for work that several processes may start at once (making the dev
 * server CA). SQLite takes it, through better-sqlite3: an fcntl lock, so the kernel drops it when the
 * process dies, even by SIGKILL, and nothing stale is left to clean up. The file stays empty.
 */
import Database from 'better-sqlite3';

export class FileLockError extends Error {
  override name = 'FileLockError';
}

export interface FileLockOptions {
  /** How long to wait for another holder. Default 30 s: making a CA takes well under a second. */
  timeoutMs?: number;
  /** Pause between attempts. Default 25 ms. Waiting never blocks the event loop. */
  pollMs?: number;
}

/** Runs `work` while holding the lock on `path` (created if missing), waiting for another holder to finish. */
export async function withFileLock<T>(path: string, work: () => Promise<T>, options: FileLockOptions = {}): Promise<T> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    const lock = tryLock(path);
    if (lock) {
      try {
        return await work();
      } finally {
        lock.exec('ROLLBACK');
        lock.close();
      }
    }
    if (Date.now() >= deadline) throw new FileLockError(`another process has held the lock file ${path} for ${Math.round((options.timeoutMs ?? 30_000) / 1000)} s`);
    await new Promise((resolve) => setTimeout(resolve, options.pollMs ?? 25));
  }
}

/** The open connection holding the lock, or undefined when another holds it. */
function tryLock(path: string): Database.Database | undefined {
  let db: Database.Database;
  try {
    db = new Database(path);
  } catch (error) {
    throw new FileLockError(`cannot open the lock file ${path}: ${(error as Error).message}`);
  }
  try {
    // SQLite's own wait would block the event loop, and with it a holder in this same process.
    db.pragma('busy_timeout = 0');
    // No journal file beside the lock: nothing is ever written to it.
    db.pragma('journal_mode = MEMORY');
    db.exec('BEGIN EXCLUSIVE');
    return db;
  } catch (error) {
    db.close();
    if ((error as { code?: unknown }).code === 'SQLITE_BUSY') return undefined;
    throw new FileLockError(`cannot lock ${path}: ${(error as Error).message}`);
  }
}
