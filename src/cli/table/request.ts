import { renderJson } from '../render.js';
import { defineCommand, type GroupSpec } from '../spec.js';

const get = defineCommand({
  names: ['get', 'g'],
  description: "Get a request's state",
  flags: {
    requestId: { names: ['--request-id', '-r'], kind: 'string', required: true, description: 'The request ID a mutation printed' },
    wait: { names: ['--wait'], kind: 'boolean', description: 'Wait until the request has finished' },
  },
  examples: ['tcld request get -r 3f0c…', 'tcld r g -r 3f0c… --wait'],
  load: () => import('../../commands/request/get.js'),
  render: renderJson,
});

export const REQUESTS: GroupSpec = {
  names: ['request', 'r'],
  description: 'Follow asynchronous requests (operations)',
  commands: [get],
};
