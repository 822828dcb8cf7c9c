/**
 * Device authorizations of the OAuth device flow (RFC 8628), in memory: a device code for the CLI to
 * poll with, a short user code for the person to confirm in the browser, each with an expiry and a
 * polling interval that grows by 5 s at every `slow_down`. Decisions are typed codes; the OAuth
 * endpoints and the verification page turn them into RFC 6749 errors and pages.
 */
import type { RandomSource } from '../../pki/random.js';
import { digestSecret } from './secrets.js';

/** RFC 8628 section 6.1: consonants only (no vowels, so no words; no digits, so no 0/O or 1/I confusion). */
export const USER_CODE_ALPHABET = 'BCDFGHJKLMNPQRSTVWXZ';
const USER_CODE_LENGTH = 8;

export const DEFAULT_DEVICE_CODE_SECONDS = 15 * 60;
export const DEFAULT_INTERVAL_SECONDS = 5;
/** RFC 8628 section 3.5: each slow_down adds 5 seconds to the interval. */
export const SLOW_DOWN_STEP_SECONDS = 5;
/** A poll this much early is still on time: clients' timers and the trip on the wire are not exact. */
const POLL_TOLERANCE_MS = 100;
/** Live authorizations at once; more is someone looping on the endpoint. */
const MAX_LIVE = 1000;

export interface DeviceCodesOptions {
  now: () => Date;
  random: RandomSource;
  /** How long a device code and its user code live, in seconds. Default 900. */
  expiresInSeconds?: number;
  /** The least time between polls, in seconds, at least 1. Default 5. */
  intervalSeconds?: number;
}

export interface DeviceRequest {
  clientId: string;
  scope: string;
  audience?: string;
}

export interface StartedAuthorization {
  deviceCode: string;
  /** As shown to the person: `BCDF-GHJK`. */
  userCode: string;
  expiresIn: number;
  interval: number;
}

/** What a poll of the token endpoint gets: tokens may be issued ('approved', once), or the RFC 8628 error to answer. */
export type PollVerdict =
  | { code: 'approved'; request: DeviceRequest }
  | { code: 'authorization_pending' | 'expired_token' | 'access_denied' | 'invalid_grant' }
  | { code: 'slow_down'; interval: number };

/** Where a user code stands, for the verification page. */
export type UserCodeState =
  | { code: 'pending'; userCode: string; request: DeviceRequest; expiresAt: Date }
  | { code: 'unknown' | 'expired' | 'approved' | 'denied'; userCode?: string };

interface Authorization {
  userCode: string;
  request: DeviceRequest;
  expiresAt: number;
  /** Seconds. */
  interval: number;
  lastPollAt?: number;
  state: 'pending' | 'approved' | 'denied' | 'used';
}

export class DeviceCodes {
  readonly #now: () => Date;
  readonly #random: RandomSource;
  readonly #expiresIn: number;
  readonly #interval: number;
  /** By the SHA-256 of the device code: a heap snapshot shows no usable code. */
  readonly #byDevice = new Map<string, Authorization>();
  readonly #byUser = new Map<string, Authorization>();

  constructor(options: DeviceCodesOptions) {
    this.#now = options.now;
    this.#random = options.random;
    this.#expiresIn = options.expiresInSeconds ?? DEFAULT_DEVICE_CODE_SECONDS;
    this.#interval = Math.max(1, options.intervalSeconds ?? DEFAULT_INTERVAL_SECONDS);
  }

