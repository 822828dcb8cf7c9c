import { renderVerdict } from '../render.js';
import { defineCommand, type GroupSpec } from '../spec.js';

const test = defineCommand({
  names: ['test'],
  description: 'Connect as a worker would (official TypeScript SDK client) and explain any refusal',
  flags: {
    address: { names: ['--address'], kind: 'string', required: true, description: 'The namespace endpoint, host:port (e.g. myns.acct.tmprl.cloud:7233)' },
    tlsCertPath: { names: ['--tls-cert-path'], kind: 'string', required: true, description: 'The client certificate (PEM)' },
    tlsKeyPath: { names: ['--tls-key-path'], kind: 'string', required: true, description: "The client certificate's private key (PEM)" },
    tlsServerName: { names: ['--tls-server-name'], kind: 'string', description: 'The TLS server name (SNI) to ask for, when it differs from the address host' },
    tlsCaPath: { names: ['--tls-ca-path'], kind: 'string', description: "The server's root CA (PEM); default the system's trust store" },
    namespace: { names: ['--namespace', '-n'], kind: 'string', description: "The namespace (myns.acct), to name its endpoint host when the server name is refused" },
    caBundle: { names: ['--ca-bundle'], kind: 'string', description: "The namespace's accepted CA bundle, to say locally whether the certificate chains to it" },
  },
  examples: [
    'tcld ct --address 127.0.0.1:7233 --tls-server-name myns.acct.tmprl.local --tls-ca-path dev-server-ca.pem --tls-cert-path client.pem --tls-key-path client.key',
    'tcld connectivity test --address myns.acct.tmprl.cloud:7233 --tls-cert-path client.pem --tls-key-path client.key --ca-bundle ca.pem',
  ],
  load: () => import('../../commands/connectivity-test.js'),
  render: renderVerdict,
});

/** `tcld ct …` is `tcld connectivity test …`; `tcld ct test …` works too. */
export const CONNECTIVITY: GroupSpec = {
  names: ['connectivity', 'ct'],
  description: 'Check that a client certificate gets through to a namespace endpoint (tcld ct = tcld connectivity test)',
  commands: [test],
  defaultCommand: test,
};
