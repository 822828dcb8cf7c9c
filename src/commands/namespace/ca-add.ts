import { UserError } from '../../errors.js';
import { addToBundle } from '../../pki/bundle.js';
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

export type CaAddOptions = MutationFlags & CertificateInputFlags & BundleMutationFlags;

/** `tcld n ca a`: adds CA certificates to the namespace's accepted bundle. */
export async function run(options: CaAddOptions, deps: Deps): Promise<MutationOutcome> {
  const namespace = requireNamespace(options.namespace);
  const added = await readCertificates(options, deps);
  return withCloud(options, deps, (client) =>
    mutate(client, { ...options, namespace }, deps, (current) => {
      const now = deps.now();
      const kept = dropExpired(currentBundle(current), options.removeExpired, now, "the namespace's bundle");
      const result = addToBundle(kept, added, options.idempotent);
      if (!result.changed && result.code === 'already-present' && !options.idempotent) throw new UserError(result.reason);
      if (!result.changed) return { unchanged: result.reason };
      refuseInvalidBundle(result.certificates, now);
      const dropped = currentBundle(current).length - kept.length;
      return {
        spec: specWithBundle(current, result.certificates),
        summary: `added ${added.length} CA certificate${added.length === 1 ? '' : 's'}${dropped ? `, removed ${dropped} expired` : ''}`,
      };
    }),
  );
}
