import { AUTH_METHODS } from '../../cloud/auth-method.js';
import { renderMutation, renderPrintable, renderText, renderVerdict } from '../render.js';
import { defineCommand, type GroupSpec } from '../spec.js';
import { CA_INPUT_FLAGS, FILTER_FILE, FILTER_INPUT_FLAGS, MUTATION_FLAGS, NAMESPACE, WITHIN, outputFlag } from './shared.js';

const AUTH_METHOD_VALUES = `${AUTH_METHODS.slice(0, -1).join(', ')} or ${AUTH_METHODS.at(-1)}`;

const create = defineCommand({
  names: ['create', 'c'],
  description: 'Create a namespace, with its auth method and, for mTLS, its first accepted CA bundle',
  flags: {
    namespace: { names: ['--namespace', '-n'], kind: 'string', required: true, description: 'The name of the namespace (its ID becomes <name>.<account>)' },
    region: {
      names: ['--region', '-re'],
      kind: 'strings',
      required: true,
      description: 'A region, such as aws-us-east-1 (repeat for a second one, the first is active); without a provider prefix, --cloud-provider is added',
    },
    cloudProvider: { names: ['--cloud-provider', '-cp'], kind: 'string', choices: ['aws', 'gcp'], default: 'aws', description: 'The provider of regions given without one' },
    retentionDays: { names: ['--retention-days', '-rd'], kind: 'string', default: '30', description: 'Days closed workflows are kept' },
    authMethod: { names: ['--auth-method'], kind: 'string', choices: AUTH_METHODS, default: 'mtls', description: `How clients authenticate: ${AUTH_METHOD_VALUES}` },
    caCertificate: { names: ['--ca-certificate', '-c'], kind: 'string', description: 'The accepted CA certificates: base64 of the PEM (required for mtls and api_key_or_mtls)' },
    caCertificateFile: { names: ['--ca-certificate-file', '-cf'], kind: 'string', description: 'The accepted CA certificates: a PEM file (required for mtls and api_key_or_mtls)' },
    certificateFilterFile: { names: ['--certificate-filter-file', '-cff'], kind: 'string', description: 'A JSON file of certificate filters: {"filters":[{"commonName":…}]}' },
    certificateFilterInput: { names: ['--certificate-filter-input', '-cfi'], kind: 'string', description: 'The same JSON, inline' },
    searchAttribute: { names: ['--search-attribute', '-sa'], kind: 'strings', description: 'A search attribute, name=type (Keyword, Text, Int, Double, Datetime, Bool, KeywordList); repeatable' },
    enableDeleteProtection: { names: ['--enable-delete-protection', '-edp'], kind: 'boolean', description: 'Refuse to delete the namespace until this is turned off' },
    tag: { names: ['--tag', '-t'], kind: 'strings', description: 'A tag, key=value; repeatable' },
    requestId: { names: ['--request-id', '-r'], kind: 'string', description: 'The request ID (async operation ID) to use; default a random one' },
    wait: { names: ['--wait'], kind: 'boolean', description: 'Wait until the request has finished' },
  },
  examples: [
    'tcld namespace create -n myns --region aws-us-east-1 --ca-certificate-file ca.pem',
    'tcld n c -n myns -re aws-us-east-1 -cf ca.pem -cff filters.json --enable-delete-protection --wait',
    'tcld n c -n keyed -re aws-us-east-1 --auth-method api_key',
  ],
  load: () => import('../../commands/namespace/create.js'),
  render: renderMutation,
});

const deleteCommand = defineCommand({
  names: ['delete', 'd'],
  description: 'Delete a namespace (asks first; refused while delete protection is on)',
  flags: { ...MUTATION_FLAGS },
  examples: ['tcld namespace delete -n myns.acct', 'tcld n d -n myns.acct --auto_confirm --wait'],
  load: () => import('../../commands/namespace/delete.js'),
  render: renderMutation,
});

/** tcld's lifecycle get takes these and ignores them. */
const IGNORED_MUTATION_FLAGS = {
  requestId: { ...MUTATION_FLAGS.requestId, hidden: true },
  resourceVersion: { ...MUTATION_FLAGS.resourceVersion, hidden: true },
} as const;

