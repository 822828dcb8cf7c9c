import { mutateSubject, withCloud, type MutationOutcome, type ResourceMutationFlags } from '../cloud-flags.js';
import type { Deps } from '../deps.js';
import { dropExpired, readCertificates, refuseInvalidBundle, type BundleMutationFlags, type CertificateInputFlags } from '../namespace/ca-bundle.js';
import type { BundleTarget } from './target.js';

export type SetCertificatesOptions = ResourceMutationFlags & CertificateInputFlags & BundleMutationFlags;

/** `accepted-client-ca set`: replaces the target's whole bundle with the given certificates. */
export async function setCertificates<R, S>(target: BundleTarget<R, S>, options: SetCertificatesOptions, deps: Deps): Promise<MutationOutcome> {
  const given = await readCertificates(options, deps);
  return withCloud(options, deps, (client) =>
    mutateSubject(client, target.subject(client), options, deps, (current) => {
      const now = deps.now();
      const certificates = dropExpired(given, options.removeExpired, now, 'the new bundle');
      refuseInvalidBundle(certificates, now);
      const same = target.bundleOf(current).map((c) => c.fingerprint).join() === certificates.map((c) => c.fingerprint).join();
      if (same) return { unchanged: 'the bundle already holds exactly these certificates' };
      return { spec: target.specWith(current, certificates), summary: `set the bundle to ${certificates.length} CA certificate(s)` };
    }),
  );
}
