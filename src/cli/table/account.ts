import { renderMutation, renderPrintable } from '../render.js';
import { defineCommand, type GroupSpec } from '../spec.js';
import { CA_INPUT_FLAGS, MUTATION_FLAGS, outputFlag } from './shared.js';

/** The namespace mutations' flags, less --namespace: the account is the API key's. */
const ACCOUNT_MUTATION_FLAGS = {
  requestId: MUTATION_FLAGS.requestId,
  resourceVersion: {
    names: ['--resource-version', '-v'],
    kind: 'string',
    description: 'Update only if the account is at this resource version; default the latest, re-reading on conflicts',
  },
  wait: MUTATION_FLAGS.wait,
} as const;

const get = defineCommand({
  names: ['get', 'g'],
  description: 'Get the account: its ID, its metrics endpoint and its metrics CA bundle',
  flags: { output: outputFlag(['json', 'table', 'api'], "json (tcld's), table (a summary), or api (the Cloud Ops API's JSON)") },
  examples: ['tcld account get', 'tcld a g | jq -r .metrics.uri', 'tcld a g -o table'],
  load: () => import('../../commands/account/get.js'),
  render: renderPrintable,
});

const enable = defineCommand({
  names: ['enable'],
  description: 'Enable the metrics endpoint: refused until it has a CA, and on as soon as it has one (the Cloud Ops API has no other switch)',
  flags: {},
  examples: ['tcld account metrics enable'],
  load: () => import('../../commands/account/metrics-enable.js'),
  render: renderMutation,
});

const disable = defineCommand({
  names: ['disable'],
  description: 'Disable the metrics endpoint by removing every CA of its bundle, after a confirmation',
  flags: { ...ACCOUNT_MUTATION_FLAGS },
  examples: ['tcld account metrics disable', 'tcld a m disable --auto_confirm --wait'],
  load: () => import('../../commands/account/metrics-disable.js'),
  render: renderMutation,
});

const caList = defineCommand({
  names: ['list', 'l'],
  description: "List the metrics endpoint's accepted client CA certificates, warning of those that expire within 30 days",
  flags: { output: outputFlag(['json', 'table'], 'json or table') },
  examples: ['tcld account metrics accepted-client-ca list', 'tcld a m ca l -o table'],
  load: () => import('../../commands/account/ca-list.js'),
  render: renderPrintable,
});

const caAdd = defineCommand({
  names: ['add', 'a'],
  description: "Add CA certificates to the metrics endpoint's accepted bundle (the first turns the endpoint on)",
  flags: { ...CA_INPUT_FLAGS, ...ACCOUNT_MUTATION_FLAGS },
  examples: ['tcld account metrics accepted-client-ca add --ca-certificate-file metrics-ca.pem', 'tcld a m ca a -f new-ca.pem --wait'],
  load: () => import('../../commands/account/ca-add.js'),
  render: renderMutation,
});

const caRemove = defineCommand({
  names: ['remove', 'r'],
  description: "Remove CA certificates from the metrics endpoint's accepted bundle (removing the last turns the endpoint off)",
  flags: {
    ...CA_INPUT_FLAGS,
    caCertificateFingerprint: {
      names: ['--ca-certificate-fingerprint', '--fp'],
      kind: 'string',
      description: 'The fingerprint (as a m ca l prints it) of the certificate to remove',
    },
    all: { names: ['--all'], kind: 'boolean', description: 'Remove every certificate (this turns the metrics endpoint off)' },
    ...ACCOUNT_MUTATION_FLAGS,
  },
  examples: ['tcld a m ca r --fp 1c3e2a…', 'tcld a m ca r -f old-ca.pem --auto_confirm'],
  load: () => import('../../commands/account/ca-remove.js'),
  render: renderMutation,
});

const caSet = defineCommand({
  names: ['set', 's'],
  description: "Replace the metrics endpoint's whole accepted bundle",
  flags: { ...CA_INPUT_FLAGS, ...ACCOUNT_MUTATION_FLAGS },
  examples: ['tcld a m ca s -f metrics-bundle.pem'],
  load: () => import('../../commands/account/ca-set.js'),
  render: renderMutation,
});

export const ACCOUNT: GroupSpec = {
  names: ['account', 'a'],
  description: 'Manage the account through the Cloud Ops API: its metrics endpoint and that endpoint\'s client CAs',
  commands: [
    get,
    {
      names: ['metrics', 'm'],
      description: "Configure the account's metrics endpoint (Prometheus, mTLS)",
      commands: [
        enable,
        disable,
        {
          names: ['accepted-client-ca', 'ca'],
          description: "Manage the metrics endpoint's accepted client CA certificates",
          commands: [caList, caAdd, caRemove, caSet],
        },
      ],
    },
  ],
};
