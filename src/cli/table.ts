import type { FlagSpec, GroupSpec } from './spec.js';

/** Flags every command takes, before or after the command name, as tcld's global flags. */
export const GLOBAL_FLAGS: FlagSpec[] = [
  {
    key: 'autoConfirm',
    names: ['--auto_confirm', '--auto-confirm'],
    kind: 'boolean',
    env: 'AUTO_CONFIRM',
    description: 'Automatically confirm all prompts',
  },
];

const organization: FlagSpec = {
  key: 'organization',
  names: ['--organization', '--org'],
  kind: 'string',
  required: true,
  description: 'The name of the organization',
};

const caCertificateFile = (description: string): FlagSpec => ({
  key: 'caCertificateFile',
  names: ['--ca-certificate-file', '--ca-cert'],
  kind: 'string',
  required: true,
  description,
});

const caKeyFile = (description: string): FlagSpec => ({
  key: 'caKeyFile',
  names: ['--ca-key-file', '--ca-key'],
  kind: 'string',
  required: true,
  description,
});

/** The whole command surface: names, aliases, flags and examples, as tcld spells them. */
export const COMMAND_TABLE: GroupSpec = {
  names: ['tcld'],
  description: 'Temporal Cloud certificate and mTLS tooling',
  commands: [
    {
      names: ['generate-certificates', 'gen'],
      description: 'Commands for generating certificate authority and end-entity TLS certificates',
      commands: [
        {
          names: ['certificate-authority-certificate', 'ca'],
          description: 'Generate a certificate authority certificate',
          flags: [
            organization,
            {
              key: 'validityPeriod',
              names: ['--validity-period', '-d'],
              kind: 'string',
              required: true,
              description: 'How long the certificate is valid, more than 7d and at most 1y. example: 30d10h (30 days and 10 hrs)',
            },
            caCertificateFile('The path where the generated x509 certificate will be stored'),
            caKeyFile("The path where the certificate's private key will be stored"),
            {
              key: 'rsaAlgorithm',
              names: ['--rsa-algorithm', '--rsa'],
              kind: 'boolean',
              description: 'Generates a 4096-bit RSA keypair instead of an ECDSA P-384 keypair (the recommended default)',
            },
          ],
          examples: [
            'tcld gen ca --org myco -d 1y --ca-cert ca.pem --ca-key ca.key',
            'tcld gen ca --org myco -d 90d --rsa --ca-cert ca.pem --ca-key ca.key',
          ],
          load: () => import('../commands/gen/ca.js'),
          render: 'written-files',
        },
        {
          names: ['end-entity-certificate', 'leaf'],
          description: 'Generate an end-entity certificate',
          flags: [
            organization,
            {
              key: 'organizationUnit',
              names: ['--organization-unit', '--organizational-unit'],
              kind: 'string',
              description: 'The name of the organizational unit (optional)',
            },
            { key: 'commonName', names: ['--common-name'], kind: 'string', description: 'The common name (optional)' },
            {
              key: 'validityPeriod',
              names: ['--validity-period', '-d'],
              kind: 'string',
              description:
                'How long the certificate is valid. example: 30d10h (30 days and 10 hrs). By default it expires 24 hours before its CA (optional)',
            },
            caCertificateFile('The path of the x509 certificate for the certificate authority'),
            caKeyFile('The path of the private key for the certificate authority (PKCS#8, SEC1 or PKCS#1 PEM)'),
            {
              key: 'certificateFile',
              names: ['--certificate-file', '--cert'],
              kind: 'string',
              required: true,
              description: 'The path where the generated x509 certificate will be stored',
            },
            {
              key: 'keyFile',
              names: ['--key-file', '--key'],
              kind: 'string',
              required: true,
              description: "The path where the certificate's private key will be stored",
            },
          ],
          examples: [
            'tcld gen leaf --org myco --ca-cert ca.pem --ca-key ca.key --cert client.pem --key client.key',
            'tcld gen leaf --org myco --organization-unit payments --common-name worker -d 30d --ca-cert ca.pem --ca-key ca.key --cert worker.pem --key worker.key',
          ],
          load: () => import('../commands/gen/leaf.js'),
          render: 'written-files',
        },
      ],
    },
    {
      names: ['dev-server'],
      description: 'Run a local emulator of Temporal Cloud: the Cloud Ops API (plaintext gRPC) on loopback',
      flags: [
        { key: 'port', names: ['--port'], kind: 'string', default: '7390', description: 'Port of the Cloud Ops API (0: any free port)' },
        { key: 'ip', names: ['--ip'], kind: 'string', default: '127.0.0.1', description: 'Address to listen on' },
        {
          key: 'db',
          names: ['--db'],
          kind: 'string',
          description: 'SQLite database file (default: dev-server.db in the user config folder; :memory: for a throwaway run)',
        },
        {
          key: 'apiKey',
          names: ['--api-key'],
          kind: 'strings',
          description: 'An API key the emulator accepts (repeatable; one is generated and printed when none is given)',
        },
        {
          key: 'namespace',
          names: ['--namespace'],
          kind: 'strings',
          description: 'A namespace ID to create at start if missing, such as myns.acct (repeatable)',
        },
        { key: 'account', names: ['--account'], kind: 'string', default: 'local', description: 'Account ID: CreateNamespace makes <name>.<account>' },
        {
          key: 'asyncDelay',
          names: ['--async-delay'],
          kind: 'string',
          default: '200ms',
          description: 'How long async operations stay pending before they are fulfilled (a duration such as 2s)',
        },
      ],
      examples: ['tcld dev-server --api-key devkey --namespace myns.acct', 'tcld dev-server --db :memory: --port 0'],
      load: () => import('../commands/dev-server.js'),
      render: 'none',
      longRunning: true,
    },
    {
      names: ['version', 'v'],
      description: 'Print the version of tcld',
      flags: [],
      examples: ['tcld version'],
      load: () => import('../commands/version.js'),
      render: 'text',
    },
  ],
};
