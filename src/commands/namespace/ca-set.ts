import { mutate, requireNamespace, withCloud, type MutationFlags, type MutationOutcome } from '../cloud-flags.js';
import type { Deps } from '../deps.js';
import { currentBundle, describe, readCertificates, refuseInvalidBundle, specWithBundle, type BundleMutationFlags, type CertificateInputFlags } from './ca-bundle.js';
import { expiredCertificates } from '../../pki/bundle.js';
import { UserError } from '../../errors.js';

export type CaSetOptions = MutationFlags & CertificateInputFlags & BundleMutationFlags;

/** `tcld n ca s`: replaces the namespace's whole accepted bundle with the given certificates. */
export async function run(options: CaSetOptions, deps: Deps): Promise<MutationOutcome> {
  const namespace = requireNamespace(options.namespace);
  const given = await readCertificates(options, deps);
  return withCloud(options, deps, (client) =>
    mutate(client, { ...options, namespace }, deps, (current) => {
      const now = deps.now();
      const expired = expiredCertificates(given, now);
      if (expired.length > 0 && !options.removeExpired) {
        throw new UserError(`the new bundle holds expired certificates, which Temporal Cloud refuses: ${expired.map(describe).join(', ')}; add --remove-expired to leave them out`);
      }
      const certificates = given.filter((c) => !expired.includes(c));
      refuseInvalidBundle(certificates, now);
      const same = currentBundle(current).map((c) => c.fingerprint).join() === certificates.map((c) => c.fingerprint).join();
      if (same) return { unchanged: 'the bundle already holds exactly these certificates' };
      return { spec: specWithBundle(current, certificates), summary: `set the bundle to ${certificates.length} CA certificate(s)` };
    }),
  );
}
