import { renderPrintable } from '../render.js';
import { defineCommand, type GroupSpec } from '../spec.js';
import { outputFlag } from './shared.js';

const get = defineCommand({
  names: ['get', 'g'],
  description: "Get a request's state",
  flags: {
    requestId: { names: ['--request-id', '-r'], kind: 'string', required: true, description: 'The request ID a mutation printed' },
    // tcld's README still shows `tcld request get -r <request-id> -n <namespace>` (tcld took -n until 2022).
    namespace: { names: ['--namespace', '-n'], kind: 'string', hidden: true, description: 'Ignored: the request ID alone finds the request (as in tcld since 2022)' },
    wait: { names: ['--wait'], kind: 'boolean', description: 'Wait until the request has finished' },
    output: outputFlag(['json', 'api'], "json (tcld's) or api (the Cloud Ops API's JSON)"),
  },
  examples: ['tcld request get -r 3f0c…', 'tcld r g -r 3f0c… --wait', 'tcld r g -r 3f0c… | jq -r .requestStatus.state'],
  load: () => import('../../commands/request/get.js'),
  render: renderPrintable,
});

export const REQUESTS: GroupSpec = {
  names: ['request', 'r'],
  description: 'Follow asynchronous requests (operations)',
  commands: [get],
};