const lifecycleGet = defineCommand({
  names: ['get', 'g'],
  description: "Print the namespace's lifecycle spec: {\"enableDeleteProtection\": …}",
  flags: { namespace: NAMESPACE, ...IGNORED_MUTATION_FLAGS },
  examples: ['tcld namespace lifecycle get -n myns.acct'],
  load: () => import('../../commands/namespace/lifecycle-get.js'),
  render: renderPrintable,
});

const lifecycleSet = defineCommand({
  names: ['set', 's'],
  description: 'Turn delete protection on or off (off asks first)',
  flags: {
    ...MUTATION_FLAGS,
    enableDeleteProtection: { names: ['--enable-delete-protection', '-edp'], kind: 'string', description: 'true or false' },
  },
  examples: ['tcld namespace lifecycle set -n myns.acct --enable-delete-protection true', 'tcld n lc set -n myns.acct -edp false --auto_confirm'],
  load: () => import('../../commands/namespace/lifecycle-set.js'),
  render: renderMutation,
});

const authMethodGet = defineCommand({
  names: ['get', 'g'],
  description: `Print the namespace's auth method: ${AUTH_METHOD_VALUES}`,
  flags: { namespace: NAMESPACE },
  examples: ['tcld namespace auth-method get -n myns.acct'],
  load: () => import('../../commands/namespace/auth-method-get.js'),
  render: renderText,
});

const authMethodSet = defineCommand({
  names: ['set', 's'],
  description: "Set the namespace's auth method (a change that may cut clients off asks first)",
  flags: {
    ...MUTATION_FLAGS,
    authMethod: { names: ['--auth-method', '-am'], kind: 'string', required: true, choices: AUTH_METHODS, description: `The auth method: ${AUTH_METHOD_VALUES}` },
  },
  examples: ['tcld namespace auth-method set -n myns.acct --auth-method api_key_or_mtls', 'tcld n am set -n myns.acct -am api_key --auto_confirm'],
  load: () => import('../../commands/namespace/auth-method-set.js'),
  render: renderMutation,
});

const list = defineCommand({
  names: ['list', 'l'],
  description: 'List the namespaces the API key can see',
  flags: {
    pageSize: {
      names: ['--page-size'],
      kind: 'string',
      description: 'Number of namespaces to list per page (1 to 1000): prints that one page and its nextPageToken',
    },
    pageToken: { names: ['--page-token'], kind: 'string', description: 'The page token for list operations (a nextPageToken printed before)' },
    output: outputFlag(['json', 'table', 'api'], "json (tcld's), table, or api (the Cloud Ops API's JSON)"),
  },
  examples: ['tcld namespace list --api-key $KEY', 'tcld n l --page-size 100 --page-token "$TOKEN" | jq -r .nextPageToken', 'tcld n l --output table'],
  load: () => import('../../commands/namespace/list.js'),
  render: renderPrintable,
});

const get = defineCommand({
  names: ['get', 'g'],
  description: 'Get a namespace',
  flags: { namespace: NAMESPACE, output: outputFlag(['json', 'api'], "json (tcld's) or api (the Cloud Ops API's JSON)") },
  examples: ['tcld namespace get -n myns.acct', 'tcld n g -n myns.acct | jq -r .spec.acceptedClientCa | base64 -d', 'tcld n g -n myns.acct --output api'],
  load: () => import('../../commands/namespace/get.js'),
  render: renderPrintable,
});

const caList = defineCommand({
  names: ['list', 'l'],
  description: 'List the accepted client CA certificates, warning of those that expire within 30 days',
  flags: { namespace: NAMESPACE, output: outputFlag(['json', 'table'], 'json or table') },
  examples: ['tcld namespace accepted-client-ca list -n myns.acct', 'tcld n ca l -n myns.acct --output table'],
  load: () => import('../../commands/namespace/ca-list.js'),
  render: renderPrintable,
});

const caAdd = defineCommand({
  names: ['add', 'a'],
  description: 'Add CA certificates to the accepted bundle',
  flags: { ...CA_INPUT_FLAGS, ...MUTATION_FLAGS },
  examples: ['tcld namespace accepted-client-ca add -n myns.acct --ca-certificate-file ca.pem', 'tcld n ca a -n myns.acct -f new-ca.pem --wait'],
  load: () => import('../../commands/namespace/ca-add.js'),
  render: renderMutation,
});

