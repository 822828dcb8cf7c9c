import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { lineDiff } from './line-diff.js';

describe('lineDiff', () => {
  it('marks every line as kept, removed or added, in order', () => {
    assert.deepEqual(lineDiff('a\nb\nc', 'a\nx\nc\nd'), [' a', '-b', '+x', ' c', '+d']);
  });

  it('shows a whole text removed, or a whole text added', () => {
    assert.deepEqual(lineDiff('{}', '{\n  "x": 1\n}'), ['-{}', '+{', '+  "x": 1', '+}']);
    assert.deepEqual(lineDiff('same', 'same'), [' same']);
  });
});
