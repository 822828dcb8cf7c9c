import type { SpecChange } from '../../cloud/mutate.js';
import { UsageError, UserError } from '../../errors.js';
import { removeFromBundle, type BundleCertificate } from '../../pki/bundle.js';
import { mutateSubject, withCloud, type MutationOutcome, type ResourceMutationFlags } from '../cloud-flags.js';
import type { Deps } from '../deps.js';
import { dropExpired, readCertificates, refuseInvalidBundle, type BundleMutationFlags, type CertificateInputFlags } from '../namespace/ca-bundle.js';
import type { BundleTarget } from './target.js';

export type RemoveCertificatesOptions = ResourceMutationFlags &
  CertificateInputFlags &
  BundleMutationFlags & {
    caCertificateFingerprint?: string;
    all?: boolean;
  };

/** What a removal leaves, or why it changes nothing. */
type Removal = { remaining: BundleCertificate[]; removed: number } | { unchanged: string };

/** `accepted-client-ca remove`: removes CA certificates (given as PEM, or by fingerprint) after a confirmation. */
export async function removeCertificates<R, S>(target: BundleTarget<R, S>, options: RemoveCertificatesOptions, deps: Deps): Promise<MutationOutcome> {
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

  const decide = (current: R): Removal => {
    const now = deps.now();
    const before = target.bundleOf(current);
    if (options.all) {
      const refusal = target.emptyRefusal(current, 'all');
      if (refusal) throw new UserError(refusal);
      return before.length === 0 ? { unchanged: target.alreadyEmpty } : { remaining: [], removed: before.length };
    }
    let remaining = before;
    if (fingerprints.length > 0) {
      const removed = removeFromBundle(before, fingerprints);
      if (!removed.changed) return { unchanged: removed.reason };
      remaining = removed.certificates;
    }
    // Removing by fingerprint may itself take out the expired ones; any left need --remove-expired.
    remaining = dropExpired(remaining, options.removeExpired || fingerprints.length === 0, now, target.bundleName);
    if (remaining.length === before.length) return { unchanged: 'no expired certificate to remove' };
    const refusal = remaining.length === 0 ? target.emptyRefusal(current, 'last') : undefined;
    if (refusal) throw new UserError(refusal);
    if (remaining.length > 0) refuseInvalidBundle(remaining, now);
    return { remaining, removed: before.length - remaining.length };
  };
  const change = (current: R): SpecChange<S> => {
    const removal = decide(current);
    if ('unchanged' in removal) return removal;
    const summary = options.all ? `removed all ${removal.removed} CA certificates` : `removed ${removal.removed} CA certificate(s)`;
    return { spec: target.specWith(current, removal.remaining), summary };
  };
  // As tcld: decide on the resource as it is first (a certificate that is not there, nothing to change),
  // and ask only about a removal that can happen.
  return withCloud(options, deps, async (client) => {
    const preview = decide(await target.read(client));
    if ('remaining' in preview) {
      const emptied = preview.remaining.length === 0 ? `; it is left with no CA, ${target.emptyMeans}` : '';
      const question = `removing ${what} from ${target.name}; clients with certificates they issued will be refused${emptied}. confirm:`;
      if (!(await deps.confirm(question))) return { code: 'declined' };
    }
    return mutateSubject(client, target.subject(client), options, deps, change);
  });
}
