import { UsageError } from '../../errors.js';
import type { OutputFile } from '../../io/files.js';
import { parseDuration, DurationError } from '../../pki/duration.js';
import type { Deps, WrittenFiles } from '../deps.js';

/** Mode of a certificate file: public material, readable by all. */
const CERTIFICATE_MODE = 0o644;
/** Mode of a private key file: the owner's alone, from the moment it exists. */
const KEY_MODE = 0o600;

/** Where a command writes: the document (certificate or request) and, unless it issues for a request, its private key. */
export interface OutputPaths {
  certificate: string;
  key?: string;
  /** Further files written with these, all or none (a PKCS#12 copy): each asked about like the others. */
  extras?: readonly string[];
}

/** What a command writes: the document's PEM and, when there is a key path, the key's. */
export interface OutputContents {
  certificatePem: string;
  privateKeyPem?: string;
  /** A certificate's expiry and SAN DNS name; a certificate request has neither. */
  notAfter?: Date;
  dnsName?: string;
}

/** A further output: its bytes, its mode, and what it is ("end entity certificate PKCS#12 file"). */
export interface ExtraOutput {
  path: string;
  data: Uint8Array;
  mode: number;
  what: string;
}

/** Mode of a file holding a private key, even an encrypted one such as a PKCS#12 file. */
export const PRIVATE_FILE_MODE = KEY_MODE;

/** A file the command reads, which its outputs must never replace: `{ '--ca-key-file': 'ca.key' }`. */
export type InputPaths = Record<string, string>;

/**
 * Checks the output paths and asks, as tcld does, before overwriting a file and before storing a key.
 * Resolves false when the user says no (or input ends): then nothing must be written.
 */
export async function confirmOutputs(deps: Deps, paths: OutputPaths, what: string, inputs: InputPaths = {}): Promise<boolean> {
  await refuseSameFiles(deps, paths, what, inputs);
  for (const path of outputsOf(paths)) {
    if ((await deps.files.inspectTarget(path)) === 'file') {
      if (!(await deps.confirm(`file already exists at path ${path}, do you want to overwrite:`))) return false;
    }
  }
  if (paths.key === undefined) return true;
  return deps.confirm(`storing the ${what} (private) key at ${paths.key}, do not share this key with anyone. confirm:`);
}

/** Compares files, not spellings: `ca.pem` and `./ca.pem` are one file, and writing both would lose one. */
async function refuseSameFiles(deps: Deps, paths: OutputPaths, what: string, inputs: InputPaths): Promise<void> {
  const outputs = await Promise.all(outputsOf(paths).map(async (path) => [path, await deps.files.identify(path)] as const));
  if (paths.key !== undefined && outputs[0]![1] === outputs[1]![1]) {
    const noun = what.endsWith('request') ? 'request' : 'certificate';
    throw new UsageError(`the ${noun} and its key need two different paths, not ${paths.certificate} and ${paths.key}`);
  }
  const seen = outputs.slice(0, paths.key === undefined ? 1 : 2);
  for (const [extra, id] of outputs.slice(seen.length)) {
    const same = seen.find(([, other]) => other === id);
    if (same) throw new UsageError(`${extra} and ${same[0]} are one file: each output needs its own path`);
    seen.push([extra, id]);
  }
  for (const [flag, input] of Object.entries(inputs)) {
    const id = await deps.files.identify(input);
    for (const [output, outputId] of outputs) {
      if (id === outputId) throw new UsageError(`${output} is the ${flag} file: writing there would destroy it, choose another path`);
    }
  }
}

function outputsOf(paths: OutputPaths): string[] {
  return [paths.certificate, ...(paths.key === undefined ? [] : [paths.key]), ...(paths.extras ?? [])];
}

/**
 * Writes the document 0644, its key (if any) 0600 and the extras (whose paths confirmOutputs was given),
 * all or none; a SIGINT/SIGTERM meanwhile puts the previous files back and ends in InterruptedError.
 */
export async function writeOutputs(
  deps: Deps,
  paths: OutputPaths,
  what: string,
  generated: OutputContents,
  extras: readonly ExtraOutput[] = [],
): Promise<WrittenFiles> {
  const files: OutputFile[] = [{ path: paths.certificate, data: generated.certificatePem, mode: CERTIFICATE_MODE }];
  if (paths.key !== undefined) {
    if (generated.privateKeyPem === undefined) throw new Error(`no private key to write at ${paths.key}`);
    files.push({ path: paths.key, data: generated.privateKeyPem, mode: KEY_MODE });
  }
  const named = files.map((file) => ({ path: file.path, what: file.path === paths.certificate ? what : `${what} key` }));
  files.push(...extras);
  await deps.files.writeAll(files, { signal: deps.signal });
  return {
    written: true,
    subject: what,
    files: [...named, ...extras.map((extra) => ({ path: extra.path, what: extra.what }))],
    ...(generated.notAfter ? { notAfter: generated.notAfter } : {}),
    ...(generated.dnsName ? { dnsName: generated.dnsName } : {}),
  };
}

/** A --validity-period value; a malformed one is a usage error naming the flag. */
export function parseValidityFlag(text: string): number {
  try {
    return parseDuration(text);
  } catch (error) {
    if (error instanceof DurationError) throw new UsageError(`failed to parse validity-period: ${error.message}`);
    throw error;
  }
}
