import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { UserError, errorKind } from '../errors.js';
import { MAX_INPUT_BYTES, nodeFiles } from './files.js';

describe('nodeFiles', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'tcld-files-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes each file with its exact mode, whatever the umask', async () => {
    const previous = process.umask(0o000);
    try {
      await nodeFiles.writeAll([
        { path: join(dir, 'c.pem'), data: 'cert', mode: 0o644 },
        { path: join(dir, 'k.key'), data: 'key', mode: 0o600 },
      ]);
    } finally {
      process.umask(previous);
    }
    assert.equal(statSync(join(dir, 'c.pem')).mode & 0o777, 0o644);
    assert.equal(statSync(join(dir, 'k.key')).mode & 0o777, 0o600);
    assert.equal(readFileSync(join(dir, 'k.key'), 'utf8'), 'key');
    assert.deepEqual(readdirSync(dir).sort(), ['c.pem', 'k.key']);
  });

  it('replaces an existing file and narrows its mode', async () => {
    writeFileSync(join(dir, 'k.key'), 'old', { mode: 0o644 });
    await nodeFiles.writeAll([{ path: join(dir, 'k.key'), data: 'new', mode: 0o600 }]);
    assert.equal(readFileSync(join(dir, 'k.key'), 'utf8'), 'new');
    assert.equal(statSync(join(dir, 'k.key')).mode & 0o777, 0o600);
  });

  it('leaves no file at all when one of the files cannot be written', async () => {
    writeFileSync(join(dir, 'not-a-folder'), '');
    await assert.rejects(
      nodeFiles.writeAll([
        { path: join(dir, 'c.pem'), data: 'cert', mode: 0o644 },
        { path: join(dir, 'not-a-folder', 'k.key'), data: 'key', mode: 0o600 },
      ]),
      (e: unknown) => e instanceof UserError && e.message.startsWith(`cannot write ${join(dir, 'not-a-folder', 'k.key')}`),
    );
    assert.deepEqual(readdirSync(dir), ['not-a-folder']);
  });

  it('tells a free path from an existing file and refuses folders and missing parents', async () => {
    writeFileSync(join(dir, 'f'), '');
    mkdirSync(join(dir, 'd'));
    assert.equal(await nodeFiles.inspectTarget(join(dir, 'new')), 'missing');
    assert.equal(await nodeFiles.inspectTarget(join(dir, 'f')), 'file');
    await assert.rejects(nodeFiles.inspectTarget(join(dir, 'd')), /path cannot be a directory/);
    await assert.rejects(nodeFiles.inspectTarget(join(dir, 'nope', 'x')), /folder .*nope does not exist/);
  });

  it('names the file it cannot read and why', async () => {
    await assert.rejects(nodeFiles.readText(join(dir, 'missing.pem'), 'CA certificate file'), {
      message: `cannot read CA certificate file ${join(dir, 'missing.pem')}: no such file or folder`,
    });
  });

  it('reads a file whole, in text or bytes, and refuses one that never ends (/dev/zero) as bad input, exit 2', async () => {
    const big = Buffer.alloc(3 * 1024 * 1024 + 5, 'a');
    writeFileSync(join(dir, 'big.pem'), big);
    assert.equal((await nodeFiles.readText(join(dir, 'big.pem'), 'x')).length, big.length);
    assert.ok(Buffer.from(await nodeFiles.readBytes(join(dir, 'big.pem'), 'x')).equals(big));
    writeFileSync(join(dir, 'empty'), '');
    assert.equal((await nodeFiles.readBytes(join(dir, 'empty'), 'x')).length, 0);
    await assert.rejects(nodeFiles.readBytes('/dev/zero', 'certificate file'), (error: Error) => {
      assert.equal(errorKind(error), 'input');
      assert.equal(error.message, `certificate file /dev/zero is larger than ${MAX_INPUT_BYTES / 1024 / 1024} MiB: not a file tcld reads`);
      return true;
    });
  });

  it('waits for a FIFO\'s writer without holding up the process, and names a folder it cannot read', async () => {
    const fifo = join(dir, 'ca.fifo');
    execFileSync('mkfifo', [fifo]);
    const reading = nodeFiles.readText(fifo, 'CA certificate file');
    // The writer runs in this process: had the read blocked the thread, it would never come.
    await sleep(20);
    writeFileSync(fifo, 'pem text');
    assert.equal(await reading, 'pem text');
    mkdirSync(join(dir, 'folder'));
    await assert.rejects(nodeFiles.readText(join(dir, 'folder'), 'CA certificate file'), (error: Error) => {
      assert.equal(errorKind(error), 'input');
      assert.match(error.message, /^cannot read CA certificate file .*folder: /);
      return true;
    });
  });

  it('reads an optional file, or undefined when it or its folder is missing, and still names a file it cannot read', async () => {
    writeFileSync(join(dir, 'tokens.json'), '{}');
    assert.equal(await nodeFiles.readOptional(join(dir, 'tokens.json'), 'login file'), '{}');
    assert.equal(await nodeFiles.readOptional(join(dir, 'none.json'), 'login file'), undefined);
    assert.equal(await nodeFiles.readOptional(join(dir, 'no', 'folder.json'), 'login file'), undefined);
    await assert.rejects(nodeFiles.readOptional(dir, 'login file'), /cannot read login file/);
  });

  it('makes a private folder with its parents, and removes a file, saying whether there was one', async () => {
    const previous = process.umask(0o000);
    try {
      await nodeFiles.makeFolder(join(dir, 'a', 'tcld'), 0o700);
    } finally {
      process.umask(previous);
    }
    assert.equal(statSync(join(dir, 'a', 'tcld')).mode & 0o777, 0o700);
    writeFileSync(join(dir, 'a', 'tcld', 'tokens.json'), '{}');
    assert.equal(await nodeFiles.remove(join(dir, 'a', 'tcld', 'tokens.json'), 'login file'), true);
    assert.equal(await nodeFiles.remove(join(dir, 'a', 'tcld', 'tokens.json'), 'login file'), false);
    await assert.rejects(nodeFiles.remove(join(dir, 'a'), 'login file'), (e: unknown) => e instanceof UserError && /^cannot remove login file /.test(e.message));
  });
});

describe('nodeFiles.identify', () => {
  it('gives one identity to every spelling of a file, existing or not', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tcld-identify-'));
    try {
      mkdirSync(join(dir, 'sub'));
      writeFileSync(join(dir, 'a'), '');
      symlinkSync(join(dir, 'a'), join(dir, 'link'));
      const a = await nodeFiles.identify(join(dir, 'a'));
      assert.equal(await nodeFiles.identify(join(dir, 'sub', '..', 'a')), a);
      assert.equal(await nodeFiles.identify(join(dir, 'link')), a);
      assert.equal(await nodeFiles.identify(join(dir, 'sub', '..', 'new')), await nodeFiles.identify(join(dir, 'new')));
      assert.notEqual(await nodeFiles.identify(join(dir, 'new')), a);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
