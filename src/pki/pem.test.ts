import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parsePemBlocks, scanPem, toPem } from './pem.js';

/** The regular expression pem.ts used before: correct on small inputs, quadratic on many unended BEGIN lines. */
const OLD_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;
const OLD_BEGIN = /-----BEGIN [A-Z0-9 ]+-----/g;

describe('scanPem', () => {
  it('reads each block in order, ignoring text between blocks', () => {
    const text = `intro\n${toPem('CERTIFICATE', Uint8Array.of(1, 2, 3))}between\n${toPem('PRIVATE KEY', Uint8Array.of(4))}end`;
    const { blocks, unended } = scanPem(text);
    assert.deepEqual(
      blocks.map((b) => [b.label, [...b.der], b.base64]),
      [
        ['CERTIFICATE', [1, 2, 3], true],
        ['PRIVATE KEY', [4], true],
      ],
    );
    assert.equal(unended, 0);
  });

  it('ends a block only at an END line with its own label, and counts BEGIN lines inside a block as unended', () => {
    const text = '-----BEGIN A-----\nAAAA\n-----END B-----\n-----BEGIN A-----\n-----END A-----\n';
    const { blocks, unended } = scanPem(text);
    assert.equal(blocks.length, 1);
    assert.equal(unended, 1);
  });

  it('marks a block whose content is not strict base64, instead of skipping the characters it does not know', () => {
    for (const content of ['AA!A', 'AAA', 'AA=A', 'A===', '*']) {
      const [block] = parsePemBlocks(`-----BEGIN CERTIFICATE-----\n${content}\n-----END CERTIFICATE-----\n`);
      assert.equal(block?.base64, false, content);
      assert.equal(block?.der.length, 0);
    }
    assert.deepEqual([...parsePemBlocks('-----BEGIN X-----\n AQ\r\n I= \n-----END X-----')[0]!.der], [1, 2]);
  });

  it('counts 40,000 unended BEGIN lines in one pass, where the old regular expression took seconds', () => {
    const flood = '-----BEGIN CERTIFICATE-----\n'.repeat(40_000);
    assert.deepEqual(scanPem(`${flood}-----END CERTIFICATE-----\n`), { blocks: [{ label: 'CERTIFICATE', der: new Uint8Array(0), base64: false }], unended: 39_999 });
    const labels = Array.from({ length: 20_000 }, (_, i) => `-----BEGIN L${i}-----\n`).join('');
    assert.equal(scanPem(labels).unended, 20_000);
  });

  it('finds the same blocks and the same BEGIN lines as the old regular expression, on any text made of PEM pieces', () => {
    const piece = fc.constantFrom(
      '-----BEGIN CERTIFICATE-----',
      '-----END CERTIFICATE-----',
      '-----BEGIN X509 CERTIFICATE-----',
      '-----END X509 CERTIFICATE-----',
      '-----BEGIN A-----',
      '-----END A-----',
      '-----BEGIN ',
      '-----END ',
      '-----',
      'CERTIFICATE',
      'A',
      'AQI=',
      '\n',
      ' ',
      'x',
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }), (pieces) => {
        const text = pieces.join('');
        const expected = [...text.matchAll(OLD_BLOCK)].map((m) => [m[1], m[2]!.replace(/\s+/g, '')]);
        const { blocks, unended } = scanPem(text);
        assert.deepEqual(
          blocks.map((b) => [b.label, b.base64 ? Buffer.from(b.der).toString('base64') : 'invalid']),
          expected.map(([label, content]) => [label, /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(content!) ? content : 'invalid']),
        );
        assert.equal(unended, (text.match(OLD_BEGIN)?.length ?? 0) - expected.length);
      }),
      { seed: 7468, numRuns: 2000 },
    );
  });
});
