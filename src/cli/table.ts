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

/** tcld's connection flags, taken by every Cloud Ops API command, before or after its name. */
const CONNECTION_FLAGS: FlagSpec[] = [
  {
    key: 'server',
    names: ['--server', '-s'],
    kind: 'string',
    env: 'TEMPORAL_CLOUD_API_SERVER',
    default: 'saas-api.tmprl.cloud:443',
    description: 'The Cloud Ops API server (host:port)',
  },
  { key: 'apiKey', names: ['--api-key'], kind: 'string', env: 'TEMPORAL_CLOUD_API_KEY', description: 'The API key to authenticate with' },
  { key: 'insecure', names: ['--insecure'], kind: 'boolean', description: 'Plaintext instead of TLS (a local tcld dev-server)' },
  { key: 'tlsServerName', names: ['--tls-server-name'], kind: 'string', description: "The name to expect in the server's certificate" },
  { key: 'enableDebugLogs', names: ['--enable-debug-logs'], kind: 'boolean', description: 'Log each API call and retry on stderr (never the API key)' },
];

const namespaceFlag: FlagSpec = {
  key: 'namespace',
  names: ['--namespace', '-n'],
  kind: 'string',
  required: true,
  env: 'TEMPORAL_CLOUD_NAMESPACE',
  description: 'The namespace, e.g. myns.acct',
};

/** Every mutation's flags: tcld's request id, resource version and --idempotent, plus --wait. */
const MUTATION_FLAGS: FlagSpec[] = [
  namespaceFlag,
  { key: 'requestId', names: ['--request-id', '-r'], kind: 'string', description: 'The request ID (async operation ID) to use; default a random one' },
  {
    key: 'resourceVersion',
    names: ['--resource-version', '-v'],
    kind: 'string',
    description: 'Update only if the namespace is at this resource version; default the latest, re-reading on conflicts',
  },
  { key: 'idempotent', names: ['--idempotent'], kind: 'boolean', description: 'Succeed without error when there is nothing to change' },
  { key: 'wait', names: ['--wait'], kind: 'boolean', description: 'Wait until the request has finished' },
  ...CONNECTION_FLAGS,
];

const CA_INPUT_FLAGS: FlagSpec[] = [
  { key: 'caCertificate', names: ['--ca-certificate', '-c'], kind: 'string', description: 'The CA certificates: base64 of the PEM' },
  { key: 'caCertificateFile', names: ['--ca-certificate-file', '-f'], kind: 'string', description: 'The CA certificates: a PEM file' },
  {
    key: 'removeExpired',
    names: ['--remove-expired'],
    kind: 'boolean',
    description: 'Drop expired certificates from the bundle in the same update (Temporal Cloud refuses bundles holding one)',
  },
];

const FILTER_FILE: FlagSpec = {
  key: 'certificateFilterFile',
  names: ['--certificate-filter-file', '--file', '-f'],
  kind: 'string',
  description: 'A JSON file: {"filters":[{"commonName":…,"organization":…,"organizationalUnit":…,"subjectAlternativeName":…}]}',
};
const FILTER_INPUT_FLAGS: FlagSpec[] = [
  FILTER_FILE,
  { key: 'certificateFilterInput', names: ['--certificate-filter-input', '--input', '-i'], kind: 'string', description: 'The same JSON, inline' },
];

