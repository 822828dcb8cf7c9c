import { renderText, renderVerdict } from '../render.js';
import { defineCommand, type GroupSpec } from '../spec.js';
import { WITHIN, outputFlag } from './shared.js';

const inspect = defineCommand({
  names: ['inspect'],
  description: 'Show every certificate in a PEM (or DER) file: names, validity, key, usages, fingerprints',
  flags: { output: outputFlag(['text', 'json'], 'text or json') },
  args: [{ key: 'file', name: '<file>', required: true, description: 'A certificate or bundle file' }],
  examples: ['tcld cert inspect client.pem', 'tcld cert inspect bundle.pem --output json'],
  load: () => import('../../commands/certificates/inspect.js'),
  render: renderText,
});

const verify = defineCommand({
  names: ['verify'],
  description: 'Say whether Temporal Cloud would accept a client certificate, with every reason if not',
  flags: {
    cert: { names: ['--cert'], kind: 'string', required: true, description: 'The client certificate (PEM; intermediates may follow it)' },
    caBundle: { names: ['--ca-bundle'], kind: 'string', description: "The namespace's accepted CA bundle (PEM)" },
    certificateFilterFile: { names: ['--certificate-filter-file'], kind: 'string', description: "The namespace's certificate filters (JSON), with --ca-bundle" },
    namespace: { names: ['--namespace', '-n'], kind: 'string', description: 'Fetch the bundle and filters of this namespace through the Cloud Ops API instead' },
    output: outputFlag(['text', 'json'], 'text or json'),
  },
  examples: ['tcld cert verify --cert client.pem --ca-bundle ca.pem', 'tcld cert verify --cert client.pem -n myns.acct'],
  load: () => import('../../commands/certificates/verify.js'),
  render: renderVerdict,
});

const checkExpiry = defineCommand({
  names: ['check-expiry'],
  description: 'Exit 1 when a certificate expires within the window, 0 when none does, 2 on bad input (for cron and CI)',
  flags: { within: WITHIN, output: outputFlag(['text', 'json'], 'text or json') },
  args: [{ key: 'files', name: '<file>', rest: true, required: true, description: 'Certificate or bundle files' }],
  examples: ['tcld cert check-expiry ca.pem client.pem --within 30d'],
  load: () => import('../../commands/certificates/check-expiry.js'),
  render: renderVerdict,
});

export const CERTIFICATES: GroupSpec = {
  names: ['certificates', 'cert'],
  description: 'Inspect and check certificates: what they are, whether Temporal Cloud accepts them, when they expire',
  commands: [inspect, verify, checkExpiry],
};
