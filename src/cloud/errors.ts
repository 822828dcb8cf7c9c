/**
 * gRPC status codes mapped to messages a user can act on: the one place that knows them.
 */
import { UserError } from '../errors.js';

/** gRPC status codes (the numbers are fixed by the gRPC protocol). */
export const Status = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const;

const NAMES = Object.fromEntries(Object.entries(Status).map(([name, code]) => [code, name])) as Record<number, string>;

/** An error the Cloud Ops API answered, with its gRPC code. */
export class CloudError extends UserError {
  override name = 'CloudError';
  constructor(
    message: string,
    readonly code: number,
    readonly details: string,
  ) {
    super(message);
  }

  /** A stale resource_version: the real service's code is undocumented, so both count. */
  get isConflict(): boolean {
    return this.code === Status.FAILED_PRECONDITION || this.code === Status.ABORTED;
  }

  /** Worth trying again as it is: the service is briefly unreachable or busy. */
  get isTransient(): boolean {
    return this.code === Status.UNAVAILABLE || this.code === Status.RESOURCE_EXHAUSTED;
  }

  get isNothingToChange(): boolean {
    return this.code === Status.INVALID_ARGUMENT && /nothing to change/i.test(this.details);
  }
}

export function statusName(code: number): string {
  return NAMES[code] ?? `status ${code}`;
}

/** One line for a failed call: what happened and what to do about it. */
export function describeStatus(code: number, details: string, context: { method: string; server: string; credential?: 'api-key' | 'login' }): string {
  const said = details ? `: ${details}` : '';
  const login = context.credential === 'login';
  switch (code) {
    case Status.UNAUTHENTICATED:
      return login
        ? `${context.server} refused the login (UNAUTHENTICATED${said}); run tcld login, or pass --api-key`
        : `the API key was refused (UNAUTHENTICATED${said}); check --api-key or TEMPORAL_CLOUD_API_KEY`;
    case Status.PERMISSION_DENIED:
      return `the ${login ? 'logged-in user' : 'API key'} may not call ${context.method} (PERMISSION_DENIED${said})`;
    case Status.NOT_FOUND:
      return `not found${said}`;
    case Status.UNAVAILABLE:
      return `cannot reach ${context.server} (UNAVAILABLE${said}); check --server, and --insecure for a local dev-server`;
    case Status.DEADLINE_EXCEEDED:
      return `${context.server} did not answer ${context.method} in time (DEADLINE_EXCEEDED)`;
    case Status.UNIMPLEMENTED:
      return `${context.server} does not implement ${context.method} (UNIMPLEMENTED)`;
    case Status.INVALID_ARGUMENT:
      return details || 'the request was refused as invalid (INVALID_ARGUMENT)';
    default:
      return `${context.method} failed (${statusName(code)}${said})`;
  }
}
