import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PKCS12_KDF_PURPOSE, bmpPassword, pkcs12Kdf } from './pkcs12-kdf.js';

// Published PKCS#12 KDF vectors (SHA-1), as used by OpenSSL's and Bouncy Castle's tests.
const VECTORS = [
  { password: 'smeg', salt: '0a58cf64530d823f', purpose: 'key', iterations: 1, expected: '8aaae6297b6cb04642ab5b077851284eb7128f1a2a7fbca3' },
  { password: 'smeg', salt: '0a58cf64530d823f', purpose: 'iv', iterations: 1, expected: '79993dfe048d3b76' },
  { password: 'smeg', salt: '642b99ab44fb4b1f', purpose: 'key', iterations: 1, expected: 'f3a95fec48d7711e985cfe67908c5ab79fa3d7c5caa5d966' },
  { password: 'smeg', salt: '642b99ab44fb4b1f', purpose: 'iv', iterations: 1, expected: 'c0a38d64a79bea1d' },
  { password: 'queeg', salt: '05dec959acff72f7', purpose: 'key', iterations: 1000, expected: 'ed2034e36328830ff09df1e1a07dd357185dac0d4f9eb3d4' },
] as const;

describe('pkcs12Kdf', () => {
  it('derives the published test vectors', () => {
    for (const vector of VECTORS) {
      const derived = pkcs12Kdf({
        hash: 'sha1',
        password: bmpPassword(vector.password),
        salt: Buffer.from(vector.salt, 'hex'),
        iterations: vector.iterations,
        purpose: PKCS12_KDF_PURPOSE[vector.purpose],
        length: vector.expected.length / 2,
      });
      assert.equal(derived.toString('hex'), vector.expected, `${vector.password} ${vector.salt} ${vector.purpose}`);
    }
  });

  it('derives more than one hash output when asked for a long key', () => {
    const options = { hash: 'sha256', password: bmpPassword('pw'), salt: Buffer.alloc(8, 1), iterations: 3, purpose: PKCS12_KDF_PURPOSE.mac } as const;
    const long = pkcs12Kdf({ ...options, length: 80 });
    assert.equal(long.length, 80);
    assert.deepEqual(long.subarray(0, 32), pkcs12Kdf({ ...options, length: 32 }));
  });
});

describe('bmpPassword', () => {
  it('writes big-endian UTF-16 with a terminating zero character', () => {
    assert.equal(bmpPassword('ab').toString('hex'), '006100620000');
  });
});
