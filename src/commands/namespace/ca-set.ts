import { mutate, requireNamespace, withCloud, type MutationFlags, type MutationOutcome } from '../cloud-flags.js';
import type { Deps } from '../deps.js';
import { currentBundle, dropExpired, readCertificates, refuseInvalidBundle, specWithBundle, type BundleMutationFlags, type CertificateInputFlags } from './ca-bundle.js';

export type CaSetOptions = MutationFlags & CertificateInputFlags & BundleMutationFlags;

/** `tcld n ca s`: replaces the namespace's whole accepted bundle with the given certificates. */
export async function run(options: CaSetOptions, deps: Deps): Promise<MutationOutcome> {
  const namespace = requireNamespace(options.namespace);
  const given = await readCertificates(options, deps);
  return withCloud(options, deps, (client) =>
    mutate(client, { ...options, namespace }, deps, (current) => {
      const now = deps.now();
      const certificates = dropExpired(given, options.removeExpired, now, 'the new bundle');
      refuseInvalidBundle(certificates, now);
      const same = currentBundle(current).map((c) => c.fingerprint).join() === certificates.map((c) => c.fingerprint).join();
      if (same) return { unchanged: 'the bundle already holds exactly these certificates' };
      return { spec: specWithBundle(current, certificates), summary: `set the bundle to ${certificates.length} CA certificate(s)` };
    }),
  );
}
