import type { CloudClient } from '../../cloud/client.js';
import type { IApiKeySpec } from '../../cloud/proto.js';
import { OWNER_TYPES, type TcldCreatedApiKey } from '../../cloud/tcld-apikey.js';
import { tcldRequestStatus } from '../../cloud/tcld-json.js';
import { UsageError, UserError } from '../../errors.js';
import { DurationError, parseDuration } from '../../pki/duration.js';
import { requestIdOf, withCloud, type ConnectionFlags } from '../cloud-flags.js';
import type { Deps } from '../deps.js';
import { printJson, TCLD_PROTO_INDENT, type Printable } from '../output-format.js';

export interface ApiKeyCreateOptions extends ConnectionFlags {
  name: string;
  description?: string;
  /** From now, in tcld's duration syntax (30d, 1.5y, 4d12h); ignored when --expiry is set, as in tcld. */
  duration?: string;
  /** RFC 3339. */
  expiry?: string;
  serviceAccountId?: string;
  requestId?: string;
}

/** Printed once, beside the secret, on stderr. */
export const SECRET_WARNING = 'the secretKey above is shown only this once: copy it now; tcld does not store it and cannot show it again';

/**
 * `tcld apikey create`: a key for the caller (the user GetCurrentIdentity names, or the service
 * account the caller is), or for --service-account-id. Prints tcld's `{"id", "secretKey",
 * "requestStatus"}` on stdout, the only time the secret exists outside the server; writes it nowhere.
 */
export async function run(options: ApiKeyCreateOptions, deps: Deps): Promise<Printable> {
  const expiry = expiryOf(options, deps);
  const ms = expiry.getTime();
  return withCloud(options, deps, async (client) => {
    const spec: IApiKeySpec = {
      ...(await ownerOf(client, options.serviceAccountId)),
      displayName: options.name,
      description: options.description ?? '',
      expiryTime: { seconds: Math.floor(ms / 1000), nanos: (((ms % 1000) + 1000) % 1000) * 1_000_000 } as unknown as IApiKeySpec['expiryTime'],
      disabled: false,
    };
    const created = await client.createApiKey({ spec, asyncOperationId: requestIdOf(options.requestId) });
    const response: TcldCreatedApiKey = {
      id: created.keyId,
      secretKey: created.token,
      requestStatus: tcldRequestStatus(created.asyncOperation ?? {}, { resourceId: created.keyId, resourceType: 'apikey' }),
    };
    return printJson(response, TCLD_PROTO_INDENT, [SECRET_WARNING]);
  });
}

/** --expiry, else now + --duration: one of them is needed ("no expiry was set", as tcld). */
function expiryOf(options: ApiKeyCreateOptions, deps: Deps): Date {
  if (options.expiry) {
    if (options.duration) deps.err('--duration is ignored: --expiry is set');
    const ms = parseRfc3339(options.expiry);
    if (ms === undefined) throw new UsageError(`--expiry ${JSON.stringify(options.expiry)} is not an RFC 3339 time, such as 2030-01-31T00:00:00Z`);
    return new Date(ms);
  }
  if (!options.duration) throw new UsageError('no expiry was set: pass --duration (such as 90d) or --expiry (RFC 3339)');
  let ms: number;
  try {
    ms = parseDuration(options.duration);
  } catch (error) {
    if (error instanceof DurationError) throw new UsageError(`failed to parse duration: ${error.message}`);
    throw error;
  }
  if (ms <= 0) throw new UsageError(`expiration must be positive: ${options.duration}`);
  return new Date(deps.now().getTime() + ms);
}

/** An RFC 3339 time as Go's time.RFC3339 layout reads it (every field in range: no 31 February), in ms. */
export function parseRfc3339(text: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|([+-])(\d{2}):(\d{2}))$/.exec(text);
  if (!match) return undefined;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) return undefined;
  if (match[8] !== 'Z' && (Number(match[10]) > 23 || Number(match[11]) > 59)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Who will own the key: the service account named, else whoever the credential belongs to. */
async function ownerOf(client: CloudClient, serviceAccountId: string | undefined): Promise<Pick<IApiKeySpec, 'ownerId' | 'ownerType'>> {
  if (serviceAccountId) return { ownerId: serviceAccountId, ownerType: OWNER_TYPES['service-account'] };
  const identity = await client.getCurrentIdentity();
  if (identity.user?.id) return { ownerId: identity.user.id, ownerType: OWNER_TYPES.user };
  if (identity.serviceAccount?.id) return { ownerId: identity.serviceAccount.id, ownerType: OWNER_TYPES['service-account'] };
  throw new UserError(`${client.server} did not say who is calling (GetCurrentIdentity named no user or service account): pass --service-account-id`);
}
