import { renderNothing } from '../render.js';
import { defineCommand } from '../spec.js';

export const DEV_SERVER = defineCommand({
  names: ['dev-server'],
  description: "Run a local emulator of Temporal Cloud on loopback: the Cloud Ops API (plaintext gRPC) and the namespaces' mTLS endpoint",
  flags: {
    port: { names: ['--port'], kind: 'string', default: '7390', description: 'Port of the Cloud Ops API (0: any free port)' },
    ip: { names: ['--ip'], kind: 'string', default: '127.0.0.1', description: 'Address to listen on' },
    db: {
      names: ['--db'],
      kind: 'string',
      description: 'SQLite database file (default: dev-server.db in the user config folder; :memory: for a throwaway run)',
    },
    apiKey: {
      names: ['--api-key'],
      kind: 'strings',
      description: 'An API key the emulator accepts (repeatable; other local users can see it in ps: prefer --api-key-file or TCLD_DEV_SERVER_API_KEYS)',
    },
    apiKeyFile: {
      names: ['--api-key-file'],
      kind: 'string',
      description: 'A file of API keys to accept, one per line (# comments ignored); else $TCLD_DEV_SERVER_API_KEYS (comma-separated); else one is generated and printed',
    },
    namespace: { names: ['--namespace'], kind: 'strings', description: 'A namespace ID to create at start if missing, such as myns.acct (repeatable)' },
    account: { names: ['--account'], kind: 'string', default: 'local', description: 'Account ID: CreateNamespace makes <name>.<account>' },
    gatewayPort: { names: ['--gateway-port'], kind: 'string', default: '7233', description: "Port of the namespaces' mTLS gRPC endpoint (0: any free port)" },
    authPort: {
      names: ['--auth-port'],
      kind: 'string',
      default: '7391',
      description: 'Port of the sign-in endpoint on loopback, for tcld login --domain http://127.0.0.1:<port> (OAuth device flow; 0: any free port)',
    },
    metricsPort: {
      names: ['--metrics-port'],
      kind: 'string',
      description: 'Serve Prometheus metrics on this port (loopback): CA expiry per namespace, requests, gateway admissions',
    },
    accountMetricsPort: {
      names: ['--account-metrics-port'],
      kind: 'string',
      description:
        "Serve the account metrics endpoint (mTLS, https://<ip>:<port>/prometheus) on this port: the namespaces' series, to clients of the account's metrics CA bundle (tcld account metrics accepted-client-ca)",
    },
    upstream: {
      names: ['--upstream'],
      kind: 'string',
      description: "A Temporal frontend (host:port, plaintext) to relay admitted clients' calls to, for their namespace only, e.g. temporal server start-dev",
    },
    asyncDelay: {
      names: ['--async-delay'],
      kind: 'string',
      default: '200ms',
      description: 'How long async operations stay pending before they are fulfilled (a duration such as 2s)',
    },
  },
  examples: ['tcld dev-server --api-key-file ~/.config/tcld/dev-keys --namespace myns.acct', 'tcld dev-server --db :memory: --port 0'],
  load: () => import('../../commands/dev-server.js'),
  render: renderNothing,
  longRunning: true,
});
