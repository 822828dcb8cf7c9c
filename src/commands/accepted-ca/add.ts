import { UserError } from '../../errors.js';
import { addToBundle } from '../../pki/bundle.js';
import { mutateSubject, withCloud, type MutationOutcome, type ResourceMutationFlags } from '../cloud-flags.js';
import type { Deps } from '../deps.js';
import { dropExpired, readCertificates, refuseInvalidBundle, type BundleMutationFlags, type CertificateInputFlags } from '../namespace/ca-bundle.js';
import type { BundleTarget } from './target.js';

export type AddCertificatesOptions = ResourceMutationFlags & CertificateInputFlags & BundleMutationFlags;

/** `accepted-client-ca add`: adds CA certificates to the target's bundle. */
export async function addCertificates<R, S>(target: BundleTarget<R, S>, options: AddCertificatesOptions, deps: Deps): Promise<MutationOutcome> {
  const added = await readCertificates(options, deps);
  return withCloud(options, deps, (client) =>
    mutateSubject(client, target.subject(client), options, deps, (current) => {
      const now = deps.now();
      const before = target.bundleOf(current);
      const kept = dropExpired(before, options.removeExpired, now, target.bundleName);
      const result = addToBundle(kept, added, options.idempotent);
      if (!result.changed && result.code === 'already-present' && !options.idempotent) throw new UserError(result.reason);
      if (!result.changed) return { unchanged: result.reason };
      // Nothing left the bundle: what it held was checked when the service took it (checkBundle's `accepted`).
      refuseInvalidBundle(result.certificates, now, kept.length === before.length ? before : []);
      const dropped = before.length - kept.length;
      return {
        spec: target.specWith(current, result.certificates),
        summary: `added ${added.length} CA certificate${added.length === 1 ? '' : 's'}${dropped ? `, removed ${dropped} expired` : ''}`,
      };
    }),
  );
}
