/**
 * A yes-or-no answer, rendered by the CLI's 'verdict' kind (verify, check-expiry, connectivity test): exit 0 for
 * yes, 1 for no. As text, the lines on stdout for yes, on stderr for no. With `json` set, that JSON goes to
 * stdout either way, with the same exit code, so scripts read one document and still test the status.
 */
export interface Verdict {
  ok: boolean;
  lines: string[];
  json?: unknown;
}
