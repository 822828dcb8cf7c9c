/** Flags that several commands share, declared once. */
import type { FlagMap, StringFlag } from '../spec.js';

/** `--output`/`-o` with the values one command takes; the first is the default. */
export function outputFlag<const C extends readonly [string, ...string[]]>(choices: C, description: string) {
  return { names: ['--output', '-o'], kind: 'string', choices, default: choices[0], description } as const satisfies StringFlag;
}

export const ORGANIZATION = { names: ['--organization', '--org'], kind: 'string', required: true, description: 'The name of the organization' } as const;

export const ORGANIZATION_UNIT = {
  names: ['--organization-unit', '--organizational-unit'],
  kind: 'string',
  description: 'The name of the organizational unit (optional)',
} as const;

export const COMMON_NAME = { names: ['--common-name'], kind: 'string', description: 'The common name (optional)' } as const;

export const RSA = {
  names: ['--rsa-algorithm', '--rsa'],
  kind: 'boolean',
  description: 'Generates a 4096-bit RSA keypair instead of an ECDSA P-384 keypair (the recommended default)',
} as const;

/** How a protected CA key's passphrase is given. */
export const CA_KEY_PASSPHRASE_FLAGS = {
  caKeyPassphraseFile: { names: ['--ca-key-passphrase-file'], kind: 'string', description: "A file holding the CA key's passphrase (one trailing newline is ignored)" },
  caKeyPassphraseEnv: { names: ['--ca-key-passphrase-env'], kind: 'string', description: "The name of an environment variable holding the CA key's passphrase" },
  caKeyPassphrasePrompt: { names: ['--ca-key-passphrase-prompt'], kind: 'boolean', description: "Ask for the CA key's passphrase (hidden input)" },
} as const satisfies FlagMap;

export const NAMESPACE = {
  names: ['--namespace', '-n'],
  kind: 'string',
  required: true,
  env: 'TEMPORAL_CLOUD_NAMESPACE',
  description: 'The namespace, e.g. myns.acct',
} as const;

/** Every namespace mutation's flags: tcld's request id and resource version, plus --wait (--idempotent is global). */
export const MUTATION_FLAGS = {
  namespace: NAMESPACE,
  requestId: { names: ['--request-id', '-r'], kind: 'string', description: 'The request ID (async operation ID) to use; default a random one' },
  resourceVersion: {
    names: ['--resource-version', '-v'],
    kind: 'string',
    description: 'Update only if the namespace is at this resource version; default the latest, re-reading on conflicts',
  },
  wait: { names: ['--wait'], kind: 'boolean', description: 'Wait until the request has finished' },
} as const satisfies FlagMap;

export const CA_INPUT_FLAGS = {
  caCertificate: { names: ['--ca-certificate', '-c'], kind: 'string', description: 'The CA certificates: base64 of the PEM' },
  caCertificateFile: { names: ['--ca-certificate-file', '-f'], kind: 'string', description: 'The CA certificates: a PEM file' },
  removeExpired: {
    names: ['--remove-expired'],
    kind: 'boolean',
    description: 'Drop expired certificates from the bundle in the same update (Temporal Cloud refuses bundles holding one)',
  },
} as const satisfies FlagMap;

export const FILTER_FILE = {
  names: ['--certificate-filter-file', '--file', '-f'],
  kind: 'string',
  description: 'A JSON file: {"filters":[{"commonName":…,"organization":…,"organizationalUnit":…,"subjectAlternativeName":…}]}',
} as const;

export const FILTER_INPUT_FLAGS = {
  certificateFilterFile: FILTER_FILE,
  certificateFilterInput: { names: ['--certificate-filter-input', '--input', '-i'], kind: 'string', description: 'The same JSON, inline' },
} as const satisfies FlagMap;

export const WITHIN = { names: ['--within'], kind: 'string', default: '30d', description: 'The window, a duration such as 30d' } as const;
