import { renderWrittenFiles } from '../render.js';
import { defineCommand, type GroupSpec } from '../spec.js';
import { CA_KEY_PASSPHRASE_FLAGS, COMMON_NAME, ORGANIZATION, ORGANIZATION_UNIT, RSA } from './shared.js';

const caCertificateFile = <const D extends string>(description: D) =>
  ({ names: ['--ca-certificate-file', '--ca-cert'], kind: 'string', required: true, description }) as const;
const caKeyFile = <const D extends string>(description: D) => ({ names: ['--ca-key-file', '--ca-key'], kind: 'string', required: true, description }) as const;

const ca = defineCommand({
  names: ['certificate-authority-certificate', 'ca'],
  description: 'Generate a certificate authority certificate',
  flags: {
    organization: { ...ORGANIZATION, required: false, description: 'The name of the organization (required unless --like gives it)' },
    validityPeriod: {
      names: ['--validity-period', '-d'],
      kind: 'string',
      required: true,
      description: 'How long the certificate is valid, more than 7d and at most 1y. example: 30d10h (30 days and 10 hrs)',
    },
    caCertificateFile: caCertificateFile('The path where the generated x509 certificate will be stored'),
    caKeyFile: caKeyFile("The path where the certificate's private key will be stored"),
    rsaAlgorithm: RSA,
    like: { names: ['--like'], kind: 'string', description: 'An old CA certificate to succeed: its organization and key algorithm, a new key, serial and name' },
    ...CA_KEY_PASSPHRASE_FLAGS,
  },
  examples: ['tcld gen ca --org myco -d 1y --ca-cert ca.pem --ca-key ca.key', 'tcld gen ca --org myco -d 90d --rsa --ca-cert ca.pem --ca-key ca.key'],
  load: () => import('../../commands/gen/ca.js'),
  render: renderWrittenFiles,
});

const leaf = defineCommand({
  names: ['end-entity-certificate', 'leaf'],
  description: 'Generate an end-entity certificate',
  flags: {
    organization: { ...ORGANIZATION, required: false, description: 'The name of the organization (required unless --csr gives it)' },
    organizationUnit: ORGANIZATION_UNIT,
    commonName: COMMON_NAME,
    validityPeriod: {
      names: ['--validity-period', '-d'],
      kind: 'string',
      description: 'How long the certificate is valid. example: 30d10h (30 days and 10 hrs). By default it expires 24 hours before its CA (optional)',
    },
    caCertificateFile: caCertificateFile('The path of the x509 certificate for the certificate authority'),
    caKeyFile: caKeyFile('The path of the private key for the certificate authority (PKCS#8, SEC1 or PKCS#1 PEM)'),
    certificateFile: {
      names: ['--certificate-file', '--cert'],
      kind: 'string',
      required: true,
      description: 'The path where the generated x509 certificate will be stored',
    },
    keyFile: { names: ['--key-file', '--key'], kind: 'string', description: "The path where the certificate's private key will be stored (required unless --csr)" },
    csr: { names: ['--csr'], kind: 'string', description: "Issue for this certificate signing request (PEM): the key stays on the workload's host" },
    pkcs12: { names: ['--pkcs12'], kind: 'string', description: 'Also write the leaf, its key and the CA as a PKCS#12 file (for Java and .NET workers)' },
    pkcs12PasswordFile: { names: ['--pkcs12-password-file'], kind: 'string', description: "A file holding the PKCS#12 file's password (one trailing newline is ignored)" },
    ...CA_KEY_PASSPHRASE_FLAGS,
  },
  examples: [
    'tcld gen leaf --org myco --ca-cert ca.pem --ca-key ca.key --cert client.pem --key client.key',
    'tcld gen leaf --org myco --organization-unit payments --common-name worker -d 30d --ca-cert ca.pem --ca-key ca.key --cert worker.pem --key worker.key',
  ],
  load: () => import('../../commands/gen/leaf.js'),
  render: renderWrittenFiles,
});

const csr = defineCommand({
  names: ['certificate-signing-request', 'csr'],
  description: "Generate a key and a certificate signing request (PKCS#10) on the workload's host",
  flags: {
    organization: ORGANIZATION,
    organizationUnit: ORGANIZATION_UNIT,
    commonName: COMMON_NAME,
    csrFile: { names: ['--csr'], kind: 'string', required: true, description: 'The path where the request will be stored' },
    keyFile: { names: ['--key-file', '--key'], kind: 'string', required: true, description: "The path where the request's private key will be stored" },
    rsaAlgorithm: { ...RSA, description: 'RSA 4096 instead of ECDSA P-384' },
  },
  examples: ['tcld gen csr --org myco --common-name worker-1 --csr worker.csr --key worker.key', 'tcld gen leaf --csr worker.csr --ca-cert ca.pem --ca-key ca.key --cert worker.pem'],
  load: () => import('../../commands/gen/csr.js'),
  render: renderWrittenFiles,
});

export const GEN: GroupSpec = {
  names: ['generate-certificates', 'gen'],
  description: 'Commands for generating certificate authority and end-entity TLS certificates',
  commands: [ca, leaf, csr],
};
