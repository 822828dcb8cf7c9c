/**
 * Temporal Cloud's rules for a namespace name (the part before `.<account>`), as docs.temporal.io
 * (Cloud › Namespaces › "What is a Cloud Namespace Name?") states them: 2 to 39 characters; lowercase
 * letters, digits and the hyphen; a letter first, a letter or digit last; no two hyphens in a row
 * ("each hyphen must be immediately preceded and followed by a letter or number"). Pure: the CLI checks
 * before sending and the emulator's CreateNamespace refuses with the same words.
 */

export const NAME_MIN = 2;
export const NAME_MAX = 39;

export type NameProblemCode = 'length' | 'character' | 'first' | 'last' | 'hyphens' | 'account-suffix';

export type NameVerdict = { ok: true } | { ok: false; code: NameProblemCode; message: string };

const RULES = `use ${NAME_MIN} to ${NAME_MAX} lowercase letters, digits and hyphens, starting with a letter and ending with a letter or digit`;

export function checkNamespaceName(name: string): NameVerdict {
  const problem = (code: NameProblemCode, why: string): NameVerdict => ({ ok: false, code, message: `namespace name ${quoted(name)} ${why}: ${RULES}` });
  if (name.includes('.') && /^[a-z][a-z0-9-]*\.[a-z0-9]+$/.test(name)) {
    return problem('account-suffix', `is a namespace ID: give the name alone (${quoted(name.split('.')[0]!)}); Temporal Cloud adds .<account>`);
  }
  if (name.length < NAME_MIN || name.length > NAME_MAX) return problem('length', `has ${name.length} characters`);
  const bad = /[^a-z0-9-]/.exec(name);
  if (bad) return problem('character', `contains ${quoted(bad[0])}`);
  if (!/^[a-z]/.test(name)) return problem('first', 'does not start with a letter');
  if (name.endsWith('-')) return problem('last', 'ends with a hyphen');
  if (name.includes('--')) return problem('hyphens', 'has two hyphens in a row');
  return { ok: true };
}

/** A value from input in quotes, cut when long: a message names what was given, it does not echo it back. */
function quoted(value: string): string {
  return JSON.stringify(value.length > 64 ? `${value.slice(0, 64)}…` : value);
}
