/**
 * API keys as Go tcld prints them: its internal api.auth.v1 APIKey (app/apikey.go prints it with
 * jsonpb, EmitDefaults) made from the Cloud Ops API's identity.v1 ApiKey. camelCase names, every field
 * present, enums by tcld's names ("ApikeyStateActive"), times in RFC 3339. Pure.
 */
import type { IApiKey } from './proto.js';
import { rfc3339, type TcldRequestStatus } from './tcld-json.js';

/** tcld's api.auth.v1.APIKey, in its field order. */
export interface TcldApiKey {
  id: string;
  owner: { ownerId: string; ownerType: string };
  spec: { accessType: string; displayName: string; description: string; expiryTime: string | null; disabled: boolean };
  resourceVersion: string;
  state: string;
  requestId: string;
  createdTime: string | null;
  lastModifiedTime: string | null;
}

/** tcld's GetAPIKeysResponse: every page's keys, and an empty token (tcld reads all pages). */
export interface TcldApiKeyList {
  apiKeys: TcldApiKey[];
  nextPageToken: string;
}

/** tcld's CreateAPIKeyResponse: the only place the secret ever appears. */
export interface TcldCreatedApiKey {
  id: string;
  secretKey: string;
  requestStatus: TcldRequestStatus;
}

/** The Cloud Ops API's identity.v1.OwnerType numbers, by tcld's --owner-type words. */
export const OWNER_TYPES = { user: 1, 'service-account': 2 } as const;

export type OwnerTypeWord = keyof typeof OWNER_TYPES;

const OWNER_TYPE_NAMES = ['ApikeyOwnerTypeUnspecified', 'ApikeyOwnerTypeUser', 'ApikeyOwnerTypeServiceAccount'] as const;
const OWNER_TYPE_BY_WORD: Readonly<Record<string, number>> = { user: 1, 'service-account': 2, service_account: 2, serviceaccount: 2 };

/**
 * resource.v1.ResourceState numbers → tcld's APIKeyState. Suspended keys have no tcld name; the
 * deprecated lowercase words of older API versions map the same way.
 */
const STATE_NAMES: Readonly<Record<number, string>> = {
  1: 'ApikeyStateCreating',
  2: 'ApikeyStateCreateFailed',
  3: 'ApikeyStateActive',
  4: 'ApikeyStateUpdating',
  5: 'ApikeyStateUpdateFailed',
  6: 'ApikeyStateDeleting',
  7: 'ApikeyStateDeleteFailed',
  8: 'ApikeyStateDeleted',
  10: 'ApikeyStateExpired',
};
const STATE_BY_WORD: Readonly<Record<string, number>> = {
  activating: 1,
  activationfailed: 2,
  active: 3,
  updating: 4,
  updatefailed: 5,
  deleting: 6,
  deletefailed: 7,
  deleted: 8,
  expired: 10,
};

export function tcldApiKey(key: IApiKey): TcldApiKey {
  const spec = key.spec ?? {};
  const ownerType = Number(spec.ownerType ?? 0) || OWNER_TYPE_BY_WORD[String(spec.ownerTypeDeprecated ?? '').toLowerCase()] || 0;
  const state = Number(key.state ?? 0) || STATE_BY_WORD[String(key.stateDeprecated ?? '').toLowerCase()] || 0;
  return {
    id: String(key.id ?? ''),
    owner: { ownerId: String(spec.ownerId ?? ''), ownerType: OWNER_TYPE_NAMES[ownerType] ?? OWNER_TYPE_NAMES[0] },
    spec: {
      // Every Cloud Ops API key acts with its owner's access: tcld's only access type.
      accessType: 'ApikeyAccessTypeInheritOwnerAccess',
      displayName: String(spec.displayName ?? ''),
      description: String(spec.description ?? ''),
      expiryTime: spec.expiryTime ? rfc3339(spec.expiryTime) : null,
      disabled: spec.disabled === true,
    },
    resourceVersion: String(key.resourceVersion ?? ''),
    state: STATE_NAMES[state] ?? 'ApikeyStateUnspecified',
    requestId: String(key.asyncOperationId ?? ''),
    createdTime: key.createdTime ? rfc3339(key.createdTime) : null,
    lastModifiedTime: key.lastModifiedTime ? rfc3339(key.lastModifiedTime) : null,
  };
}

export function tcldApiKeyList(keys: readonly IApiKey[]): TcldApiKeyList {
  return { apiKeys: keys.map(tcldApiKey), nextPageToken: '' };
}