const caRemove = defineCommand({
  names: ['remove', 'r'],
  description: 'Remove CA certificates from the accepted bundle',
  flags: {
    ...CA_INPUT_FLAGS,
    caCertificateFingerprint: {
      names: ['--ca-certificate-fingerprint', '--fp'],
      kind: 'string',
      description: 'The fingerprint (as n ca l prints it) of the certificate to remove',
    },
    all: { names: ['--all'], kind: 'boolean', description: 'Remove every certificate (refused while mTLS is the auth method)' },
    ...MUTATION_FLAGS,
  },
  examples: ['tcld n ca r -n myns.acct --fp 1c3e2a…', 'tcld n ca r -n myns.acct -f old-ca.pem --auto_confirm'],
  load: () => import('../../commands/namespace/ca-remove.js'),
  render: renderMutation,
});

const caCheckExpiry = defineCommand({
  names: ['check-expiry'],
  description: "Exit 1 when one of the namespace's CAs expires within the window (0 when none does)",
  flags: { namespace: NAMESPACE, within: WITHIN },
  examples: ['tcld namespace accepted-client-ca check-expiry -n myns.acct --within 30d'],
  load: () => import('../../commands/namespace/ca-check-expiry.js'),
  render: renderVerdict,
});

const caSet = defineCommand({
  names: ['set', 's'],
  description: 'Replace the whole accepted bundle',
  flags: { ...CA_INPUT_FLAGS, ...MUTATION_FLAGS },
  examples: ['tcld n ca s -n myns.acct -f bundle.pem'],
  load: () => import('../../commands/namespace/ca-set.js'),
  render: renderMutation,
});

const cfImport = defineCommand({
  names: ['import', 'imp'],
  description: 'Replace the certificate filters with those in a JSON file or input',
  flags: { ...FILTER_INPUT_FLAGS, ...MUTATION_FLAGS },
  examples: ['tcld n cf imp -n myns.acct -f filters.json', `tcld n cf imp -n myns.acct -i '{"filters":[{"organization":"myco"}]}'`],
  load: () => import('../../commands/namespace/cf-import.js'),
  render: renderMutation,
});

const cfExport = defineCommand({
  names: ['export', 'exp'],
  description: 'Print the certificate filters as JSON, and with -f also write them to a file',
  flags: { namespace: NAMESPACE, certificateFilterFile: FILTER_FILE },
  examples: ['tcld n cf exp -n myns.acct', 'tcld n cf exp -n myns.acct -f filters.json'],
  load: () => import('../../commands/namespace/cf-export.js'),
  render: renderPrintable,
});

const cfClear = defineCommand({
  names: ['clear', 'c'],
  description: 'Remove every certificate filter',
  flags: { ...MUTATION_FLAGS },
  examples: ['tcld n cf c -n myns.acct --auto_confirm'],
  load: () => import('../../commands/namespace/cf-clear.js'),
  render: renderMutation,
});

const cfAdd = defineCommand({
  names: ['add', 'a'],
  description: 'Add certificate filters',
  flags: { ...FILTER_INPUT_FLAGS, ...MUTATION_FLAGS },
  examples: [`tcld n cf a -n myns.acct -i '{"filters":[{"commonName":"worker-*"}]}'`],
  load: () => import('../../commands/namespace/cf-add.js'),
  render: renderMutation,
});

export const NAMESPACES: GroupSpec = {
  names: ['namespace', 'n'],
  description: 'Manage namespaces through the Cloud Ops API',
  commands: [
    create,
    deleteCommand,
    list,
    get,
    {
      names: ['lifecycle', 'lc'],
      description: "Manage the namespace's delete protection",
      commands: [lifecycleGet, lifecycleSet],
    },
    {
      names: ['auth-method', 'am'],
      description: 'Manage how clients authenticate to the namespace: mTLS, API keys, either, or nobody',
      commands: [authMethodGet, authMethodSet],
    },
    {
      names: ['accepted-client-ca', 'ca'],
      description: "Manage the namespace's accepted client CA certificates",
      commands: [caList, caAdd, caRemove, caCheckExpiry, caSet],
    },
    {
      names: ['certificate-filters', 'cf'],
      description: "Manage the namespace's certificate filters",
      commands: [cfImport, cfExport, cfClear, cfAdd],
    },
  ],
};
