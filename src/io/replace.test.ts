/**
 * All or nothing in every failure order: each test fails one file system call of a write (or aborts
 * it at that call) and then reads the folder, which must hold exactly the old files or exactly the
 * new ones, with their modes, and no temporary file.
 */
import assert from 'node:assert/strict';
import { lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { InterruptedError, UserError } from '../errors.js';
import { createNodeFiles } from './files.js';
import { nodeWriteFs, type WriteFs } from './replace.js';

type Op = keyof WriteFs;

/** node:fs/promises, except that the `nth` call of `op` fails with `code` (and `before` runs before every call). */
function injected(options: { op?: Op; nth?: number; code?: string; before?: (op: Op, call: number) => void } = {}) {
  const counts: Partial<Record<Op, number>> = {};
  let calls = 0;
  let failed = false;
  const wrap = <K extends Op>(op: K): WriteFs[K] =>
    (async (...args: unknown[]) => {
      const nth = (counts[op] = (counts[op] ?? 0) + 1);
      options.before?.(op, ++calls);
      if (op === options.op && nth === options.nth) {
        failed = true;
        throw Object.assign(new Error(`${op} failed on purpose`), { code: options.code ?? 'EIO' });
      }
      return (nodeWriteFs[op] as (...a: unknown[]) => Promise<unknown>)(...args);
    }) as WriteFs[K];
  const fs: WriteFs = {
    open: wrap('open'),
    lstat: wrap('lstat'),
    link: wrap('link'),
    copyFile: wrap('copyFile'),
    rename: wrap('rename'),
    unlink: wrap('unlink'),
  };
  return { fs, counts, get calls() { return calls; }, get failed() { return failed; } };
}

/** Every entry of a folder: a file's content and mode, or a link's target. */
function snapshot(dir: string): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    const found = lstatSync(path);
    entries[name] = found.isSymbolicLink() ? `-> ${readlinkSync(path)}` : `${(found.mode & 0o777).toString(8)} ${readFileSync(path, 'latin1')}`;
  }
  return entries;
}

const NAMES = ['c.pem', 'k.key', 'k.p12'] as const;
const MODES = [0o644, 0o600, 0o600] as const;
/** Which targets exist before the write: none, all, or only the first (a certificate without its key). */
const STARTS = { fresh: [], existing: [0, 1, 2], mixed: [0] } as const;

