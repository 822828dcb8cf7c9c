/**
 * What CreateApiKey and UpdateApiKey accept: an identity.v1.ApiKeySpec read into the store's terms,
 * with Temporal Cloud's documented rules (docs.temporal.io/cloud/api-keys: a key has an expiration
 * date, at most 2 years away).
 */
import type * as Proto from '@temporalio/proto';
import { invalidArgument } from '../api-error.js';
import { millisOf } from '../messages.js';
import type { ApiKeyRow, OwnerKind } from './identity-store.js';
import { ownerKindOf } from './identity-view.js';

export type IApiKeySpec = Proto.temporal.api.cloud.identity.v1.IApiKeySpec;

/** The longest a key may live, from the time it is created or its expiry is changed: "The maximum expiration time for an API key is 2 years". */
export const MAX_EXPIRY_YEARS = 2;

/** A spec in the store's terms. */
export interface ApiKeySpecValues {
  ownerId: string;
  ownerType: OwnerKind;
  displayName: string;
  description: string;
  expiryMs: number;
  disabled: boolean;
}

/**
 * The latest expiry allowed at `nowMs`: the same time of day 2 calendar years on (UTC). That is at
 * least 730 days, so tcld's `--duration 2y` (2 × 365 days from the client's clock) always fits.
 */
export function latestExpiryMs(nowMs: number): number {
  const latest = new Date(nowMs);
  latest.setUTCFullYear(latest.getUTCFullYear() + MAX_EXPIRY_YEARS);
  return latest.getTime();
}

/** CreateApiKey's spec, or INVALID_ARGUMENT naming every problem, joined by '; '. Whether the owner exists is the caller's check. */
export function readCreateSpec(spec: IApiKeySpec | null | undefined, nowMs: number): ApiKeySpecValues {
  if (!spec) throw invalidArgument('spec is required');
  const problems: string[] = [];
  const ownerId = spec.ownerId ?? '';
  if (ownerId === '') problems.push('spec.owner_id is required: the ID of the user or service account the key belongs to');
  const ownerType = ownerKindOf(spec);
  if (ownerType === 'unspecified') problems.push('spec.owner_type is required (OWNER_TYPE_USER or OWNER_TYPE_SERVICE_ACCOUNT)');
  else if (ownerType === 'unknown') problems.push('spec.owner_type must be OWNER_TYPE_USER or OWNER_TYPE_SERVICE_ACCOUNT');
  else if (ownerType === 'conflict') problems.push('spec.owner_type and spec.owner_type_deprecated name different owner types');
  problems.push(...commonProblems(spec));
  const expiryMs = expiryOf(spec);
  if (expiryMs !== undefined) problems.push(...expiryProblems(expiryMs, nowMs));
  if (problems.length > 0) throw invalidArgument(problems.join('; '));
  return valuesOf(spec, ownerId, ownerType as OwnerKind, expiryMs!);
}

/**
 * UpdateApiKey's spec, a full replacement of `current`'s, or INVALID_ARGUMENT: the owner cannot change,
 * a display name and an expiry are required, and a changed expiry follows CreateApiKey's rules (an
 * unchanged one may be past: a person may still disable or rename an expired key).
 */
export function readUpdateSpec(spec: IApiKeySpec | null | undefined, current: ApiKeyRow, nowMs: number): ApiKeySpecValues {
  if (!spec) throw invalidArgument('spec is required');
  const problems: string[] = [];
  const ownerType = ownerKindOf(spec);
  if ((spec.ownerId ?? '') !== current.ownerId || ownerType !== current.ownerType) {
    problems.push(`spec.owner_id and spec.owner_type cannot change: the key belongs to ${current.ownerType} "${current.ownerId}"; send them as GetApiKey returns them`);
  }
  problems.push(...commonProblems(spec));
  const expiryMs = expiryOf(spec);
  if (expiryMs !== undefined && expiryMs !== current.expiryMs) problems.push(...expiryProblems(expiryMs, nowMs));
  if (problems.length > 0) throw invalidArgument(problems.join('; '));
  return valuesOf(spec, current.ownerId, current.ownerType, expiryMs!);
}

/** Whether `values` would change nothing in `row`. */
export function isSameSpec(values: ApiKeySpecValues, row: ApiKeyRow): boolean {
  return (
    values.ownerId === row.ownerId &&
    values.ownerType === row.ownerType &&
    values.displayName === row.displayName &&
    values.description === row.description &&
    values.expiryMs === row.expiryMs &&
    values.disabled === row.disabled
  );
}

/**
 * The spec as canonical bytes, read or not: what the request digest covers, so that a retry is told
 * from another request that reuses its operation ID (computed before the spec is checked, as a retry
 * must get its operation even where the spec would no longer pass).
 */
export function specBytes(spec: IApiKeySpec | null | undefined): Uint8Array {
  if (!spec) return new Uint8Array();
  const values = [spec.ownerId ?? '', ownerKindOf(spec), spec.displayName ?? '', spec.description ?? '', expiryOf(spec) ?? 0, spec.disabled ?? false];
  return Buffer.from(JSON.stringify(values));
}

/** The problems shared by create and update: a display name and an expiry time are required. */
function commonProblems(spec: IApiKeySpec): string[] {
  const problems: string[] = [];
  if ((spec.displayName ?? '').trim() === '') problems.push('spec.display_name is required');
  if (expiryOf(spec) === undefined) problems.push('spec.expiry_time is required: API keys expire, at most 2 years after they are made');
  return problems;
}

function expiryProblems(expiryMs: number, nowMs: number): string[] {
  const at = isoOf(expiryMs);
  if (expiryMs <= nowMs) return [`spec.expiry_time ${at} is not in the future`];
  const latest = latestExpiryMs(nowMs);
  if (expiryMs > latest) return [`spec.expiry_time ${at} is more than ${MAX_EXPIRY_YEARS} years away (the latest allowed now is ${new Date(latest).toISOString()})`];
  return [];
}

/** A time for a message; a timestamp beyond what Date holds (±275,000 years) in seconds instead of throwing. */
function isoOf(ms: number): string {
  return Number.isNaN(new Date(ms).getTime()) ? `${Math.trunc(ms / 1000)} seconds after the epoch` : new Date(ms).toISOString();
}

/** The expiry time in ms, or undefined when the spec has none (an unset or zero timestamp). */
function expiryOf(spec: IApiKeySpec): number | undefined {
  return millisOf(spec.expiryTime);
}

function valuesOf(spec: IApiKeySpec, ownerId: string, ownerType: OwnerKind, expiryMs: number): ApiKeySpecValues {
  return { ownerId, ownerType, displayName: spec.displayName ?? '', description: spec.description ?? '', expiryMs, disabled: spec.disabled ?? false };
}
