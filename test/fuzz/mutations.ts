/**
 * Damaged inputs for the parser fuzz test: a valid PEM or DER seed (a certificate, a chain, a key, a
 * request) and a list of mutations drawn by fast-check, applied first to the DER, then to the file's
 * bytes. Each mutation is data, so a failing case prints what was done to which seed.
 */
import fc from 'fast-check';
import { toPem } from '../../src/pki/pem.js';

/** One valid input: its DER blocks (armored under `label`, or written as raw DER when there is one block). */
export interface Seed {
  name: string;
  label: string;
  ders: Uint8Array[];
}

export type DerMutation =
  | { kind: 'flip-bits'; at: number; mask: number }
  | { kind: 'set-byte'; at: number; value: number }
  | { kind: 'truncate-der'; at: number }
  | { kind: 'insert-bytes'; at: number; bytes: number[] }
  | { kind: 'delete-bytes'; at: number; count: number };

export type TextMutation =
  | { kind: 'truncate-text'; at: number }
  | { kind: 'flip-text'; at: number; mask: number }
  | { kind: 'wrong-label'; end: boolean; label: string }
  | { kind: 'huge-base64'; times: number }
  | { kind: 'non-utf8'; at: number; bytes: number[] }
  | { kind: 'begin-flood'; lines: number; label: string; ended: boolean }
  | { kind: 'delete-text'; at: number; count: number }
  | { kind: 'whitespace-only' };

export interface Mutant {
  seed: number;
  der: DerMutation[];
  /** Written as raw DER (the first block) instead of PEM. */
  raw: boolean;
  text: TextMutation[];
}

const LABELS = ['CERTIFICATE', 'X509 CERTIFICATE', 'PRIVATE KEY', 'EC PRIVATE KEY', 'RSA PRIVATE KEY', 'CERTIFICATE REQUEST', 'ENCRYPTED PRIVATE KEY', 'PUBLIC KEY', 'TRUSTED CERTIFICATE', 'CERTIFICATE ', 'X'];
const NASTY_BYTES = [0x00, 0x7f, 0x80, 0x81, 0x82, 0x84, 0xa0, 0xff];

const position = fc.nat({ max: 1 << 20 });

const derMutation: fc.Arbitrary<DerMutation> = fc.oneof(
  fc.record({ kind: fc.constant('flip-bits' as const), at: position, mask: fc.integer({ min: 1, max: 255 }) }),
  fc.record({ kind: fc.constant('set-byte' as const), at: position, value: fc.oneof(fc.constantFrom(...NASTY_BYTES), fc.integer({ min: 0, max: 255 })) }),
  fc.record({ kind: fc.constant('truncate-der' as const), at: position }),
  fc.record({ kind: fc.constant('insert-bytes' as const), at: position, bytes: fc.array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 8 }) }),
  fc.record({ kind: fc.constant('delete-bytes' as const), at: position, count: fc.integer({ min: 1, max: 16 }) }),
);

