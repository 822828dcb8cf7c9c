import assert from 'node:assert/strict';
import { PassThrough, Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { createConfirm } from './prompt.js';

function confirmOver(input: string, autoConfirm = false) {
  const output = new PassThrough();
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

  it('asks again after any other answer', async () => {
    const { confirm, shown } = confirmOver('maybe\ny\n');
    assert.equal(await confirm.ask('overwrite?'), true);
    assert.equal(shown(), 'overwrite? [y/n] invalid keypress, it does not match a boolean\noverwrite? [y/n] ');
  });

  it('takes the end of input as no', async () => {
    const { confirm } = confirmOver('');
    assert.equal(await confirm.ask('store key?'), false);
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
