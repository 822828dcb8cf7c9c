/**
 * PEM armor (RFC 7468): base64 of the DER in 64-character lines between labelled boundaries.
 * Reading it is linear in the input whatever it holds (no backtracking regular expression runs over
 * it): a request or a file of many unended -----BEGIN lines costs one pass, not one pass per line.
 */

const LINE = 64;

export function toPem(label: string, der: Uint8Array): string {
  const base64 = Buffer.from(der.buffer, der.byteOffset, der.byteLength).toString('base64');
  const lines: string[] = [];
  for (let i = 0; i < base64.length; i += LINE) lines.push(base64.slice(i, i + LINE));
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

export interface PemBlock {
  label: string;
  /** The decoded content; empty when `base64` is false. */
  der: Uint8Array;
  /** False when the content between the lines is not strict base64 (RFC 4648 alphabet, padded, whitespace aside). */
  base64: boolean;
}

export interface PemScan {
  /** Every complete block, in order. */
  blocks: PemBlock[];
  /** -----BEGIN lines that start no complete block: unended, or inside another block. */
  unended: number;
}

const BEGIN = '-----BEGIN ';
const END = '-----END ';
const DASHES = '-----';

/** Every PEM block in the text, in order; text between blocks is ignored, as openssl does. */
export function parsePemBlocks(text: string): PemBlock[] {
  return scanPem(text).blocks;
}

/**
 * The blocks of the text and how many -----BEGIN lines start none. A block runs from `-----BEGIN L-----`
 * to the first `-----END L-----` after it (L: capitals, digits and spaces); -----BEGIN lines inside it
 * count as unended. One pass finds every END line first, so matching each BEGIN costs no rescan.
 */
export function scanPem(text: string): PemScan {
  const ends = boundaries(text, END);
  const nextEnd = new Map<string, number>(); // per label, the index in its END positions not yet passed
  const blocks: PemBlock[] = [];
  let begins = 0;
  let counted = 0; // BEGIN lines are counted without overlap: one's closing dashes do not open another
  let resume = 0; // where the last block ended: BEGIN lines before it were inside it
  for (let found = text.indexOf(BEGIN); found >= 0; found = text.indexOf(BEGIN, found + BEGIN.length)) {
    const label = labelAt(text, found + BEGIN.length);
    if (label === undefined) continue;
    if (found >= counted) {
      begins++;
      counted = found + BEGIN.length + label.length + DASHES.length;
    }
    if (found < resume) continue;
    const contentStart = found + BEGIN.length + label.length + DASHES.length;
    const positions = ends.get(label);
    let index = nextEnd.get(label) ?? 0;
    while (positions && index < positions.length && positions[index]! < contentStart) index++;
    nextEnd.set(label, index);
    if (!positions || index === positions.length) continue;
    const end = positions[index]!;
    blocks.push({ label, ...decodeBase64(text.slice(contentStart, end)) });
    resume = end + END.length + label.length + DASHES.length;
  }
  return { blocks, unended: begins - blocks.length };
}

/** The label of a boundary line whose label starts at `start`, when `-----` ends it. */
function labelAt(text: string, start: number): string | undefined {
  let end = start;
  while (end < text.length && isLabelCharacter(text.charCodeAt(end))) end++;
  if (end === start || !text.startsWith(DASHES, end)) return undefined;
  return text.slice(start, end);
}

/** [A-Z0-9 ]: the labels RFC 7468 registers and openssl writes. */
function isLabelCharacter(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x30 && code <= 0x39) || code === 0x20;
}

/** The positions of every `<marker>LABEL-----` line, by label, ascending. */
function boundaries(text: string, marker: string): Map<string, number[]> {
  const found = new Map<string, number[]>();
  for (let at = text.indexOf(marker); at >= 0; at = text.indexOf(marker, at + marker.length)) {
    const label = labelAt(text, at + marker.length);
    if (label === undefined) continue;
    const list = found.get(label);
    if (list) list.push(at);
    else found.set(label, [at]);
  }
  return found;
}

const EMPTY = new Uint8Array(0);

/** Strict base64 (whitespace aside): node's decoder skips characters it does not know, which would hide damage. */
function decodeBase64(content: string): { der: Uint8Array; base64: boolean } {
  const compact = content.replace(/\s+/g, '');
  let padding = 0;
  for (let i = 0; i < compact.length; i++) {
    const code = compact.charCodeAt(i);
    if (code === 0x3d) {
      padding++;
      continue;
    }
    if (padding > 0 || !isBase64Character(code)) return { der: EMPTY, base64: false };
  }
  if (padding > 2 || compact.length % 4 !== 0) return { der: EMPTY, base64: false };
  return { der: Buffer.from(compact, 'base64'), base64: true };
}

function isBase64Character(code: number): boolean {
  return (code >= 0x41 && code <= 0x5a) || (code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39) || code === 0x2b || code === 0x2f;
}
