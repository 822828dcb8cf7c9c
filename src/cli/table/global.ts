import type { FlagMap } from '../spec.js';

/**
 * tcld's global (app-level) flags, with the environment variables tcld reads for them. Every command
 * takes them, before or after its name, and ignores those that do not apply to it (`tcld --api-key K gen ca`).
 */
export const GLOBAL_FLAGS = {
  server: {
    names: ['--server', '-s'],
    kind: 'string',
    env: 'TEMPORAL_CLOUD_API_SERVER',
    default: 'saas-api.tmprl.cloud:443',
    description: 'The Cloud Ops API server (host:port)',
  },
  apiKey: { names: ['--api-key'], kind: 'string', env: 'TEMPORAL_CLOUD_API_KEY', description: 'The API key to authenticate with; without one, the login that tcld login stored' },
  insecure: {
    names: ['--insecure'],
    kind: 'boolean',
    env: 'TEMPORAL_CLOUD_INSECURE_CONNECTION',
    description: 'Plaintext instead of TLS (a local tcld dev-server)',
  },
  tlsServerName: {
    names: ['--tls-server-name'],
    kind: 'string',
    env: 'TEMPORAL_CLOUD_TLS_SERVER_NAME',
    description: "The name to expect in the Cloud Ops API server's certificate",
  },
  enableDebugLogs: {
    names: ['--enable-debug-logs'],
    kind: 'boolean',
    env: 'TEMPORAL_CLOUD_ENABLE_DEBUG_LOGS',
    description: 'Log each API call and retry on stderr (never the API key)',
  },
  idempotent: {
    names: ['--idempotent'],
    kind: 'boolean',
    env: 'TEMPORAL_CLOUD_IDEMPOTENT',
    description: 'Succeed without error when there is nothing to change',
  },
  configDir: { names: ['--config-dir'], kind: 'string', env: 'TEMPORAL_CLOUD_CONFIG_DIR', description: 'The config directory to use', hidden: true },
  autoConfirm: { names: ['--auto_confirm', '--auto-confirm'], kind: 'boolean', env: 'AUTO_CONFIRM', description: 'Automatically confirm all prompts' },
} as const satisfies FlagMap;

export type GlobalFlags = typeof GLOBAL_FLAGS;
