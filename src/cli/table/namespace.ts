import { renderMutation, renderPrintable, renderVerdict } from '../render.js';
import { defineCommand, type GroupSpec } from '../spec.js';
import { CA_INPUT_FLAGS, FILTER_FILE, FILTER_INPUT_FLAGS, MUTATION_FLAGS, NAMESPACE, WITHIN, outputFlag } from './shared.js';

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
    list,
    get,
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
