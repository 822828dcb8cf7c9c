/**
 * Who holds a database file: `<db>-server.json` beside it, written by the dev-server that holds the
 * file's lock (its pid at once, its addresses once it listens) and removed when it stops. It is only
 * read to name the holder when a second server is refused. The lock itself is SQLite's (store-schema.ts),
 * so a file left behind by a killed server misleads no one: the next server overwrites it, and a
 * recorded pid that is no longer running is not named.
 */
import { closeSync, openSync, readSync, renameSync, rmSync, writeFileSync } from 'node:fs';

export interface DatabaseOwner {
  pid: number;
  /** `host:port` of its Cloud Ops API, mTLS endpoint, metrics and sign-in port; absent while it is starting. */
  api?: string;
  gateway?: string;
  metrics?: string;
  auth?: string;
}

/** More than any owner file tcld writes: a larger one is not ours and is not read. */
const MAX_OWNER_BYTES = 4096;
const ADDRESS = /^[\w.:[\]-]{1,100}$/;

export function ownerPath(db: string): string {
  return `${db}-server.json`;
}

/** Records this process as the database's holder; best effort (the lock does not depend on it). */
export function writeOwner(db: string, owner: DatabaseOwner): void {
  const path = ownerPath(db);
  const temporary = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(temporary, `${JSON.stringify(owner)}\n`, { mode: 0o644 });
    renameSync(temporary, path);
  } catch {
    rmSync(temporary, { force: true });
  }
}

export function removeOwner(db: string): void {
  rmSync(ownerPath(db), { force: true });
}

/** The recorded holder of `db` if its process is running, else undefined. */
export function readOwner(db: string, isRunning: (pid: number) => boolean = processIsRunning): DatabaseOwner | undefined {
  let text: string;
  try {
    const fd = openSync(ownerPath(db), 'r');
    try {
      const buffer = Buffer.alloc(MAX_OWNER_BYTES + 1);
      const length = readSync(fd, buffer, 0, buffer.length, 0);
      if (length > MAX_OWNER_BYTES) return undefined;
      text = buffer.subarray(0, length).toString('utf8');
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  if (typeof parsed !== 'object' || parsed === null) return undefined;
  const fields = parsed as Record<string, unknown>;
  const pid = fields['pid'];
  if (typeof pid !== 'number' || !Number.isSafeInteger(pid) || pid <= 0 || !isRunning(pid)) return undefined;
  const owner: DatabaseOwner = { pid };
  for (const key of ['api', 'gateway', 'metrics', 'auth'] as const) {
    const value = fields[key];
    if (typeof value === 'string' && ADDRESS.test(value)) owner[key] = value;
  }
  return owner;
}

/** `tcld dev-server pid 123 (Cloud Ops API on …, mTLS endpoint on …)`, or `another process` when none is recorded. */
export function describeOwner(owner: DatabaseOwner | undefined): string {
  if (!owner) return 'another process';
  const where = [
    owner.api && `Cloud Ops API on ${owner.api}`,
    owner.gateway && `mTLS endpoint on ${owner.gateway}`,
    owner.metrics && `metrics on ${owner.metrics}`,
    owner.auth && `sign-in on ${owner.auth}`,
  ].filter(Boolean);
  return `tcld dev-server pid ${owner.pid} (${where.length > 0 ? where.join(', ') : 'still starting'})`;
}

function processIsRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
