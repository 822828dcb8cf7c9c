import { renderMutation, renderPrintable } from '../render.js';
import { defineCommand, type GroupSpec } from '../spec.js';

const ID = { names: ['--id', '-i'], kind: 'string', required: true, description: 'The id of the apikey' } as const;
const REQUEST_ID = { names: ['--request-id', '-r'], kind: 'string', description: 'The request ID (async operation ID) to use; default a random one' } as const;

/** delete, disable and enable: tcld's flags, and --wait. */
const MUTATION = {
  id: ID,
  resourceVersion: {
    names: ['--resource-version', '-v'],
    kind: 'string',
    description: "Update only if the apikey is at this resource version; default the key's current one",
  },
  requestId: REQUEST_ID,
  wait: { names: ['--wait'], kind: 'boolean', description: 'Wait until the request has finished' },
} as const;

const create = defineCommand({
  names: ['create', 'c'],
  description: 'Create an apikey. Make sure to copy the secret or else you will not be able to retrieve it again.',
  flags: {
    name: { names: ['--name', '-n'], kind: 'string', required: true, description: 'the display name of the apikey' },
    description: { names: ['--description', '-desc'], kind: 'string', description: 'the description of the apikey' },
    duration: {
      names: ['--duration', '-d'],
      kind: 'string',
      description: "the duration from now when the apikey will expire, will be ignored if expiry flag is set, examples: '1.5y', '30d', '4d12h'",
    },
    expiry: { names: ['--expiry', '-e'], kind: 'string', description: "the absolute timestamp (RFC3339) when the apikey will expire, example: '2030-01-31T00:00:00Z'" },
    serviceAccountId: { names: ['--service-account-id', '-si'], kind: 'string', description: 'setting this flag will create an api key for a service account, not a user' },
    requestId: REQUEST_ID,
  },
  examples: ['tcld apikey create -n ci-deploy -d 90d', 'tcld ak c -n ci --expiry 2030-01-31T00:00:00Z | jq -r .secretKey > ci.key'],
  load: () => import('../../commands/apikey/create.js'),
  render: renderPrintable,
});

const get = defineCommand({
  names: ['get', 'g'],
  description: 'Get an apikey',
  flags: { id: ID },
  examples: ['tcld apikey get -i 8a3c…', 'tcld ak g -i 8a3c… | jq .spec.disabled'],
  load: () => import('../../commands/apikey/get.js'),
  render: renderPrintable,
});

const list = defineCommand({
  names: ['list', 'l'],
  description: 'List API keys',
  flags: {
    ownerId: { names: ['--owner-id', '-oid'], kind: 'string', description: 'Filter API keys by owner ID' },
    ownerType: { names: ['--owner-type', '-ot'], kind: 'string', choices: ['user', 'service-account'], description: 'Filter API keys by owner type' },
  },
  examples: ['tcld apikey list', 'tcld ak l -ot service-account | jq -r .apiKeys[].id'],
  load: () => import('../../commands/apikey/list.js'),
  render: renderPrintable,
});

const remove = defineCommand({
  names: ['delete', 'd'],
  description: 'Delete an apikey',
  flags: MUTATION,
  examples: ['tcld apikey delete -i 8a3c…', 'tcld ak d -i 8a3c… --wait'],
  load: () => import('../../commands/apikey/delete.js'),
  render: renderMutation,
});

const disable = defineCommand({
  names: ['disable', 'da'],
  description: 'Disable an apikey',
  flags: MUTATION,
  examples: ['tcld apikey disable -i 8a3c…', 'tcld ak da -i 8a3c… --idempotent'],
  load: () => import('../../commands/apikey/disable.js'),
  render: renderMutation,
});

const enable = defineCommand({
  names: ['enable', 'ea'],
  description: 'Enable a disabled apikey',
  flags: MUTATION,
  examples: ['tcld apikey enable -i 8a3c…'],
  load: () => import('../../commands/apikey/enable.js'),
  render: renderMutation,
});

export const API_KEYS: GroupSpec = {
  names: ['apikey', 'ak'],
  description: 'APIKey operations',
  commands: [create, get, list, remove, disable, enable],
};
