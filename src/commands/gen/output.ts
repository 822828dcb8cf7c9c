import { UsageError } from '../../errors.js';
import type { GeneratedCertificate } from '../../pki/ca.js';
import { parseDuration, DurationError } from '../../pki/duration.js';
import type { Deps, WrittenFiles } from '../deps.js';

/** Mode of a certificate file: public material, readable by all. */
const CERTIFICATE_MODE = 0o644;
/** Mode of a private key file: the owner's alone, from the moment it exists. */
const KEY_MODE = 0o600;

export interface OutputPaths {
  certificate: string;
  key: string;
}

/** A file the command reads, which its outputs must never replace: `{ '--ca-key-file': 'ca.key' }`. */
export type InputPaths = Record<string, string>;

/**
 * Checks the output paths and asks, as tcld does, before overwriting a file and before storing a key.
 * Resolves false when the user says no (or input ends): then nothing must be written.
 */
export async function confirmOutputs(deps: Deps, paths: OutputPaths, what: string, inputs: InputPaths = {}): Promise<boolean> {
  await refuseSameFiles(deps, paths, inputs);
  for (const path of [paths.certificate, paths.key]) {
    if ((await deps.files.inspectTarget(path)) === 'file') {
      if (!(await deps.confirm(`file already exists at path ${path}, do you want to overwrite:`))) return false;
    }
  }
  return deps.confirm(`storing the ${what} (private) key at ${paths.key}, do not share this key with anyone. confirm:`);
}

/** Compares files, not spellings: `ca.pem` and `./ca.pem` are one file, and writing both would lose one. */
async function refuseSameFiles(deps: Deps, paths: OutputPaths, inputs: InputPaths): Promise<void> {
  const [certificate, key] = await Promise.all([deps.files.identify(paths.certificate), deps.files.identify(paths.key)]);
  if (certificate === key) throw new UsageError(`the certificate and its key need two different paths, not ${paths.certificate} and ${paths.key}`);
  for (const [flag, input] of Object.entries(inputs)) {
    const id = await deps.files.identify(input);
    for (const [output, outputId] of [[paths.certificate, certificate], [paths.key, key]] as const) {
      if (id === outputId) throw new UsageError(`${output} is the ${flag} file: writing there would destroy it, choose another path`);
    }
  }
}

export async function writeOutputs(deps: Deps, paths: OutputPaths, what: string, generated: GeneratedCertificate): Promise<WrittenFiles> {
  await deps.files.writeAll([
    { path: paths.certificate, data: generated.certificatePem, mode: CERTIFICATE_MODE },
    { path: paths.key, data: generated.privateKeyPem, mode: KEY_MODE },
  ]);
  return {
    written: true,
    subject: what,
    files: [
      { path: paths.certificate, what },
      { path: paths.key, what: `${what} key` },
    ],
    notAfter: generated.notAfter,
    dnsName: generated.dnsName,
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
