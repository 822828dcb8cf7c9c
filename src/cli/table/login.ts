import { renderLogin, renderLogout } from '../render.js';
import { defineCommand } from '../spec.js';

/** tcld's hidden login flags: the login server, and what to ask it for (app/login.go). */
const DOMAIN = {
  names: ['--domain', '-d'],
  kind: 'string',
  hidden: true,
  description: 'The login server (default login.tmprl.cloud; http:// only for a loopback host, such as a tcld dev-server)',
} as const;

const DISABLE_POP_UP = { names: ['--disable-pop-up'], kind: 'boolean', description: 'disable browser pop-up' } as const;

export const LOGIN = defineCommand({
  names: ['login', 'l'],
  description: 'Login as user',
  flags: {
    domain: DOMAIN,
    audience: { names: ['--audience', '-a'], kind: 'string', hidden: true, description: 'The audience of the token (default https://saas-api.tmprl.cloud)' },
    clientId: { names: ['--client-id', '-id'], kind: 'string', hidden: true, description: "The OAuth client ID (default tcld's)" },
    disablePopUp: DISABLE_POP_UP,
  },
  examples: ['tcld login', 'tcld login --disable-pop-up', 'tcld login --domain http://127.0.0.1:$AUTH_PORT --disable-pop-up'],
  load: () => import('../../commands/login.js'),
  render: renderLogin,
});

export const LOGOUT = defineCommand({
  names: ['logout', 'lo'],
  description: 'Logout current user',
  flags: { domain: DOMAIN, disablePopUp: DISABLE_POP_UP },
  examples: ['tcld logout', 'tcld logout --disable-pop-up'],
  load: () => import('../../commands/logout.js'),
  render: renderLogout,
});
