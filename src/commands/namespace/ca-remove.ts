import type { SpecChange } from '../../cloud/mutate.js';
import type { INamespace } from '../../cloud/proto.js';
import { UsageError, UserError } from '../../errors.js';
import { removeFromBundle } from '../../pki/bundle.js';
import { mutate, requireNamespace, withCloud, type MutationFlags, type MutationOutcome } from '../cloud-flags.js';
import type { Deps } from '../deps.js';
import {
  currentBundle,
  dropExpired,
  readCertificates,
  refuseInvalidBundle,
  specWithBundle,
  type BundleMutationFlags,
  type CertificateInputFlags,
} from './ca-bundle.js';

export type CaRemoveOptions = MutationFlags &
  CertificateInputFlags &
  BundleMutationFlags & {
    caCertificateFingerprint?: string;
    all?: boolean;
  };

/** `tcld n ca r`: removes CA certificates (given as PEM, or by fingerprint) after a confirmation. */
export async function run(options: CaRemoveOptions, deps: Deps): Promise<MutationOutcome> {
  const namespace = requireNamespace(options.namespace);
  const given = [options.caCertificate, options.caCertificateFile, options.caCertificateFingerprint].filter(Boolean).length;
  if (options.all && given > 0) throw new UsageError('--all removes every certificate: give no other certificate flag with it');
  if (!options.all && given === 0 && !options.removeExpired) {
    throw new UsageError('say what to remove: --ca-certificate-fingerprint, --ca-certificate-file, --ca-certificate, --all or --remove-expired');
  }
  if (options.caCertificateFingerprint && (options.caCertificate || options.caCertificateFile)) {
    throw new UsageError('give the certificates to remove either by fingerprint or as PEM, not both');
  }
  const fingerprints = options.caCertificateFingerprint
    ? options.caCertificateFingerprint.split(',').map((f) => f.trim())
    : given > 0
      ? (await readCertificates(options, deps)).map((c) => c.fingerprint)
      : [];
  const what = options.all ? 'every accepted CA certificate' : fingerprints.length > 0 ? `${fingerprints.length} CA certificate(s)` : 'the expired CA certificates';
  const change = (current: INamespace): SpecChange => {
    const now = deps.now();
    const before = currentBundle(current);
    if (options.all) {
      if (current.spec?.mtlsAuth?.enabled) {
        throw new UserError(`mTLS is namespace ${namespace}'s auth method, so removing every CA would lock out every client: add the new CA first, or use set`);
      }
      return before.length === 0 ? { unchanged: 'the bundle is already empty' } : { spec: specWithBundle(current, []), summary: `removed all ${before.length} CA certificates` };
    }
    let remaining = before;
    if (fingerprints.length > 0) {
      const removed = removeFromBundle(before, fingerprints);
      if (!removed.changed) return { unchanged: removed.reason };
      remaining = removed.certificates;
    }
    // Removing by fingerprint may itself take out the expired ones; any left need --remove-expired.
    remaining = dropExpired(remaining, options.removeExpired || fingerprints.length === 0, now, "the namespace's bundle");
    if (remaining.length === before.length) return { unchanged: 'no expired certificate to remove' };
    if (remaining.length === 0 && current.spec?.mtlsAuth?.enabled) {
      throw new UserError(`that would leave namespace ${namespace} with no accepted CA while mTLS is its auth method: add the new CA first`);
    }
    if (remaining.length > 0) refuseInvalidBundle(remaining, now);
    return { spec: specWithBundle(current, remaining), summary: `removed ${before.length - remaining.length} CA certificate(s)` };
  };
  // As tcld: decide on the namespace as it is first (a certificate that is not there, nothing to change),
  // and ask only about a removal that can happen.
  return withCloud(options, deps, async (client) => {
    const preview = change(await client.getNamespace(namespace));
    const question = `removing ${what} from namespace ${namespace}; clients with certificates they issued will be refused. confirm:`;
    if ('spec' in preview && !(await deps.confirm(question))) return { code: 'declined' };
    return mutate(client, { ...options, namespace }, deps, change);
  });
}
