/**
 * Where JSON text first breaks the grammar (RFC 8259), and how, in words that quote none of it: an
 * error about a file must not print the file (it may be a key or a token given by mistake). Node's own
 * JSON.parse messages quote the text around the error. One pass, no recursion: nesting depth costs nothing.
 */

export interface JsonSyntaxError {
  /** Offset in the text (UTF-16 code units) where the problem is. */
  offset: number;
  /** What is wrong there: `an unexpected character`, `the text ends inside a string`, … */
  problem: string;
  line: number;
  column: number;
}

type State = 'value' | 'value-or-close' | 'key' | 'key-or-close' | 'colon' | 'comma-or-close' | 'end';

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const HEX4 = /[0-9a-fA-F]{4}/y;

/** The first syntax error of `text` as JSON, or undefined when the text is valid JSON. */
export function findJsonSyntaxError(text: string): JsonSyntaxError | undefined {
  const open: Array<'object' | 'array'> = [];
  let state: State = 'value';
  let i = 0;
  const fail = (offset: number, problem: string) => at(text, offset, problem);
  const afterValue = (): State => (open.length === 0 ? 'end' : 'comma-or-close');
  for (;;) {
    while (i < text.length && ' \t\n\r'.includes(text[i]!)) i++;
    if (i >= text.length) return state === 'end' ? undefined : fail(i, 'the text ends before the JSON does');
    const c = text[i]!;
    switch (state) {
      case 'end':
        return fail(i, 'there is more text after the JSON value');
      case 'colon':
        if (c !== ':') return fail(i, "a ':' is missing after a property name");
        i++;
        state = 'value';
        continue;
      case 'comma-or-close': {
        const top = open[open.length - 1];
        if (c === ',') {
          i++;
          state = top === 'object' ? 'key' : 'value';
        } else if ((c === '}' && top === 'object') || (c === ']' && top === 'array')) {
          i++;
          open.pop();
          state = afterValue();
        } else {
          return fail(i, `a ',' or '${top === 'object' ? '}' : ']'}' is missing`);
        }
        continue;
      }
      case 'key':
      case 'key-or-close':
        if (c === '}' && state === 'key-or-close') {
          i++;
          open.pop();
          state = afterValue();
          continue;
        }
        if (c !== '"') return fail(i, 'a property name in double quotes is missing');
        {
          const end = scanString(text, i);
          if (typeof end !== 'number') return fail(end.offset, end.problem);
          i = end;
        }
        state = 'colon';
        continue;
      case 'value':
      case 'value-or-close': {
        if (c === ']' && state === 'value-or-close') {
          i++;
          open.pop();
          state = afterValue();
          continue;
        }
        if (c === '{' || c === '[') {
          open.push(c === '{' ? 'object' : 'array');
          state = c === '{' ? 'key-or-close' : 'value-or-close';
          i++;
          continue;
        }
        if (c === '"') {
          const end = scanString(text, i);
          if (typeof end !== 'number') return fail(end.offset, end.problem);
          i = end;
        } else if (c === '-' || (c >= '0' && c <= '9')) {
          NUMBER.lastIndex = i;
          if (!NUMBER.test(text)) return fail(i, 'a number is malformed');
          i = NUMBER.lastIndex;
        } else {
          const literal = ['true', 'false', 'null'].find((word) => text.startsWith(word, i));
          if (!literal) return fail(i, 'an unexpected character stands where a value should');
          i += literal.length;
        }
        state = afterValue();
        continue;
      }
    }
  }
}

/** The offset after the string opening at `start`, or where and why it breaks. */
function scanString(text: string, start: number): number | { offset: number; problem: string } {
  for (let j = start + 1; j < text.length; j++) {
    const code = text.charCodeAt(j);
    if (code === 0x22) return j + 1;
    if (code < 0x20) return { offset: j, problem: 'a control character (such as a line break) is inside a string' };
    if (code === 0x5c) {
      const next = text[j + 1];
      if (next === 'u') {
        HEX4.lastIndex = j + 2;
        if (!HEX4.test(text)) return { offset: j, problem: 'a \\u escape lacks its four hex digits' };
        j += 5;
      } else if (next !== undefined && '"\\/bfnrt'.includes(next)) {
        j++;
      } else {
        return { offset: j, problem: 'a backslash escape is invalid' };
      }
    }
  }
  return { offset: start, problem: 'a string is never closed' };
}

function at(text: string, offset: number, problem: string): JsonSyntaxError {
  let line = 1;
  let lineStart = 0;
  for (let k = text.indexOf('\n'); k >= 0 && k < offset; k = text.indexOf('\n', k + 1)) {
    line++;
    lineStart = k + 1;
  }
  return { offset, problem, line, column: offset - lineStart + 1 };
}