describe('createNodeFiles().writeAll', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tcld-replace-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const outputs = (count: number) => NAMES.slice(0, count).map((name, i) => ({ path: join(dir, name), data: `new ${name}`, mode: MODES[i]! }));
  function prepare(count: number, start: keyof typeof STARTS): Record<string, string> {
    // Old files with a wider mode than the new ones, so a restore that loses the mode shows.
    for (const i of STARTS[start]) if (i < count) writeFileSync(join(dir, NAMES[i]!), `old ${NAMES[i]}`, { mode: 0o640 });
    return snapshot(dir);
  }
  const allNew = (count: number) =>
    Object.fromEntries(NAMES.slice(0, count).map((name, i) => [name, `${MODES[i]!.toString(8)} new ${name}`]));

  for (const count of [2, 3]) {
    for (const start of Object.keys(STARTS) as Array<keyof typeof STARTS>) {
      const existing = STARTS[start].filter((i) => i < count).length;
      const failures: Array<[Op, number]> = [
        ...Array.from({ length: count }, (_, i) => ['open', i + 1] as [Op, number]),
        ...Array.from({ length: existing }, (_, i) => ['link', i + 1] as [Op, number]),
        ...Array.from({ length: count }, (_, i) => ['rename', i + 1] as [Op, number]),
      ];
      for (const [op, nth] of failures) {
        it(`leaves the ${start} folder as it was when ${op} call ${nth} of ${count} files fails`, async () => {
          const before = prepare(count, start);
          const fs = injected({ op, nth });
          await assert.rejects(createNodeFiles(fs.fs).writeAll(outputs(count)), (e: unknown) => e instanceof UserError && /^cannot write .*: EIO$/.test(e.message));
          assert.ok(fs.failed, 'the injected failure happened');
          assert.deepEqual(snapshot(dir), before);
        });
      }

      it(`writes ${count} files over a ${start} folder and aborted at any call, leaves all old or all new`, async () => {
        prepare(count, start);
        const dry = injected();
        await createNodeFiles(dry.fs).writeAll(outputs(count));
        const total = dry.calls;
        const expectedNew = snapshot(dir);
        assert.deepEqual(expectedNew, allNew(count));
        for (let at = 1; at <= total; at++) {
          rmSync(dir, { recursive: true });
          dir = mkdtempSync(join(tmpdir(), 'tcld-replace-'));
          const before = prepare(count, start);
          const stop = new AbortController();
          const fs = injected({ before: (_op, call) => call === at && stop.abort('SIGTERM') });
          const outcome = await createNodeFiles(fs.fs).writeAll(outputs(count), { signal: stop.signal }).then(
            () => 'written',
            (e: unknown) => {
              assert.ok(e instanceof InterruptedError, String(e));
              assert.match(e.message, /^interrupted; nothing was written \(.*c\.pem, .*k\.key.* unchanged\)$/);
              return 'interrupted';
            },
          );
          assert.deepEqual(snapshot(dir), outcome === 'written' ? expectedNew : before, `aborted at call ${at} of ${total}: ${outcome}`);
        }
      });
    }
  }

  it('copies the previous file where hard links are not supported, and still restores it', async () => {
    const before = prepare(2, 'existing');
    const fs = injected({ op: 'link', nth: 1, code: 'EPERM' });
    await createNodeFiles(fs.fs).writeAll(outputs(2));
    assert.equal(fs.counts.copyFile, 1);
    assert.deepEqual(snapshot(dir), allNew(2));

    rmSync(dir, { recursive: true });
    dir = mkdtempSync(join(tmpdir(), 'tcld-replace-'));
    assert.deepEqual(prepare(2, 'existing'), before);
    const failing = injected({ op: 'rename', nth: 2 });
    const noLinks: WriteFs = { ...failing.fs, link: () => Promise.reject(Object.assign(new Error('no links'), { code: 'EPERM' })) };
    await assert.rejects(createNodeFiles(noLinks).writeAll(outputs(2)), /cannot write .*k\.key: EIO/);
    assert.deepEqual(snapshot(dir), before, 'the copies came back with their content and mode');
  });

  it('replaces a symbolic link, not the file it points to, and puts the link back on failure', async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'tcld-replace-target-'));
    try {
      writeFileSync(join(elsewhere, 'real.key'), 'real', { mode: 0o600 });
      symlinkSync(join(elsewhere, 'real.key'), join(dir, 'k.key'));
      writeFileSync(join(dir, 'c.pem'), 'old c.pem', { mode: 0o644 });
      const before = snapshot(dir);
      await assert.rejects(createNodeFiles(injected({ op: 'rename', nth: 2 }).fs).writeAll(outputs(2)), /cannot write/);
      assert.deepEqual(snapshot(dir), before);
      await createNodeFiles().writeAll(outputs(2));
      assert.deepEqual(snapshot(dir), allNew(2));
      assert.equal(readFileSync(join(elsewhere, 'real.key'), 'utf8'), 'real');
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('names the file it could not put back when undoing fails too, and keeps the old content there', async () => {
    prepare(2, 'existing');
    // Rename 2 (the key into place) fails, then rename 3 (the old certificate back) fails as well.
    const fs = injected({ op: 'rename', nth: 2 });
    const broken: WriteFs = {
      ...fs.fs,
      rename: async (from, to) => {
        if ((fs.counts.rename ?? 0) >= 2) throw Object.assign(new Error('still failing'), { code: 'EIO' });
        return fs.fs.rename(from, to);
      },
    };
    await assert.rejects(createNodeFiles(broken).writeAll(outputs(2)), (e: unknown) => {
      assert.ok(e instanceof UserError);
      assert.match(e.message, /^cannot write .*k\.key: EIO; could not undo everything, look at .*\/\.c\.pem\.[0-9a-f]{12}\.old\.tmp$/);
      return true;
    });
    const left = readdirSync(dir).filter((name) => name.endsWith('.old.tmp'));
    assert.equal(left.length, 1);
    assert.equal(readFileSync(join(dir, left[0]!), 'utf8'), 'old c.pem');
  });
});
