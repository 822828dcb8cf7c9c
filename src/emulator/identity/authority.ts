/**
 * The dev-server's sign-in contract between its identity store (users, API keys and OAuth tokens in
 * SQLite; the Cloud Ops API authenticates with it) and its OAuth device flow (the HTTP port that plays
 * Temporal Cloud's identity provider). Only digests of secrets are ever stored.
 */

/** Who a call is made by: the dev-server's one person (its admin user), by one of three credentials. */
export interface Principal {
  /** The user (identity.v1.User id) the credential belongs to. */
  userId: string;
  /** 'bootstrap-key': a dev-server `--api-key`; 'api-key': a key made with CreateApiKey; 'login': an OAuth access token. */
  kind: 'bootstrap-key' | 'api-key' | 'login';
  /** For kind 'api-key': the key's id. */
  apiKeyId?: string;
}

/** The answer to a bearer secret: admitted, or why not (the API answers UNAUTHENTICATED for each). */
export type BearerVerdict =
  | { code: 'admitted'; principal: Principal }
  | { code: 'unknown' | 'expired' | 'disabled' };

/** Tokens handed out at the end of a device flow or a refresh (RFC 6749 section 5.1). */
export interface TokenGrant {
  accessToken: string;
  refreshToken: string;
  /** Seconds the access token lives. */
  expiresIn: number;
}

/** What the OAuth endpoints need from the identity store. */
export interface TokenAuthority {
  /** New access and refresh tokens for the account's admin user (the dev-server's only person). */
  issue(): TokenGrant;
  /** A new access token (and a new refresh token; the old one stops working) for a live refresh token. */
  refresh(refreshToken: string): TokenGrant | { code: 'invalid-grant' };
  /** Ends a refresh or access token (RFC 7009); unknown tokens are ignored. */
  revoke(token: string): void;
}
