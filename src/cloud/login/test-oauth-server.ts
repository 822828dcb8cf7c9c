/**
 * A scripted OAuth 2.0 server on 127.0.0.1 for the login tests: the device authorization endpoint,
 * the token endpoint (device code and refresh token grants, rotating refresh tokens) and revocation,
 * at tcld's paths. It records every form it was sent.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the token endpoint answers to each device code poll, in turn; the last answer repeats. */
export type PollAnswer = 'pending' | 'slow_down' | 'approve' | 'access_denied' | 'expired_token';

export interface OAuthServerScript {
  polls?: PollAnswer[];
  /** Overrides the verification_uri(_complete) sent (another host, a file: URL). */
  verificationUri?: string;
  /** Leaves verification_uri_complete out (the person types the code). */
  withoutComplete?: boolean;
  /** Seconds the device code lives. Default 600. */
  expiresIn?: number;
  /** Seconds an access token lives. Default 600. */
  accessTokenLifetime?: number;
  /** Adds an ID token whose claims openid-client would refuse (issuer with a slash, as Auth0 writes it). */
  idToken?: boolean;
  /** Answers revocation with this status (default 200). */
  revokeStatus?: number;
}

export interface Recorded {
  path: string;
  form: Record<string, string>;
}

export interface TestOAuthServer {
  /** http://127.0.0.1:<port> */
  url: string;
  requests: Recorded[];
  /** Every access and refresh token handed out, to look for in outputs. */
  issued: string[];
  /** The refresh tokens that still work. */
  liveRefreshTokens: Set<string>;
  revoked: string[];
  /** Hands out a token pair directly, as if a login had happened. */
  grant(): { access_token: string; refresh_token: string; expires_in: number; token_type: string };
  close(): Promise<void>;
}

export async function startOAuthServer(script: OAuthServerScript = {}): Promise<TestOAuthServer> {
  const polls = [...(script.polls ?? ['approve'])];
  const requests: Recorded[] = [];
  const issued: string[] = [];
  const liveRefreshTokens = new Set<string>();
  const revoked: string[] = [];
  let url = '';

  const grant = () => {
    const access_token = `at-${randomBytes(12).toString('hex')}`;
    const refresh_token = `rt-${randomBytes(12).toString('hex')}`;
    issued.push(access_token, refresh_token);
    liveRefreshTokens.add(refresh_token);
    return { access_token, refresh_token, expires_in: script.accessTokenLifetime ?? 600, token_type: 'Bearer' };
  };

  const idToken = () => {
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    return `${part({ alg: 'RS256', typ: 'JWT' })}.${part({ iss: `${url}/`, aud: 'someone-else', sub: 'u', iat: now, exp: now + 600 })}.c2ln`;
  };

  const answer = (response: ServerResponse, status: number, body: object) => {
    response.writeHead(status, { 'content-type': 'application/json', 'cache-control': 'no-store' }).end(JSON.stringify(body));
  };

  const handle = (request: IncomingMessage, response: ServerResponse, form: Record<string, string>) => {
    const path = new URL(request.url ?? '/', url).pathname;
    requests.push({ path, form });
    if (request.method !== 'POST') return answer(response, 405, { error: 'invalid_request' });
    if (path === '/oauth/device/code') {
      const verification = script.verificationUri ?? `${url}/activate`;
      return answer(response, 200, {
        device_code: 'device-1',
        user_code: 'WDJB-MJHT',
        verification_uri: verification,
        ...(script.withoutComplete ? {} : { verification_uri_complete: `${verification}?user_code=WDJB-MJHT` }),
        expires_in: script.expiresIn ?? 600,
        interval: 0.01, // seconds: RFC 8628 says an integer; openid-client takes any positive number, and the tests stay quick
      });
    }
    if (path === '/oauth/token' && form['grant_type'] === 'urn:ietf:params:oauth:grant-type:device_code') {
      const next = polls.length > 1 ? polls.shift()! : polls[0]!;
      if (next === 'approve') return answer(response, 200, { ...grant(), scope: 'openid profile user offline_access', ...(script.idToken ? { id_token: idToken() } : {}) });
      return answer(response, 400, { error: next === 'pending' ? 'authorization_pending' : next, error_description: `scripted ${next}` });
    }
    if (path === '/oauth/token' && form['grant_type'] === 'refresh_token') {
      const old = form['refresh_token'] ?? '';
      if (!liveRefreshTokens.delete(old)) return answer(response, 400, { error: 'invalid_grant', error_description: 'Unknown or invalid refresh token.' });
      return answer(response, 200, { ...grant(), ...(script.idToken ? { id_token: idToken() } : {}) });
    }
    if (path === '/oauth/revoke') {
      revoked.push(form['token'] ?? '');
      liveRefreshTokens.delete(form['token'] ?? '');
      if (script.revokeStatus && script.revokeStatus !== 200) return answer(response, script.revokeStatus, { error: 'temporarily_unavailable' });
      response.writeHead(200).end();
      return;
    }
    answer(response, 404, { error: 'not_found' });
  };

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => handle(request, response, Object.fromEntries(new URLSearchParams(Buffer.concat(chunks).toString('utf8')))));
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    requests,
    issued,
    liveRefreshTokens,
    revoked,
    grant,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}
