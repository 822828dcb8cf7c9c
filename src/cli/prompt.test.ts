import assert from 'node:assert/strict';
import { PassThrough, Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { errorKind } from '../errors.js';
import { createConfirm } from './prompt.js';

function confirmOver(input: string, autoConfirm = false, terminal = false) {
  const output = Object.assign(new PassThrough(), terminal ? { isTTY: true } : {});
  let shown = '';
  output.on('data', (chunk) => (shown += chunk));
  const confirm = createConfirm({ input: Readable.from([input]), output }, autoConfirm);
  return { confirm, shown: () => shown };
}

describe('createConfirm', () => {
  it('takes y, yes, n and no in any case, one line per question', async () => {
    const { confirm } = confirmOver('y\nNO\nYes\nn\n');
    assert.deepEqual([await confirm.ask('a'), await confirm.ask('b'), await confirm.ask('c'), await confirm.ask('d')], [true, false, true, false]);
  });

  it('asks again after any other answer, on the same line as the question on a terminal', async () => {
    const { confirm, shown } = confirmOver('maybe\ny\n', false, true);
    assert.equal(await confirm.ask('overwrite?'), true);
    assert.equal(shown(), 'overwrite? [y/n] invalid keypress, it does not match a boolean\noverwrite? [y/n] ');
  });

  it('ends the question with a newline when the output is not a terminal (a CI log)', async () => {
    const { confirm, shown } = confirmOver('n\n');
    assert.equal(await confirm.ask('overwrite?'), false);
    assert.equal(shown(), 'overwrite? [y/n]\n');
  });

  it('refuses the end of input as an answer, naming --auto_confirm (a user error, exit 1)', async () => {
    const { confirm } = confirmOver('');
    await assert.rejects(confirm.ask('store key?'), (e: Error) => errorKind(e) === 'user' && /input ended.*--auto_confirm/.test(e.message));
  });

  it('answers yes without asking when auto-confirmed', async () => {
    const { confirm, shown } = confirmOver('n\n', true);
    assert.equal(await confirm.ask('store key?'), true);
    assert.equal(shown(), '');
  });
});

describe('createConfirm › secret', () => {
  it('reads a secret as a line from a pipe, sharing the input with the yes/no questions, even when auto-confirmed', async () => {
    const { confirm, shown } = confirmOver('s3cret\nagain\ny\n', true);
    assert.equal(await confirm.secret('passphrase:'), 's3cret');
    assert.equal(await confirm.secret('again:'), 'again');
    assert.equal(await confirm.ask('store?'), true);
    assert.equal(shown(), 'passphrase: \nagain: \n');
  });

  it('gives undefined at the end of input', async () => {
    const { confirm } = confirmOver('');
    assert.equal(await confirm.secret('passphrase:'), undefined);
  });
});
