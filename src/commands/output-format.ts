/**
 * `--output` for the Cloud Ops API commands, and what their handlers hand the CLI to print. Each
 * command lists its values in one exported constant, the default first.
 */
import { UsageError } from '../errors.js';

/**
 * json: the JSON Go tcld prints (its field names and enum spellings), for its scripts;
 * table: columns for people; api: the Cloud Ops API's own JSON for the message.
 */
export type OutputFormat = 'json' | 'table' | 'api';

/** The --output value given, or the command's default (the first allowed); anything else is a usage error. */
export function chooseOutput<T extends OutputFormat>(given: string | undefined, allowed: readonly T[]): T {
  if (given === undefined || given === '') return allowed[0]!;
  const found = allowed.find((value) => value === given);
  if (found === undefined) throw new UsageError(`--output must be ${listOf(allowed)}, not ${given}`);
  return found;
}

function listOf(values: readonly string[]): string {
  return values.length === 1 ? values[0]! : `${values.slice(0, -1).join(', ')} or ${values.at(-1)}`;
}

/** How JSON is indented: tcld's jsonpb output uses a tab, its encoding/json output 4 spaces; ours 2. */
export const TCLD_PROTO_INDENT = '\t';
export const TCLD_OBJECT_INDENT = 4;
export const API_INDENT = 2;

/**
 * What a reading command returns for the CLI to print: a JSON document, or a table; notes (warnings,
 * the next page's token for a table) go to stderr.
 */
export type Printable = ({ format: 'json'; value: unknown; indent: string | number } | { format: 'table'; header: string[]; rows: string[][] }) & {
  notes?: string[];
};

export function printJson(value: unknown, indent: string | number, notes: string[] = []): Printable {
  return { format: 'json', value, indent, notes };
}
