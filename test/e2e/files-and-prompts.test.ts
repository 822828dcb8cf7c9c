/** File modes, the confirmation prompts, and what is (not) written after each answer. */
import assert from 'node:assert/strict';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { assertExit, freshFolder, listing, makeCa, makeLeaf, mode, readCertificate, removeFolders, startTcld, tcld } from './helpers.js';

const GEN_CA = 'gen ca --org myco -d 30d --ca-cert ca.pem --ca-key ca.key'.split(' ');
const GEN_LEAF = 'gen leaf --org myco --ca-cert ca.pem --ca-key ca.key --cert client.pem --key client.key'.split(' ');
const KEY_PROMPT = /storing the certificate authority \(private\) key at ca\.key, do not share this key with anyone\. confirm: \[y\/n\]\n/;
const OLD = 'old contents\n';

function count(text: string, pattern: RegExp): number {
  return text.match(new RegExp(pattern.source, 'g'))?.length ?? 0;
}

describe('files', { concurrency: 4 }, () => {
  after(removeFolders);

  it('gen ca writes the certificate with mode 0644 and the key with mode 0600, and no temporary file', async () => {
    const folder = freshFolder();
    await makeCa(folder, 'ca.pem', 'ca.key');
    assert.equal(mode(join(folder, 'ca.pem')).toString(8), '644');
    assert.equal(mode(join(folder, 'ca.key')).toString(8), '600');
    assert.deepEqual(listing(folder), ['ca.key', 'ca.pem']);
  });

  it('gen ca keeps the key at 0600 when the umask is 000', async () => {
    const folder = freshFolder();
    const result = await tcld([...GEN_CA, '--auto_confirm'], { cwd: folder, umask: 0o000 });
    assertExit(result, 0);
    assert.equal(mode(join(folder, 'ca.key')).toString(8), '600');
    assert.equal(mode(join(folder, 'ca.pem')).toString(8), '644');
  });

  it('gen leaf writes 0644 and 0600 when the umask is 000, and no temporary file', async () => {
    const folder = freshFolder();
    await makeCa(folder, 'ca.pem', 'ca.key');
    const result = await tcld([...GEN_LEAF, '--auto_confirm'], { cwd: folder, umask: 0o000 });
    assertExit(result, 0);
    assert.equal(mode(join(folder, 'client.pem')).toString(8), '644');
    assert.equal(mode(join(folder, 'client.key')).toString(8), '600');
    assert.deepEqual(listing(folder), ['ca.key', 'ca.pem', 'client.key', 'client.pem']);
  });

  it('gen leaf narrows an overwritten key file that was 0644 to 0600', async () => {
    const folder = freshFolder();
    await makeCa(folder, 'ca.pem', 'ca.key');
    writeFileSync(join(folder, 'client.key'), OLD);
    chmodSync(join(folder, 'client.key'), 0o644);
    await makeLeaf(folder, { certificate: 'ca.pem', key: 'ca.key' }, { certificate: 'client.pem', key: 'client.key' });
    assert.equal(mode(join(folder, 'client.key')).toString(8), '600');
    assert.match(readFileSync(join(folder, 'client.key'), 'utf8'), /^-----BEGIN PRIVATE KEY-----\n/);
  });
});

