import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import type { Finding } from '../connectivity/diagnose.js';
import type { ProbeResult } from '../connectivity/probe.js';
import { UsageError, UserError } from '../errors.js';
import { parseBundle } from '../pki/bundle.js';
import type { Deps } from './deps.js';
import type { Verdict } from './verdict.js';

export interface ConnectivityTestOptions {
  address: string;
  tlsCertPath: string;
  tlsKeyPath: string;
  tlsServerName?: string;
  tlsCaPath?: string;
  namespace?: string;
  caBundle?: string;
}

/**
 * `tcld connectivity test`: connects with the official TypeScript SDK client, as a worker would, and
 * reports success or, before the raw error, what went wrong in plain words.
 */
export async function run(options: ConnectivityTestOptions, deps: Deps): Promise<Verdict> {
  const { host, port } = parseAddress(options.address);
  const servername = options.tlsServerName || host;
  const [cert, key, ca] = await Promise.all([
    deps.files.readText(options.tlsCertPath, 'client certificate file'),
    deps.files.readText(options.tlsKeyPath, 'client key file'),
    options.tlsCaPath ? deps.files.readText(options.tlsCaPath, 'server root CA file') : undefined,
  ]);
  const chain = parseBundle(cert).map((c) => c.x509);
  if (chain.length === 0) throw new UserError(`${options.tlsCertPath} holds no certificate`);
  const findings = localFindings(chain, privateKeyOf(key, options.tlsKeyPath), deps.now());
  const bundleCheck = options.caBundle ? await checkAgainstBundle(options.caBundle, chain, deps) : undefined;
  const target = `${options.address}${servername !== host ? ` (server name ${servername})` : ''}`;

  const sdkError = await connectWithSdk({ address: options.address, servername, ca, cert, key });
  if (sdkError === undefined) {
    return { ok: true, lines: [`connected to ${target} as ${subjectOf(chain[0]!)}: GetSystemInfo answered`, ...findings.map((f) => `note: ${f.message}`)] };
  }
  const { probeTls } = await import('../connectivity/probe.js');
  const { explainProbe } = await import('../connectivity/diagnose.js');
  const probe: ProbeResult = await probeTls({ host, port, servername, ...(ca !== undefined ? { ca } : {}), cert, key });
  const context = {
    address: options.address,
    servername,
    customServerCa: ca !== undefined,
    ...(options.namespace ? { namespace: options.namespace } : {}),
    ...(bundleCheck ? { bundleCheck: { accepted: bundleCheck.accepted, problems: bundleCheck.problems } } : {}),
    findings,
  };
  const explained = probe.stage === 'admitted' ? [`the TLS handshake succeeds, but the gRPC call failed`] : explainProbe(probe, context);
  return {
    ok: false,
    lines: [`cannot connect to ${target} as ${subjectOf(chain[0]!)}`, ...findings.map((f) => `client certificate: ${f.message}`), ...explained, `raw error: ${sdkError}`],
  };
}

function parseAddress(address: string): { host: string; port: number } {
  const match = /^(.+):(\d{1,5})$/.exec(address);
  if (!match) throw new UsageError(`--address must be host:port, not ${address}`);
  return { host: match[1]!.replace(/^\[(.*)\]$/, '$1'), port: Number(match[2]) };
}

function privateKeyOf(pem: string, path: string): KeyObject {
  try {
    return createPrivateKey(pem);
  } catch {
    throw new UserError(`${path} is not a private key in PEM (or it is encrypted)`);
  }
}

/** What is wrong with the certificate itself, whatever the server says; coded as admission codes them, so --ca-bundle's problems do not repeat them. */
function localFindings(chain: X509Certificate[], key: KeyObject, now: Date): Finding[] {
  const leaf = chain[0]!;
  const findings: Finding[] = [];
  if (!leaf.checkPrivateKey(key)) findings.push({ code: 'key-mismatch', message: 'the key does not match the certificate (they are not a pair)' });
  if (new Date(leaf.validTo) < now) findings.push({ code: 'expired', message: `the certificate expired on ${new Date(leaf.validTo).toISOString()}` });
  if (new Date(leaf.validFrom) > now) findings.push({ code: 'not-yet-valid', message: `the certificate is not valid before ${new Date(leaf.validFrom).toISOString()}` });
  if (leaf.ca) findings.push({ code: 'ca-as-client', message: 'the certificate is a CA; a client presents an end-entity certificate issued by one (tcld gen leaf)' });
  return findings;
}

async function checkAgainstBundle(path: string, chain: X509Certificate[], deps: Deps) {
  const { admitClient, preparePolicy } = await import('../pki/admission.js');
  const bundle = parseBundle(await deps.files.readBytes(path, 'CA bundle file'));
  if (bundle.length === 0) throw new UserError(`${path} holds no CA certificate`);
  return admitClient(chain, preparePolicy({ bundle, filters: [] }), deps.now());
}

function subjectOf(certificate: X509Certificate): string {
  return certificate.subject.split('\n').reverse().join(',');
}

/** Connects as a worker would; resolves undefined on success, or the SDK's error message. */
async function connectWithSdk(options: { address: string; servername: string; ca?: string; cert: string; key: string }): Promise<string | undefined> {
  const { Connection } = require('@temporalio/client') as typeof import('@temporalio/client');
  try {
    const connection = await Connection.connect({
      address: options.address,
      connectTimeout: '3s',
      tls: {
        serverNameOverride: options.servername,
        ...(options.ca !== undefined ? { serverRootCACertificate: Buffer.from(options.ca) } : {}),
        clientCertPair: { crt: Buffer.from(options.cert), key: Buffer.from(options.key) },
      },
    });
    await connection.close();
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message.split('\n')[0] : String(error);
  }
}
