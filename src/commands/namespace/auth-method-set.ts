import { admits, authMethodOf, isDisruptive, specWithAuthMethod, tcldEnumName, type AuthMethod } from '../../cloud/auth-method.js';
import type { INamespace } from '../../cloud/proto.js';
import { UserError } from '../../errors.js';
import { mutate, requireNamespace, withCloud, type MutationFlags, type MutationOutcome } from '../cloud-flags.js';
import type { Deps } from '../deps.js';
import { currentBundle } from './ca-bundle.js';

export interface AuthMethodSetOptions extends MutationFlags {
  authMethod: AuthMethod;
}

/**
 * `tcld n am set --auth-method M`. As tcld: the same method again is "nothing to change" (none with
 * --idempotent), and a change that may cut connected clients off (tcld's disruptiveChange) asks first.
 * A method that takes certificates is refused, before anything is sent, for a namespace without a CA.
 */
export async function run(options: AuthMethodSetOptions, deps: Deps): Promise<MutationOutcome> {
  const namespace = requireNamespace(options.namespace);
  const wanted = options.authMethod;
  const change = (current: INamespace) => {
    const from = authMethodOf(current.spec);
    if (from === wanted) return { unchanged: `the auth method is already ${wanted}` };
    if (admits(wanted).mtls && currentBundle(current).length === 0) {
      throw new UserError(`namespace ${namespace} accepts no client CA yet, so auth method ${wanted} would admit no certificate: add one first (tcld namespace accepted-client-ca add)`);
    }
    return { spec: specWithAuthMethod(current.spec ?? {}, wanted), summary: `auth method ${from} → ${wanted}` };
  };
  return withCloud(options, deps, async (client) => {
    const current = await client.getNamespace(namespace);
    const from = authMethodOf(current.spec);
    const preview = change(current);
    if ('spec' in preview && isDisruptive(from, wanted)) {
      const question = `setting auth method from '${tcldEnumName(from)}' to '${tcldEnumName(wanted)}' will cause existing client connections to fail. are you sure you want to continue?`;
      if (!(await deps.confirm(question))) return { code: 'declined' };
    }
    return mutate(client, { ...options, namespace }, deps, change);
  });
}
