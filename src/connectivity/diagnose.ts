/**
 * Plain-words explanations of a failed connection, from what the TLS probe saw and what the
 * certificate itself says. Pure: no I/O.
 */
import { isIP } from 'node:net';
import type { AdmissionCode, AdmissionProblem } from '../pki/admission.js';
import type { ProbeResult } from './probe.js';

/** Something wrong with the client certificate itself, found before connecting: coded like admission's problems. */
export interface Finding {
  code: AdmissionCode | 'key-mismatch';
  message: string;
}

/**
 * Where namespace endpoints live: `<namespace>.<account>.<domain>`, the namespace ID followed by the
 * domain, which is also the TLS server name that picks the namespace. tcld dev-server's gateway uses
 * its own domain (DEFAULT_GATEWAY_DOMAIN in src/emulator, not imported here: that module loads protobuf).
 */
export const NAMESPACE_DOMAINS = { cloud: 'tmprl.cloud', devServer: 'tmprl.local' } as const;

export interface DiagnosisContext {
  address: string;
  servername: string;
  /** Whether --tls-ca-path was given (else the system trust store was used). */
  customServerCa: boolean;
  /** --namespace, if given: `<namespace>.<account>`, or just `<namespace>`. */
  namespace?: string;
  /** Whether --ca-bundle was given, and what admission against it said. */
  bundleCheck?: { accepted: boolean; problems: readonly AdmissionProblem[] };
  /** What is wrong with the certificate itself, already said: --ca-bundle's problems with the same code are not said again. */
  findings?: readonly Finding[];
}

export function explainProbe(probe: Exclude<ProbeResult, { stage: 'admitted' }>, context: DiagnosisContext): string[] {
  switch (probe.stage) {
    case 'dns':
      return [`DNS: the host of ${context.address} does not resolve (${probe.detail}); check the address`];
    case 'connect':
      return [`connection: nothing accepts connections at ${context.address} (${probe.detail}); check the address and port, and that the server runs`];
    case 'timeout':
      return [`connection: ${context.address} did not complete a TLS handshake (${probe.detail}); check the address, port and any firewall`];
    case 'server-name-refused':
      return [
        isIP(context.servername)
          ? `server name: none was sent (${context.servername} is an IP address), and the server refused the connection before it looked at the client certificate: a namespace endpoint is picked by its host name as TLS server name (${probe.detail})`
          : `server name: ${context.servername} is not a namespace endpoint: the server refused that TLS server name before it looked at the client certificate (${probe.detail})`,
        `server name: pass the namespace's endpoint host with --tls-server-name: ${endpointHosts(context.namespace)}`,
      ];
    case 'server-name':
      return [`server certificate: it is not valid for the name ${context.servername} (${probe.detail}); check --tls-server-name`];
    case 'server-certificate':
      return [
        `server certificate: not trusted (${probe.detail}); ${
          context.customServerCa ? 'check that --tls-ca-path is the root CA that issued it' : 'pass its root CA with --tls-ca-path'
        }`,
      ];
    case 'client-refused':
      return [
        `client certificate: the server refused it (${probe.detail}); check that the CA that issued it is in the namespace's accepted CA bundle (tcld n ca l) and that it matches the namespace's certificate filters (tcld n cf exp)`,
        ...bundleFindings(context),
      ];
    case 'tls':
      return [`TLS: the handshake failed (${probe.detail})`];
  }
}

/** The namespace's endpoint host on Temporal Cloud and on tcld dev-server, as concrete as --namespace allows. */
function endpointHosts(namespace: string | undefined): string {
  const id = namespace === undefined ? '<namespace>.<account>' : namespace.includes('.') ? namespace : `${namespace}.<account>`;
  return `${id}.${NAMESPACE_DOMAINS.cloud} for Temporal Cloud, ${id}.${NAMESPACE_DOMAINS.devServer} for tcld dev-server`;
}

function bundleFindings(context: DiagnosisContext): string[] {
  if (!context.bundleCheck) return [];
  if (context.bundleCheck.accepted) return ['--ca-bundle: the certificate chains to that bundle and passes its rules, so the namespace probably holds another bundle'];
  const said = new Set(context.findings?.map((finding) => finding.code));
  return context.bundleCheck.problems.filter((problem) => !said.has(problem.code)).map((problem) => `--ca-bundle: ${problem.message}`);
}
