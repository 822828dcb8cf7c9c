import { UserError } from '../../errors.js';
import { expiredCertificates } from '../../pki/bundle.js';
import { mutateSubject, withCloud, type MutationOutcome, type ResourceMutationFlags } from '../cloud-flags.js';
import type { Deps } from '../deps.js';
import { describe, readCertificates, refuseInvalidBundle, type BundleMutationFlags, type CertificateInputFlags } from '../namespace/ca-bundle.js';
import type { BundleTarget } from './target.js';

export type SetCertificatesOptions = ResourceMutationFlags & CertificateInputFlags & BundleMutationFlags;

/** `accepted-client-ca set`: replaces the target's whole bundle with the given certificates. */
export async function setCertificates<R, S>(target: BundleTarget<R, S>, options: SetCertificatesOptions, deps: Deps): Promise<MutationOutcome> {
  const given = await readCertificates(options, deps);
  return withCloud(options, deps, (client) =>
    mutateSubject(client, target.subject(client), options, deps, (current) => {
      const now = deps.now();
      const expired = expiredCertificates(given, now);
      if (expired.length > 0 && !options.removeExpired) {
        throw new UserError(`the new bundle holds expired certificates, which Temporal Cloud refuses: ${expired.map(describe).join(', ')}; add --remove-expired to leave them out`);
      }
      const certificates = given.filter((c) => !expired.includes(c));
      refuseInvalidBundle(certificates, now);
      const same = target.bundleOf(current).map((c) => c.fingerprint).join() === certificates.map((c) => c.fingerprint).join();
      if (same) return { unchanged: 'the bundle already holds exactly these certificates' };
      return { spec: target.specWith(current, certificates), summary: `set the bundle to ${certificates.length} CA certificate(s)` };
    }),
  );
}