describe('prompts', { concurrency: 4 }, () => {
  after(removeFolders);

  it('gen ca asks on stderr with [y/n] before storing the key, and stdout carries no prompt', async () => {
    const folder = freshFolder();
    const result = await tcld(GEN_CA, { cwd: folder, input: 'y\n' });
    assertExit(result, 0);
    assert.match(result.stderr, KEY_PROMPT);
    assert.doesNotMatch(result.stdout, /\[y\/n\]/);
    assert.deepEqual(listing(folder), ['ca.key', 'ca.pem']);
  });

  it('gen ca waits for the answer: nothing exists while the prompt is open, the files exist after y', async () => {
    const folder = freshFolder();
    const running = startTcld(GEN_CA, { cwd: folder });
    await running.waitForStderr(/\[y\/n\]\n$/);
    assert.deepEqual(listing(folder), []);
    running.child.stdin.end('y\n');
    const result = await running.done;
    assertExit(result, 0);
    assert.deepEqual(listing(folder), ['ca.key', 'ca.pem']);
  });

  it('gen ca writes nothing when the user answers n, and says so on stdout with exit 0', async () => {
    const folder = freshFolder();
    const result = await tcld(GEN_CA, { cwd: folder, input: 'n\n' });
    assertExit(result, 0);
    assert.match(result.stdout, /nothing was written/);
    assert.deepEqual(listing(folder), []);
  });

  it('gen ca fails (exit 1) and writes nothing when input ends without an answer, naming --auto_confirm', async () => {
    const folder = freshFolder();
    const result = await tcld(GEN_CA, { cwd: folder });
    assertExit(result, 1);
    assert.match(result.stderr, KEY_PROMPT);
    assert.match(result.stderr, /^error: no answer to the question above \(the input ended\): pass --auto_confirm to confirm without being asked$/m);
    assert.equal(result.stdout, '');
    assert.deepEqual(listing(folder), []);
  });

  it('gen ca asks again after an answer that is neither y nor n', async () => {
    const folder = freshFolder();
    const result = await tcld(GEN_CA, { cwd: folder, input: 'maybe\ny\n' });
    assertExit(result, 0);
    assert.match(result.stderr, /invalid keypress/);
    assert.equal(count(result.stderr, KEY_PROMPT), 2, result.stderr);
    assert.deepEqual(listing(folder), ['ca.key', 'ca.pem']);
  });

  it('gen ca takes "yes" and "Y" as yes', async () => {
    for (const answer of ['yes', 'Y']) {
      const folder = freshFolder();
      const result = await tcld(GEN_CA, { cwd: folder, input: `${answer}\n` });
      assertExit(result, 0);
      assert.deepEqual(listing(folder), ['ca.key', 'ca.pem'], `answer ${answer}`);
    }
  });

  it('gen ca asks before overwriting an existing certificate file, and y, y overwrites it', async () => {
    const folder = freshFolder();
    writeFileSync(join(folder, 'ca.pem'), OLD);
    const result = await tcld(GEN_CA, { cwd: folder, input: 'y\ny\n' });
    assertExit(result, 0);
    assert.match(result.stderr, /file already exists at path ca\.pem, do you want to overwrite: \[y\/n\]\n/);
    assert.equal(readCertificate(join(folder, 'ca.pem')).ca, true);
    assert.deepEqual(listing(folder), ['ca.key', 'ca.pem']);
  });

  it('gen ca leaves an existing file untouched and writes nothing when the user declines to overwrite', async () => {
    const folder = freshFolder();
    writeFileSync(join(folder, 'ca.pem'), OLD);
    const result = await tcld(GEN_CA, { cwd: folder, input: 'n\n' });
    assertExit(result, 0);
    assert.match(result.stdout, /nothing was written/);
    assert.equal(readFileSync(join(folder, 'ca.pem'), 'utf8'), OLD);
    assert.deepEqual(listing(folder), ['ca.pem']);
  });

  it('gen ca asks about each existing file, then about the key, and overwrites both after three y', async () => {
    const folder = freshFolder();
    writeFileSync(join(folder, 'ca.pem'), OLD);
    writeFileSync(join(folder, 'ca.key'), OLD);
    const result = await tcld(GEN_CA, { cwd: folder, input: 'y\ny\ny\n' });
    assertExit(result, 0);
    assert.match(result.stderr, /at path ca\.pem, do you want to overwrite[\s\S]*at path ca\.key, do you want to overwrite[\s\S]*storing/);
    assert.notEqual(readFileSync(join(folder, 'ca.key'), 'utf8'), OLD);
    assert.notEqual(readFileSync(join(folder, 'ca.pem'), 'utf8'), OLD);
  });

  it('gen ca leaves both existing files untouched when input ends after the first y (exit 1)', async () => {
    const folder = freshFolder();
    writeFileSync(join(folder, 'ca.pem'), OLD);
    writeFileSync(join(folder, 'ca.key'), OLD);
    const result = await tcld(GEN_CA, { cwd: folder, input: 'y\n' });
    assertExit(result, 1);
    assert.equal(readFileSync(join(folder, 'ca.pem'), 'utf8'), OLD);
    assert.equal(readFileSync(join(folder, 'ca.key'), 'utf8'), OLD);
    assert.deepEqual(listing(folder), ['ca.key', 'ca.pem']);
  });

  it('gen ca with --auto_confirm overwrites existing files without asking', async () => {
    const folder = freshFolder();
    writeFileSync(join(folder, 'ca.pem'), OLD);
    const result = await tcld([...GEN_CA, '--auto_confirm'], { cwd: folder });
    assertExit(result, 0);
    assert.equal(result.stderr, '');
    assert.equal(readCertificate(join(folder, 'ca.pem')).ca, true);
  });

  it('gen leaf asks before storing its key, and writes nothing when the user answers n', async () => {
    const folder = freshFolder();
    await makeCa(folder, 'ca.pem', 'ca.key');
    const result = await tcld(GEN_LEAF, { cwd: folder, input: 'n\n' });
    assertExit(result, 0);
    assert.match(result.stderr, /storing the end entity certificate \(private\) key at client\.key, do not share this key .*\[y\/n\]\n/);
    assert.match(result.stdout, /nothing was written/);
    assert.deepEqual(listing(folder), ['ca.key', 'ca.pem']);
  });
});
