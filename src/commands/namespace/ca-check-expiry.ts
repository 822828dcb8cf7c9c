import { requireNamespace, withCloud, type NamespaceFlags } from '../cloud-flags.js';
import { DEFAULT_WINDOW, expiryVerdict, parseWindow } from '../certificates/check-expiry.js';
import type { Verdict } from '../verdict.js';
import type { Deps } from '../deps.js';
import { currentBundle } from './ca-bundle.js';

export interface CaCheckExpiryOptions extends NamespaceFlags {
  /** The window, a tcld duration; default 30d. */
  within?: string;
}

/**
 * `tcld n ca check-expiry -n NS --within 30d`: `cert check-expiry` for a namespace's accepted CAs. Exit 0
 * when none expires within the window, 1 when one does (each listed with its fingerprint, for `n ca r --fp`).
 * Bad input (no namespace, a bad duration) is a usage error, exit 2, checked before connecting; the API's
 * errors (unreachable server, bad key, unknown namespace) are user errors, exit 1, like every Cloud command.
 * A namespace with no accepted CA has nothing that expires: exit 0, saying so.
 */
export async function run(options: CaCheckExpiryOptions, deps: Deps): Promise<Verdict> {
  const namespace = requireNamespace(options.namespace);
  const windowMs = parseWindow(options.within);
  const current = await withCloud(options, deps, (client) => client.getNamespace(namespace));
  const certificates = currentBundle(current);
  if (certificates.length === 0) return { ok: true, lines: [`ok: namespace ${namespace} has no accepted client CA certificate, so none expires`] };
  return expiryVerdict([{ name: `namespace ${namespace}`, certificates }], {
    windowMs,
    within: options.within ?? DEFAULT_WINDOW,
    now: deps.now(),
    fingerprints: true,
  });
}
