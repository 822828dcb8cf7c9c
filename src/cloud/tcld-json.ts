/**
 * The JSON Go tcld prints, from the Cloud Ops API's messages. tcld prints its internal API's messages
 * (protogen/api/request/v1 RequestStatus, api/namespace/v1 Namespace) with gogo jsonpb and
 * EmitDefaults: camelCase names, every field present (absent messages as null, empty lists as []),
 * enums by the names its .proto gives them ("Fulfilled", not STATE_FULFILLED), int64 as strings,
 * Timestamps as RFC 3339 and Durations as "1.500s". Pure: no proto module, no I/O.
 */
import type { IAsyncOperation } from './proto.js';

/** google.protobuf.Timestamp or Duration as the client decodes them (seconds may be a string or a Long). */
export interface ProtoTime {
  seconds?: number | string | { toString(): string } | null;
  nanos?: number | null;
}

/** tcld's api.request.v1.RequestStatus, in its field order. */
export interface TcldRequestStatus {
  requestId: string;
  /** Unspecified, Pending, InProgress, Failed, Cancelled, Fulfilled or Rejected. */
  state: string;
  /** How long to wait before asking again, "0.150s"; null once the request has ended. */
  checkDuration: string | null;
  operationType: string;
  resourceId: string;
  resourceType: string;
  failureReason: string;
  startTime: string | null;
  finishTime: string | null;
  /** The Cloud Ops API has no approvals: always null. */
  approval: null;
}

/** What tcld prints for a mutation (UpdateNamespaceResponse) and for `r g` (GetRequestStatusResponse). */
export interface TcldRequestStatusResponse {
  requestStatus: TcldRequestStatus;
}

/**
 * tcld's State names by number. The Cloud Ops API's AsyncOperation.State numbers its values the same
 * way (STATE_PENDING = 1 … STATE_REJECTED = 6).
 */
const REQUEST_STATES = ['Unspecified', 'Pending', 'InProgress', 'Failed', 'Cancelled', 'Fulfilled', 'Rejected'] as const;

/** The same names by the API's deprecated lowercase state strings, for servers that send only those. */
const REQUEST_STATES_BY_WORD: Readonly<Record<string, string>> = {
  pending: 'Pending',
  in_progress: 'InProgress',
  inprogress: 'InProgress',
  failed: 'Failed',
  cancelled: 'Cancelled',
  fulfilled: 'Fulfilled',
  rejected: 'Rejected',
};

/** The tcld name of an operation's state. */
export function requestState(operation: IAsyncOperation): string {
  const named = REQUEST_STATES[Number(operation.state ?? 0)];
  if (named && named !== 'Unspecified') return named;
  return REQUEST_STATES_BY_WORD[String(operation.stateDeprecated ?? '').toLowerCase()] ?? 'Unspecified';
}

/** Where the request applies, when the caller knows it (the Cloud Ops API's AsyncOperation does not say). */
export interface RequestResource {
  resourceId: string;
  resourceType: string;
}

/** An async operation as tcld's RequestStatus. */
export function tcldRequestStatus(operation: IAsyncOperation, resource: RequestResource = { resourceId: '', resourceType: '' }): TcldRequestStatus {
  return {
    requestId: String(operation.id ?? ''),
    state: requestState(operation),
    checkDuration: operation.checkDuration ? protoDuration(operation.checkDuration) : null,
    operationType: String(operation.operationType ?? ''),
    resourceId: resource.resourceId,
    resourceType: resource.resourceType,
    failureReason: String(operation.failureReason ?? ''),
    startTime: operation.startedTime ? rfc3339(operation.startedTime) : null,
    finishTime: operation.finishedTime ? rfc3339(operation.finishedTime) : null,
    approval: null,
  };
}

/** tcld's api.namespaceservice.v1.ListNamespacesResponse: namespace IDs, and the next page's token ('' on the last). */
export interface TcldNamespaceList {
  namespaces: string[];
  nextPageToken: string;
}

/**
 * A Timestamp as jsonpb writes it: RFC 3339 in UTC with 0, 3, 6 or 9 fractional digits, as few as
 * keep every nanosecond ("2024-05-01T10:00:00Z", "2024-05-01T10:00:00.250Z").
 */
export function rfc3339(time: ProtoTime): string {
  const { seconds, nanos } = parts(time);
  const base = new Date(seconds * 1000).toISOString().slice(0, 19);
  return `${trimFraction(`${base}.${String(nanos).padStart(9, '0')}`)}Z`;
}

/** A Duration as jsonpb writes it: seconds with 0, 3, 6 or 9 fractional digits and an "s" ("5s", "0.150s"). */
export function protoDuration(time: ProtoTime): string {
  const { seconds, nanos } = parts(time);
  const sign = seconds === 0 && nanos < 0 ? '-' : '';
  return `${sign}${trimFraction(`${seconds}.${String(Math.abs(nanos)).padStart(9, '0')}`)}s`;
}

function parts(time: ProtoTime): { seconds: number; nanos: number } {
  return { seconds: Number(String(time.seconds ?? 0)), nanos: Number(time.nanos ?? 0) };
}

/** jsonpb's trimming: drop "000" twice, then ".000", so 9 digits become 6, 3 or none. */
function trimFraction(text: string): string {
  let trimmed = text;
  for (const suffix of ['000', '000', '.000']) if (trimmed.endsWith(suffix)) trimmed = trimmed.slice(0, -suffix.length);
  return trimmed;
}