/** How a protected CA key's passphrase is given (issue: protected CA keys). */
const CA_KEY_PASSPHRASE_FLAGS: FlagSpec[] = [
  { key: 'caKeyPassphraseFile', names: ['--ca-key-passphrase-file'], kind: 'string', description: "A file holding the CA key's passphrase (one trailing newline is ignored)" },
  { key: 'caKeyPassphraseEnv', names: ['--ca-key-passphrase-env'], kind: 'string', description: "The name of an environment variable holding the CA key's passphrase" },
  { key: 'caKeyPassphrasePrompt', names: ['--ca-key-passphrase-prompt'], kind: 'boolean', description: "Ask for the CA key's passphrase (hidden input)" },
];

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
            { ...organization, required: false, description: 'The name of the organization (required unless --like gives it)' },
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
            {
              key: 'like',
              names: ['--like'],
              kind: 'string',
              description: 'An old CA certificate to succeed: its organization and key algorithm, a new key, serial and name',
            },
            ...CA_KEY_PASSPHRASE_FLAGS,
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
            { ...organization, required: false, description: 'The name of the organization (required unless --csr gives it)' },
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
              description: "The path where the certificate's private key will be stored (required unless --csr)",
            },
            { key: 'csr', names: ['--csr'], kind: 'string', description: "Issue for this certificate signing request (PEM): the key stays on the workload's host" },
            { key: 'pkcs12', names: ['--pkcs12'], kind: 'string', description: 'Also write the leaf, its key and the CA as a PKCS#12 file (for Java and .NET workers)' },
            { key: 'pkcs12PasswordFile', names: ['--pkcs12-password-file'], kind: 'string', description: "A file holding the PKCS#12 file's password (one trailing newline is ignored)" },
            ...CA_KEY_PASSPHRASE_FLAGS,
          ],
          examples: [
            'tcld gen leaf --org myco --ca-cert ca.pem --ca-key ca.key --cert client.pem --key client.key',
            'tcld gen leaf --org myco --organization-unit payments --common-name worker -d 30d --ca-cert ca.pem --ca-key ca.key --cert worker.pem --key worker.key',
          ],
          load: () => import('../commands/gen/leaf.js'),
          render: 'written-files',
        },
        {
          names: ['certificate-signing-request', 'csr'],
          description: "Generate a key and a certificate signing request (PKCS#10) on the workload's host",
          flags: [
            organization,
            { key: 'organizationUnit', names: ['--organization-unit', '--organizational-unit'], kind: 'string', description: 'The name of the organizational unit (optional)' },
            { key: 'commonName', names: ['--common-name'], kind: 'string', description: 'The common name (optional)' },
            { key: 'csrFile', names: ['--csr'], kind: 'string', required: true, description: 'The path where the request will be stored' },
            { key: 'keyFile', names: ['--key-file', '--key'], kind: 'string', required: true, description: "The path where the request's private key will be stored" },
            { key: 'rsaAlgorithm', names: ['--rsa-algorithm', '--rsa'], kind: 'boolean', description: 'RSA 4096 instead of ECDSA P-384' },
          ],
          examples: ['tcld gen csr --org myco --common-name worker-1 --csr worker.csr --key worker.key', 'tcld gen leaf --csr worker.csr --ca-cert ca.pem --ca-key ca.key --cert worker.pem'],
          load: () => import('../commands/gen/csr.js'),
          render: 'written-files',
        },
      ],
    },
    {
      names: ['certificates', 'cert'],
      description: 'Inspect and check certificates: what they are, whether Temporal Cloud accepts them, when they expire',
      commands: [
        {
          names: ['inspect'],
          description: 'Show every certificate in a PEM (or DER) file: names, validity, key, usages, fingerprints',
          flags: [{ key: 'output', names: ['--output', '-o'], kind: 'string', description: 'text (default) or json' }],
          args: [{ key: 'file', name: '<file>', required: true, description: 'A certificate or bundle file' }],
          examples: ['tcld cert inspect client.pem', 'tcld cert inspect bundle.pem --output json'],
          load: () => import('../commands/certificates/inspect.js'),
          render: 'text',
        },
        {
          names: ['verify'],
          description: 'Say whether Temporal Cloud would accept a client certificate, with every reason if not',
          flags: [
            { key: 'cert', names: ['--cert'], kind: 'string', required: true, description: 'The client certificate (PEM; intermediates may follow it)' },
            { key: 'caBundle', names: ['--ca-bundle'], kind: 'string', description: "The namespace's accepted CA bundle (PEM)" },
            { key: 'certificateFilterFile', names: ['--certificate-filter-file'], kind: 'string', description: "The namespace's certificate filters (JSON), with --ca-bundle" },
            { key: 'namespace', names: ['--namespace', '-n'], kind: 'string', description: 'Fetch the bundle and filters of this namespace through the Cloud Ops API instead' },
            { key: 'output', names: ['--output', '-o'], kind: 'string', description: 'text (default) or json' },
            ...CONNECTION_FLAGS,
          ],
          examples: ['tcld cert verify --cert client.pem --ca-bundle ca.pem', 'tcld cert verify --cert client.pem -n myns.acct'],
          load: () => import('../commands/certificates/verify.js'),
          render: 'verdict',
        },
        {
          names: ['check-expiry'],
          description: 'Exit 1 when a certificate expires within the window, 0 when none does, 2 on bad input (for cron and CI)',
          flags: [
            { key: 'within', names: ['--within'], kind: 'string', default: '30d', description: 'The window, a duration such as 30d' },
            { key: 'output', names: ['--output', '-o'], kind: 'string', description: 'text (default) or json' },
          ],
          args: [{ key: 'files', name: '<file>', rest: true, required: true, description: 'Certificate or bundle files' }],
          examples: ['tcld cert check-expiry ca.pem client.pem --within 30d'],
          load: () => import('../commands/certificates/check-expiry.js'),
          render: 'verdict',
        },
      ],
    },
    {
      names: ['namespace', 'n'],
      description: 'Manage namespaces through the Cloud Ops API',
      commands: [
        {
          names: ['list', 'l'],
          description: 'List the namespaces the API key can see',
          flags: [
            { key: 'pageSize', names: ['--page-size'], kind: 'string', description: 'Number of namespaces to list per page (1 to 1000): prints that one page and its nextPageToken' },
            { key: 'pageToken', names: ['--page-token'], kind: 'string', description: 'The page token for list operations (a nextPageToken printed before)' },
            { key: 'output', names: ['--output', '-o'], kind: 'string', description: "json (default, tcld's), table, or api (the Cloud Ops API's JSON)" },
            ...CONNECTION_FLAGS,
          ],
          examples: ['tcld namespace list --api-key $KEY', 'tcld n l --page-size 100 --page-token "$TOKEN" | jq -r .nextPageToken', 'tcld n l --output table'],
          load: () => import('../commands/namespace/list.js'),
          render: 'output',
        },
        {
          names: ['get', 'g'],
          description: 'Get a namespace',
          flags: [
            namespaceFlag,
            { key: 'output', names: ['--output', '-o'], kind: 'string', description: "json (default, tcld's) or api (the Cloud Ops API's JSON)" },
            ...CONNECTION_FLAGS,
          ],
          examples: ['tcld namespace get -n myns.acct', 'tcld n g -n myns.acct | jq -r .spec.acceptedClientCa | base64 -d', 'tcld n g -n myns.acct --output api'],
          load: () => import('../commands/namespace/get.js'),
          render: 'output',
        },
        {
          names: ['accepted-client-ca', 'ca'],
          description: "Manage the namespace's accepted client CA certificates",
          commands: [
            {
              names: ['list', 'l'],
              description: 'List the accepted client CA certificates, warning of those that expire within 30 days',
              flags: [
                namespaceFlag,
                { key: 'output', names: ['--output', '-o'], kind: 'string', description: 'json (default) or table' },
                ...CONNECTION_FLAGS,
              ],
              examples: ['tcld namespace accepted-client-ca list -n myns.acct', 'tcld n ca l -n myns.acct --output table'],
              load: () => import('../commands/namespace/ca-list.js'),
              render: 'output',
            },
            {
              names: ['add', 'a'],
              description: 'Add CA certificates to the accepted bundle',
              flags: [...CA_INPUT_FLAGS, ...MUTATION_FLAGS],
              examples: ['tcld namespace accepted-client-ca add -n myns.acct --ca-certificate-file ca.pem', 'tcld n ca a -n myns.acct -f new-ca.pem --wait'],
              load: () => import('../commands/namespace/ca-add.js'),
              render: 'mutation',
            },
            {
              names: ['remove', 'r'],
              description: 'Remove CA certificates from the accepted bundle',
              flags: [
                ...CA_INPUT_FLAGS,
                { key: 'caCertificateFingerprint', names: ['--ca-certificate-fingerprint', '--fp'], kind: 'string', description: 'The fingerprint (as n ca l prints it) of the certificate to remove' },
                { key: 'all', names: ['--all'], kind: 'boolean', description: 'Remove every certificate (refused while mTLS is the auth method)' },
                ...MUTATION_FLAGS,
              ],
              examples: ['tcld n ca r -n myns.acct --fp 1c3e2a…', 'tcld n ca r -n myns.acct -f old-ca.pem --auto_confirm'],
              load: () => import('../commands/namespace/ca-remove.js'),
              render: 'mutation',
            },
            {
              names: ['check-expiry'],
              description: "Exit 1 when one of the namespace's CAs expires within the window (0 when none does)",
              flags: [namespaceFlag, { key: 'within', names: ['--within'], kind: 'string', default: '30d', description: 'The window, a duration such as 30d' }, ...CONNECTION_FLAGS],
              examples: ['tcld namespace accepted-client-ca check-expiry -n myns.acct --within 30d'],
              load: () => import('../commands/namespace/ca-check-expiry.js'),
              render: 'verdict',
            },
            {
              names: ['set', 's'],
              description: 'Replace the whole accepted bundle',
              flags: [...CA_INPUT_FLAGS, ...MUTATION_FLAGS],
              examples: ['tcld n ca s -n myns.acct -f bundle.pem'],
              load: () => import('../commands/namespace/ca-set.js'),
              render: 'mutation',
            },
          ],
        },
        {
          names: ['certificate-filters', 'cf'],
          description: "Manage the namespace's certificate filters",
          commands: [
            {
              names: ['import', 'imp'],
              description: 'Replace the certificate filters with those in a JSON file or input',
              flags: [...FILTER_INPUT_FLAGS, ...MUTATION_FLAGS],
              examples: ['tcld n cf imp -n myns.acct -f filters.json', `tcld n cf imp -n myns.acct -i '{"filters":[{"organization":"myco"}]}'`],
              load: () => import('../commands/namespace/cf-import.js'),
              render: 'mutation',
            },
            {
              names: ['export', 'exp'],
              description: 'Print the certificate filters as JSON, and with -f also write them to a file',
              flags: [namespaceFlag, FILTER_FILE, ...CONNECTION_FLAGS],
              examples: ['tcld n cf exp -n myns.acct', 'tcld n cf exp -n myns.acct -f filters.json'],
              load: () => import('../commands/namespace/cf-export.js'),
              render: 'output',
            },
            {
              names: ['clear', 'c'],
              description: 'Remove every certificate filter',
              flags: [...MUTATION_FLAGS],
              examples: ['tcld n cf c -n myns.acct --auto_confirm'],
              load: () => import('../commands/namespace/cf-clear.js'),
              render: 'mutation',
            },
            {
              names: ['add', 'a'],
              description: 'Add certificate filters',
              flags: [...FILTER_INPUT_FLAGS, ...MUTATION_FLAGS],
              examples: [`tcld n cf a -n myns.acct -i '{"filters":[{"commonName":"worker-*"}]}'`],
              load: () => import('../commands/namespace/cf-add.js'),
              render: 'mutation',
            },
          ],
        },
      ],
    },
    {
      names: ['request', 'r'],
      description: 'Follow asynchronous requests (operations)',
      commands: [
        {
          names: ['get', 'g'],
          description: "Get a request's state",
          flags: [
            { key: 'requestId', names: ['--request-id', '-r'], kind: 'string', required: true, description: 'The request ID a mutation printed' },
            { key: 'wait', names: ['--wait'], kind: 'boolean', description: 'Wait until the request has finished' },
            { key: 'output', names: ['--output', '-o'], kind: 'string', description: "json (default, tcld's) or api (the Cloud Ops API's JSON)" },
            ...CONNECTION_FLAGS,
          ],
          examples: ['tcld request get -r 3f0c…', 'tcld r g -r 3f0c… --wait', 'tcld r g -r 3f0c… | jq -r .requestStatus.state'],
          load: () => import('../commands/request/get.js'),
          render: 'output',
        },
      ],
    },
    {
      names: ['dev-server'],
      description: "Run a local emulator of Temporal Cloud on loopback: the Cloud Ops API (plaintext gRPC) and the namespaces' mTLS endpoint",
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
          key: 'gatewayPort',
          names: ['--gateway-port'],
          kind: 'string',
          default: '7233',
          description: "Port of the namespaces' mTLS gRPC endpoint (0: any free port)",
        },
        {
          key: 'metricsPort',
          names: ['--metrics-port'],
          kind: 'string',
          description: 'Serve Prometheus metrics on this port (loopback): CA expiry per namespace, requests, gateway admissions',
        },
        {
          key: 'upstream',
          names: ['--upstream'],
          kind: 'string',
          description: 'A Temporal frontend (host:port, plaintext) to forward admitted clients to, e.g. temporal server start-dev',
        },
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
      names: ['connectivity', 'ct'],
      description: 'Check that a client certificate gets through to a namespace endpoint',
      commands: [
        {
          names: ['test'],
          description: 'Connect as a worker would (official TypeScript SDK client) and explain any refusal',
          flags: [
            { key: 'address', names: ['--address'], kind: 'string', required: true, description: 'The namespace endpoint, host:port (e.g. myns.acct.tmprl.cloud:7233)' },
            { key: 'tlsCertPath', names: ['--tls-cert-path'], kind: 'string', required: true, description: 'The client certificate (PEM)' },
            { key: 'tlsKeyPath', names: ['--tls-key-path'], kind: 'string', required: true, description: "The client certificate's private key (PEM)" },
            { key: 'tlsServerName', names: ['--tls-server-name'], kind: 'string', description: 'The TLS server name (SNI) to ask for, when it differs from the address host' },
            { key: 'tlsCaPath', names: ['--tls-ca-path'], kind: 'string', description: "The server's root CA (PEM); default the system's trust store" },
            { key: 'namespace', names: ['--namespace', '-n'], kind: 'string', description: 'The namespace (default: the first label pair of the server name)' },
            { key: 'caBundle', names: ['--ca-bundle'], kind: 'string', description: "The namespace's accepted CA bundle, to say locally whether the certificate chains to it" },
          ],
          examples: [
            'tcld ct test --address 127.0.0.1:7233 --tls-server-name myns.acct.tmprl.local --tls-ca-path dev-server-ca.pem --tls-cert-path client.pem --tls-key-path client.key',
            'tcld connectivity test --address myns.acct.tmprl.cloud:7233 --tls-cert-path client.pem --tls-key-path client.key --ca-bundle ca.pem',
          ],
          load: () => import('../commands/connectivity-test.js'),
          render: 'verdict',
        },
      ],
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