  /** A new authorization, or 'busy' when too many are live. */
  start(request: DeviceRequest): StartedAuthorization | { code: 'busy' } {
    this.#sweep();
    if (this.#byDevice.size >= MAX_LIVE) return { code: 'busy' };
    const deviceCode = Buffer.from(this.#random(32)).toString('base64url');
    let userCode: string;
    do userCode = this.#userCode();
    while (this.#byUser.has(userCode));
    const authorization: Authorization = { userCode, request, expiresAt: this.#ms() + this.#expiresIn * 1000, interval: this.#interval, state: 'pending' };
    this.#byDevice.set(digestSecret(deviceCode), authorization);
    this.#byUser.set(userCode, authorization);
    return { deviceCode, userCode: formatUserCode(userCode), expiresIn: this.#expiresIn, interval: this.#interval };
  }

  /** A poll with a device code by client `clientId`; an approved code answers 'approved' once, then 'invalid_grant'. */
  poll(deviceCode: string, clientId: string): PollVerdict {
    const authorization = this.#byDevice.get(digestSecret(deviceCode));
    if (!authorization || authorization.state === 'used' || authorization.request.clientId !== clientId) return { code: 'invalid_grant' };
    const now = this.#ms();
    if (now >= authorization.expiresAt) return { code: 'expired_token' };
    const last = authorization.lastPollAt;
    authorization.lastPollAt = now;
    if (last !== undefined && now - last < authorization.interval * 1000 - POLL_TOLERANCE_MS) {
      authorization.interval += SLOW_DOWN_STEP_SECONDS;
      return { code: 'slow_down', interval: authorization.interval };
    }
    if (authorization.state === 'denied') return { code: 'access_denied' };
    if (authorization.state === 'pending') return { code: 'authorization_pending' };
    authorization.state = 'used';
    return { code: 'approved', request: authorization.request };
  }

  /** Where the code a person typed or followed stands (case, spaces and dashes do not matter). */
  find(typed: string): UserCodeState {
    const userCode = normalizeUserCode(typed);
    const authorization = userCode === undefined ? undefined : this.#byUser.get(userCode);
    if (!authorization) return { code: 'unknown' };
    const shown = formatUserCode(authorization.userCode);
    if (authorization.state === 'denied') return { code: 'denied', userCode: shown };
    if (authorization.state !== 'pending') return { code: 'approved', userCode: shown };
    if (this.#ms() >= authorization.expiresAt) return { code: 'expired', userCode: shown };
    return { code: 'pending', userCode: shown, request: authorization.request, expiresAt: new Date(authorization.expiresAt) };
  }

  /** Approves or denies a pending code; answers where it stood before (only 'pending' was changed). */
  decide(typed: string, decision: 'approve' | 'deny'): UserCodeState {
    const state = this.find(typed);
    if (state.code === 'pending') this.#byUser.get(normalizeUserCode(typed)!)!.state = decision === 'approve' ? 'approved' : 'denied';
    return state;
  }

  #userCode(): string {
    let code = '';
    while (code.length < USER_CODE_LENGTH) {
      for (const byte of this.#random(USER_CODE_LENGTH)) {
        // 240 is the largest multiple of 20 in a byte: higher values would favour the first letters.
        if (byte < 240 && code.length < USER_CODE_LENGTH) code += USER_CODE_ALPHABET[byte % USER_CODE_ALPHABET.length];
      }
    }
    return code;
  }

  /** Forgets authorizations expired for a whole lifetime (until then they answer expired_token, not invalid_grant). */
  #sweep(): void {
    const cutoff = this.#ms() - this.#expiresIn * 1000;
    for (const [key, authorization] of this.#byDevice) {
      if (authorization.expiresAt <= cutoff) {
        this.#byDevice.delete(key);
        this.#byUser.delete(authorization.userCode);
      }
    }
  }

  #ms(): number {
    return this.#now().getTime();
  }
}

/** The 8 letters of a user code as typed (`bcdf ghjk`, `BCDF-GHJK`), or undefined if it cannot be one. */
export function normalizeUserCode(typed: string): string | undefined {
  const letters = typed.toUpperCase().replace(/[\s-]/g, '');
  if (letters.length !== USER_CODE_LENGTH) return undefined;
  for (const letter of letters) if (!USER_CODE_ALPHABET.includes(letter)) return undefined;
  return letters;
}

/** A user code as people read it: ABCD-EFGH. */
export function formatUserCode(userCode: string): string {
  return `${userCode.slice(0, 4)}-${userCode.slice(4)}`;
}

