/**
 * How stored users and API keys look through the API: identity.v1.User and identity.v1.ApiKey, with
 * their state, and the owner types between the wire and the store.
 */
import type * as Proto from '@temporalio/proto';
import { proto } from '../../cloud/proto.js';
import { messages, timestamp } from '../messages.js';
import { type ResourceStateOf } from '../namespace-view.js';
import type { ApiKeyRow, OwnerKind, UserRow } from './identity-store.js';

type IUser = Proto.temporal.api.cloud.identity.v1.IUser;
type IApiKey = Proto.temporal.api.cloud.identity.v1.IApiKey;

type OwnerType = Proto.temporal.api.cloud.identity.v1.OwnerType;

interface IdentityEnums {
  OwnerType: typeof Proto.temporal.api.cloud.identity.v1.OwnerType;
  Role: typeof Proto.temporal.api.cloud.identity.v1.AccountAccess.Role;
}

let enums: IdentityEnums | undefined;

function identityEnums(): IdentityEnums {
  const identity = proto().temporal.api.cloud.identity.v1;
  return (enums ??= {
    OwnerType: identity.OwnerType,
    Role: identity.AccountAccess.Role,
  });
}

/** The owner type a spec names, from owner_type or the older owner_type_deprecated string; 'conflict' when they disagree. */
export function ownerKindOf(spec: { ownerType?: OwnerType | null; ownerTypeDeprecated?: string | null }): OwnerKind | 'unspecified' | 'unknown' | 'conflict' {
  const types = identityEnums().OwnerType;
  const byEnum = spec.ownerType === types.OWNER_TYPE_USER ? 'user' : spec.ownerType === types.OWNER_TYPE_SERVICE_ACCOUNT ? 'service-account' : spec.ownerType ? 'unknown' : undefined;
  const text = spec.ownerTypeDeprecated ?? '';
  const byText = text === 'user' || text === 'service-account' ? text : text === '' ? undefined : 'unknown';
  if (byEnum === 'unknown' || byText === 'unknown') return 'unknown';
  if (byEnum && byText && byEnum !== byText) return 'conflict';
  return byEnum ?? byText ?? 'unspecified';
}

export function ownerTypeNumber(kind: OwnerKind): OwnerType {
  const types = identityEnums().OwnerType;
  return kind === 'user' ? types.OWNER_TYPE_USER : types.OWNER_TYPE_SERVICE_ACCOUNT;
}

export function renderUser(row: UserRow): IUser {
  const states = messages().ResourceState;
  return {
    id: row.id,
    resourceVersion: row.resourceVersion,
    spec: { email: row.email, access: { accountAccess: { role: identityEnums().Role.ROLE_ADMIN, roleDeprecated: row.accountRole } } },
    state: states.RESOURCE_STATE_ACTIVE,
    stateDeprecated: 'active',
    createdTime: timestamp(row.createdMs),
    lastModifiedTime: timestamp(row.modifiedMs),
  };
}

/**
 * The key's state: ACTIVATING after a create and UPDATING after an update until that operation is
 * fulfilled (as namespaces), EXPIRED from its expiry time, ACTIVE otherwise. A disabled key stays
 * ACTIVE with spec.disabled set: ResourceState has no disabled state.
 */
export function apiKeyStateOf(row: ApiKeyRow, nowMs: number): ResourceStateOf {
  const states = messages().ResourceState;
  if (nowMs < row.operationFinishMs) {
    return row.operationType === 'create-api-key'
      ? { state: states.RESOURCE_STATE_ACTIVATING, stateDeprecated: 'activating' }
      : { state: states.RESOURCE_STATE_UPDATING, stateDeprecated: 'updating' };
  }
  if (row.expiryMs <= nowMs) return { state: states.RESOURCE_STATE_EXPIRED, stateDeprecated: 'expired' };
  return { state: states.RESOURCE_STATE_ACTIVE, stateDeprecated: 'active' };
}

export function renderApiKey(row: ApiKeyRow, nowMs: number): IApiKey {
  return {
    id: row.id,
    resourceVersion: row.resourceVersion,
    spec: {
      ownerId: row.ownerId,
      ownerType: ownerTypeNumber(row.ownerType),
      ownerTypeDeprecated: row.ownerType,
      displayName: row.displayName,
      description: row.description,
      expiryTime: timestamp(row.expiryMs),
      disabled: row.disabled,
    },
    ...apiKeyStateOf(row, nowMs),
    asyncOperationId: row.asyncOperationId,
    createdTime: timestamp(row.createdMs),
    lastModifiedTime: timestamp(row.modifiedMs),
  };
}