const textMutation: fc.Arbitrary<TextMutation> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('truncate-text' as const), at: position }) },
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('flip-text' as const), at: position, mask: fc.integer({ min: 1, max: 255 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('wrong-label' as const), end: fc.boolean(), label: fc.oneof(fc.constantFrom(...LABELS), fc.stringMatching(/^[A-Z0-9 ]{1,12}$/)) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('huge-base64' as const), times: fc.integer({ min: 50, max: 1500 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('non-utf8' as const), at: position, bytes: fc.array(fc.constantFrom(0xff, 0xfe, 0xc3, 0x28, 0xed, 0xa0, 0x80, 0xc0, 0xf8), { minLength: 1, maxLength: 6 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('begin-flood' as const), lines: fc.integer({ min: 1, max: 40_000 }), label: fc.constantFrom('CERTIFICATE', 'CERTIFICATE REQUEST', 'PRIVATE KEY', 'A'), ended: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('delete-text' as const), at: position, count: fc.integer({ min: 1, max: 64 }) }) },
  { weight: 1, arbitrary: fc.constant({ kind: 'whitespace-only' as const }) },
);

/** A seed (by index among `count`) and what is done to it: no DER mutation and no text mutation is a valid input, kept on purpose. */
export function mutantOf(count: number): fc.Arbitrary<Mutant> {
  return fc.record({
    seed: fc.nat({ max: count - 1 }),
    der: fc.array(derMutation, { maxLength: 3 }),
    raw: fc.boolean(),
    text: fc.array(textMutation, { maxLength: 2 }),
  });
}

/** The file's bytes: the seed's DER mutated, armored (or raw), then the text mutated. */
export function applyMutant(seed: Seed, mutant: Mutant): Buffer {
  const ders = seed.ders.map((der, index) => (index === 0 ? mutant.der.reduce(mutateDer, Buffer.from(der)) : Buffer.from(der)));
  let bytes = mutant.raw ? ders[0]! : Buffer.from(ders.map((der) => toPem(seed.label, der)).join(''), 'latin1');
  for (const mutation of mutant.text) bytes = mutateText(bytes, mutation, seed.label);
  return bytes;
}

function mutateDer(der: Buffer, mutation: DerMutation): Buffer {
  if (der.length === 0) return der;
  const at = mutation.at % der.length;
  switch (mutation.kind) {
    case 'flip-bits': {
      const copy = Buffer.from(der);
      copy[at] = copy[at]! ^ mutation.mask;
      return copy;
    }
    case 'set-byte': {
      const copy = Buffer.from(der);
      copy[at] = mutation.value;
      return copy;
    }
    case 'truncate-der':
      return der.subarray(0, at);
    case 'insert-bytes':
      return Buffer.concat([der.subarray(0, at), Buffer.from(mutation.bytes), der.subarray(at)]);
    case 'delete-bytes':
      return Buffer.concat([der.subarray(0, at), der.subarray(at + mutation.count)]);
  }
}

function mutateText(bytes: Buffer, mutation: TextMutation, label: string): Buffer {
  const at = bytes.length === 0 ? 0 : mutation.kind !== 'wrong-label' && 'at' in mutation ? mutation.at % bytes.length : 0;
  switch (mutation.kind) {
    case 'truncate-text':
      return bytes.subarray(0, at);
    case 'flip-text': {
      if (bytes.length === 0) return bytes;
      const copy = Buffer.from(bytes);
      copy[at] = copy[at]! ^ mutation.mask;
      return copy;
    }
    case 'wrong-label': {
      const boundary = `-----${mutation.end ? 'END' : 'BEGIN'} ${label}-----`;
      return Buffer.from(bytes.toString('latin1').replace(boundary, `-----${mutation.end ? 'END' : 'BEGIN'} ${mutation.label}-----`), 'latin1');
    }
    case 'huge-base64': {
      const text = bytes.toString('latin1');
      const body = /-----\n([\s\S]*?)\n-----END/.exec(text)?.[1];
      if (!body) return bytes;
      return Buffer.from(text.replace(body, `${body}\n`.repeat(mutation.times).trimEnd()), 'latin1');
    }
    case 'non-utf8':
      return Buffer.concat([bytes.subarray(0, at), Buffer.from(mutation.bytes), bytes.subarray(at)]);
    case 'begin-flood': {
      const line = `-----BEGIN ${mutation.label}-----\n`;
      const flood = Buffer.from(line.repeat(mutation.lines), 'latin1');
      return mutation.ended ? Buffer.concat([bytes, flood]) : Buffer.concat([flood, bytes]);
    }
    case 'delete-text':
      return Buffer.concat([bytes.subarray(0, at), bytes.subarray(at + mutation.count)]);
    case 'whitespace-only':
      return Buffer.from(' \n\t\r\n');
  }
}
