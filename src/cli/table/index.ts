/** The whole command surface: names, aliases, flags and examples, as tcld spells them; one file per group. */
import { renderText } from '../render.js';
import { defineCommand, type GroupSpec } from '../spec.js';
import { API_KEYS } from './apikey.js';
import { ACCOUNT } from './account.js';
import { CERTIFICATES } from './certificates.js';
import { CONNECTIVITY } from './connectivity.js';
import { DEV_SERVER } from './dev-server.js';
import { GEN } from './gen.js';
import { LOGIN, LOGOUT } from './login.js';
import { NAMESPACES } from './namespace.js';
import { REQUESTS } from './request.js';

export { GLOBAL_FLAGS } from './global.js';

const VERSION_COMMAND = defineCommand({
  names: ['version', 'v'],
  description: 'Print the version of tcld',
  flags: {},
  examples: ['tcld version'],
  load: () => import('../../commands/version.js'),
  render: renderText,
});

export const COMMAND_TABLE: GroupSpec = {
  names: ['tcld'],
  description: 'Temporal Cloud certificate and mTLS tooling',
  commands: [GEN, CERTIFICATES, LOGIN, LOGOUT, NAMESPACES, ACCOUNT, API_KEYS, REQUESTS, DEV_SERVER, CONNECTIVITY, VERSION_COMMAND],
};
