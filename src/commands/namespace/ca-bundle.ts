/** The accepted-client-ca commands' shared steps: reading certificates in, and the namespace's bundle out and back. */
import type { INamespace, INamespaceSpec } from '../../cloud/proto.js';
import { UsageError, UserError } from '../../errors.js';
import {
  checkBundle,
  expiredCertificates,
  formatBundle,
  parseBundle,
  summarizeProblems,
  type BundleCertificate,
} from '../../pki/bundle.js';
import { parseBundleLazily } from '../../pki/lazy-bundle.js';
import type { Deps } from '../deps.js';

export interface CertificateInputFlags {
  /** --ca-certificate/-c: base64 of the PEM, as tcld takes it. */
  caCertificate?: string;
  /** --ca-certificate-file/-f: a PEM file with one or more certificates. */
  caCertificateFile?: string;
}

/** The certificates given with -c or -f (exactly one of them), refused when there are none. */
export async function readCertificates(flags: CertificateInputFlags, deps: Deps): Promise<BundleCertificate[]> {
  if (flags.caCertificate && flags.caCertificateFile) {
    throw new UsageError('give the certificates with --ca-certificate or with --ca-certificate-file, not both');
  }
  let input: Uint8Array;
  if (flags.caCertificateFile) {
    input = await deps.files.readBytes(flags.caCertificateFile, 'CA certificate file'); // PEM, or DER when recognisable
  } else if (flags.caCertificate) {
    if (!/^[A-Za-z0-9+/=\s]+$/.test(flags.caCertificate)) throw new UsageError('--ca-certificate must be the base64 of a PEM bundle');
    input = Buffer.from(flags.caCertificate, 'base64');
  } else {
    throw new UsageError('required flag --ca-certificate-file (-f) or --ca-certificate (-c) not set');
  }
  const certificates = parseBundle(input);
  if (certificates.length === 0) {
    throw new UserError(`no certificate in ${flags.caCertificateFile ?? '--ca-certificate'}: expected PEM (-----BEGIN CERTIFICATE-----)`);
  }
  return certificates;
}

/**
 * The namespace's current bundle (the bytes field, or the deprecated base64 string some accounts still
 * have), read lazily: listing needs only names, dates and fingerprints, and a change checks again only
 * what can have changed since the service took them (checkBundle's `accepted`).
 */
export function currentBundle(namespace: INamespace): BundleCertificate[] {
  const mtls = namespace.spec?.mtlsAuth;
  const bytes = mtls?.acceptedClientCa && mtls.acceptedClientCa.length > 0 ? Buffer.from(mtls.acceptedClientCa) : undefined;
  const text = bytes ? bytes.toString('utf8') : Buffer.from(mtls?.acceptedClientCaDeprecated ?? '', 'base64').toString('utf8');
  return parseBundleLazily(text);
}

/** The namespace's spec with this bundle in place of its current one (the API replaces the whole spec). */
export function specWithBundle(namespace: INamespace, certificates: readonly BundleCertificate[]): INamespaceSpec {
  const spec = namespace.spec ?? {};
  return {
    ...spec,
    mtlsAuth: { ...spec.mtlsAuth, acceptedClientCa: Buffer.from(formatBundle(certificates)), acceptedClientCaDeprecated: '' },
  };
}

/**
 * Refuses, with every problem on one line, a bundle Temporal Cloud would refuse. `accepted`: the
 * certificates it holds already, when every one of them stays (see checkBundle).
 */
export function refuseInvalidBundle(certificates: readonly BundleCertificate[], now: Date, accepted: readonly BundleCertificate[] = []): void {
  const problems = checkBundle(certificates, now, { accepted: new Set(accepted.map((c) => c.fingerprint)) });
  if (problems.length > 0) throw new UserError(`the resulting CA bundle would be refused: ${summarizeProblems(problems.map((p) => p.message))}`);
}

export function describe(certificate: BundleCertificate): string {
  return `${certificate.subject} (${certificate.fingerprint.slice(0, 12)}…)`;
}

/** Which bundle holds the expired certificates, as the refusal names it: a target's (`namespace ns's bundle`), or 'the new bundle' that `set` is given. */
export type ExpiredIn = string;

/**
 * The real service refuses any update whose bundle still holds an expired certificate. With
 * --remove-expired those are dropped in the same update; without it the refusal names them (the one
 * wording of that refusal, for add, remove and set).
 */
export function dropExpired(certificates: BundleCertificate[], removeExpired: boolean | undefined, now: Date, bundle: ExpiredIn): BundleCertificate[] {
  const expired = expiredCertificates(certificates, now);
  if (expired.length === 0) return certificates;
  if (!removeExpired) {
    const list = expired.map(describe).join(', ');
    throw new UserError(`${bundle} holds expired certificates, which Temporal Cloud refuses in any update: ${list}; add --remove-expired to drop them in this update`);
  }
  return certificates.filter((c) => !expired.includes(c));
}

/** The flags add, remove and set share. */
export interface BundleMutationFlags {
  removeExpired?: boolean;
}
