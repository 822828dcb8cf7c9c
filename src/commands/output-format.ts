/**
 * What the Cloud Ops API commands hand the CLI to print. Their `--output` values are declared once, in
 * the command table (src/cli/table/): json, the JSON Go tcld prints (its field names and enum spellings),
 * for its scripts; table, columns for people; api, the Cloud Ops API's own JSON for the message.
 */

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
