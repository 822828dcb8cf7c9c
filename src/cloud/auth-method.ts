/**
 * A namespace's authentication method, as tcld names it (`--auth-method mtls`), and where the Cloud Ops
 * API keeps it: two switches of the spec, `mtls_auth.enabled` and `api_key_auth.enabled` (each "if
 * unspecified, disabled", as the API documents them). tcld's internal API has one enum instead; this
 * maps between the two. Pure: the CLI, the emulator's service and its gateway all decide from here.
 */
import type { INamespaceSpec } from './proto.js';

/** tcld's `--auth-method` values, in tcld's order (its `AuthMethods`). */
export const AUTH_METHODS = ['restricted', 'mtls', 'api_key', 'api_key_or_mtls'] as const;

export type AuthMethod = (typeof AUTH_METHODS)[number];

/** What each method admits at the namespace endpoint. */
const ADMITS: Readonly<Record<AuthMethod, { mtls: boolean; apiKey: boolean }>> = {
  restricted: { mtls: false, apiKey: false },
  mtls: { mtls: true, apiKey: false },
  api_key: { mtls: false, apiKey: true },
  api_key_or_mtls: { mtls: true, apiKey: true },
};

/** tcld's names of its AuthMethod enum values, as its prompts print them ('Mtls', 'ApiKeyOrMtls'). */
const TCLD_ENUM_NAMES: Readonly<Record<AuthMethod, string>> = {
  restricted: 'Restricted',
  mtls: 'Mtls',
  api_key: 'ApiKey',
  api_key_or_mtls: 'ApiKeyOrMtls',
};

export function isAuthMethod(value: string): value is AuthMethod {
  return (AUTH_METHODS as readonly string[]).includes(value);
}

/** Whether clients may connect with a certificate, and with an API key, under `method`. */
export function admits(method: AuthMethod): { mtls: boolean; apiKey: boolean } {
  return ADMITS[method];
}

/** The method a spec's two switches make. */
export function authMethodOf(spec: INamespaceSpec | null | undefined): AuthMethod {
  const mtls = spec?.mtlsAuth?.enabled === true;
  const apiKey = spec?.apiKeyAuth?.enabled === true;
  if (mtls && apiKey) return 'api_key_or_mtls';
  if (mtls) return 'mtls';
  if (apiKey) return 'api_key';
  return 'restricted';
}

/** The spec with `method`'s switches; everything else (the bundle, the filters) is kept. */
export function specWithAuthMethod(spec: INamespaceSpec, method: AuthMethod): INamespaceSpec {
  const { mtls, apiKey } = ADMITS[method];
  return { ...spec, mtlsAuth: { ...spec.mtlsAuth, enabled: mtls }, apiKeyAuth: { ...spec.apiKeyAuth, enabled: apiKey } };
}

/**
 * Whether moving from `from` to `to` may break clients that are connected now: tcld's
 * `disruptiveChange` (anything but leaving `restricted`, which admits nobody, or moving to
 * `api_key_or_mtls`, which admits everyone the others do).
 */
export function isDisruptive(from: AuthMethod, to: AuthMethod): boolean {
  return from !== 'restricted' && to !== 'api_key_or_mtls';
}

/** tcld's name of the method in its prompts: 'Mtls', 'ApiKey'… */
export function tcldEnumName(method: AuthMethod): string {
  return TCLD_ENUM_NAMES[method];
}
