/**
 * Browser sessions of the emulator's HTTP port, kept in memory: a random id in a cookie that another
 * site can neither send (SameSite=Strict) nor read (HttpOnly), and, on the server, what the session may
 * do until it expires. The cookie carries only the id: never a key or a token. Not `Secure`: the port
 * is plain http on loopback, where a browser may refuse (Safari) or drop such a cookie.
 */
import type { RandomSource } from '../../pki/random.js';
import { digestSecret } from '../identity/secrets.js';

export const SESSION_COOKIE = 'tcld_session';
export const DEFAULT_SESSION_SECONDS = 12 * 3600;
/** Sessions kept at once; past it the oldest goes (each one is a successful sign-in, so this is someone looping). */
export const MAX_SESSIONS = 100;
const ID_BYTES = 32;
const ID = /^[A-Za-z0-9_-]{43}$/;

export interface SessionsOptions {
  now: () => Date;
  random: RandomSource;
  /** How long a session lives from its start, in seconds (not extended by use). Default 12 hours. */
  lifetimeSeconds?: number;
  /** Default 'tcld_session'. */
  cookieName?: string;
}

export interface Sessions<T> {
  /** A new session holding `data`: the Set-Cookie header that gives the browser its id. */
  start(data: T): string;
  /** The data of the browser's live session, if its cookie names one. */
  get(cookies: ReadonlyMap<string, string>): T | undefined;
  /** Ends the browser's session, if any: the Set-Cookie header that removes the cookie. */
  end(cookies: ReadonlyMap<string, string>): string;
  readonly cookieName: string;
}

export function createSessions<T>(options: SessionsOptions): Sessions<T> {
  const cookieName = options.cookieName ?? SESSION_COOKIE;
  const lifetimeMs = (options.lifetimeSeconds ?? DEFAULT_SESSION_SECONDS) * 1000;
  const attributes = 'Path=/; HttpOnly; SameSite=Strict';
  /** By the SHA-256 of the id, in the order started: a heap snapshot shows no usable id. */
  const live = new Map<string, { data: T; expiresAt: number }>();
  const ms = () => options.now().getTime();

  const keyOf = (cookies: ReadonlyMap<string, string>) => {
    const id = cookies.get(cookieName);
    return id !== undefined && ID.test(id) ? digestSecret(id) : undefined;
  };
  const sweep = () => {
    const now = ms();
    for (const [key, session] of live) if (session.expiresAt <= now) live.delete(key);
    while (live.size >= MAX_SESSIONS) live.delete(live.keys().next().value!);
  };

  return {
    cookieName,
    start(data) {
      sweep();
      const id = Buffer.from(options.random(ID_BYTES)).toString('base64url');
      live.set(digestSecret(id), { data, expiresAt: ms() + lifetimeMs });
      return `${cookieName}=${id}; ${attributes}; Max-Age=${Math.floor(lifetimeMs / 1000)}`;
    },
    get(cookies) {
      const key = keyOf(cookies);
      const session = key === undefined ? undefined : live.get(key);
      if (!session) return undefined;
      if (session.expiresAt > ms()) return session.data;
      live.delete(key!);
      return undefined;
    },
    end(cookies) {
      const key = keyOf(cookies);
      if (key !== undefined) live.delete(key);
      return `${cookieName}=; ${attributes}; Max-Age=0`;
    },
  };
}

