/**
 * Plain-words explanations of a failed connection, from what the TLS probe saw and what the
 * certificate itself says. Pure: no I/O.
 */
import type { ProbeResult } from './probe.js';

export interface DiagnosisContext {
  address: string;
  servername: string;
  /** Whether --tls-ca-path was given (else the system trust store was used). */
  customServerCa: boolean;
  /** Whether --ca-bundle was given, and what admission against it said. */
  bundleCheck?: { accepted: boolean; reasons: string[] };
}

export function explainProbe(probe: Exclude<ProbeResult, { stage: 'admitted' }>, context: DiagnosisContext): string[] {
  switch (probe.stage) {
    case 'dns':
      return [`DNS: the host of ${context.address} does not resolve (${probe.detail}); check the address`];
    case 'connect':
      return [`connection: nothing accepts connections at ${context.address} (${probe.detail}); check the address and port, and that the server runs`];
    case 'timeout':
      return [`connection: ${context.address} did not complete a TLS handshake (${probe.detail}); check the address, port and any firewall`];
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

function bundleFindings(context: DiagnosisContext): string[] {
  if (!context.bundleCheck) return [];
  if (context.bundleCheck.accepted) return ['--ca-bundle: the certificate chains to that bundle and passes its rules, so the namespace probably holds another bundle'];
  return context.bundleCheck.reasons.map((reason) => `--ca-bundle: ${reason}`);
}
