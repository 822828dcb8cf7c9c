import { UsageError, UserError } from '../../errors.js';
import { mutate, requireNamespace, withCloud, type MutationFlags, type MutationOutcome } from '../cloud-flags.js';
import type { Deps } from '../deps.js';

export interface LifecycleSetOptions extends MutationFlags {
  /** "true" or "false", as Go's strconv.ParseBool reads them (tcld takes the value as a string). */
  enableDeleteProtection?: string;
}

/**
 * `tcld n lc set --enable-delete-protection true|false`. As tcld: setting what is already set is an
 * error (none with --idempotent), and turning protection off asks first.
 */
export async function run(options: LifecycleSetOptions, deps: Deps): Promise<MutationOutcome> {
  const namespace = requireNamespace(options.namespace);
  if (options.enableDeleteProtection === undefined) throw new UsageError('at least one option for lifecycle spec must be set');
  const enable = parseGoBool(options.enableDeleteProtection);
  return withCloud(options, deps, async (client) => {
    const current = await client.getNamespace(namespace);
    const enabled = current.spec?.lifecycle?.enableDeleteProtection === true;
    if (enabled === enable) {
      const already = `delete protection is already ${enable ? 'enabled' : 'disabled'}`;
      if (options.idempotent) return { code: 'unchanged', reason: already };
      throw new UserError(`${already} (--idempotent accepts this)`);
    }
    if (!enable && !(await deps.confirm('disabling namespace delete protection may be prone to accidental deletion. confirm?'))) return { code: 'declined' };
    return mutate(client, { ...options, namespace }, deps, (latest) => {
      if ((latest.spec?.lifecycle?.enableDeleteProtection === true) === enable) return { unchanged: `delete protection is already ${enable ? 'enabled' : 'disabled'}` };
      return {
        spec: { ...latest.spec, lifecycle: { ...latest.spec?.lifecycle, enableDeleteProtection: enable } },
        summary: `delete protection ${enable ? 'enabled' : 'disabled'}`,
      };
    });
  });
}

/** Go's strconv.ParseBool, as tcld reads this flag, with its error. */
function parseGoBool(text: string): boolean {
  if (['1', 't', 'T', 'true', 'TRUE', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'false', 'FALSE', 'False'].includes(text)) return false;
  throw new UsageError(`not a valid boolean: strconv.ParseBool: parsing ${JSON.stringify(text)}: invalid syntax`);
}
