/**
 * The CloudService user methods the dev-server answers: GetCurrentIdentity (who the caller is), and
 * GetUsers and GetUser for its one user, the account's admin.
 */
import { clip, invalidArgument, notFound } from '../api-error.js';
import type { CloudRequest, CloudResponse } from '../cloud-handlers.js';
import { decodePageToken, encodePageToken, pageLimit } from '../page-token.js';
import type { Store } from '../store.js';
import type { Principal } from './authority.js';
import type { IdentityStore } from './identity-store.js';
import { renderApiKey, renderUser } from './identity-view.js';

export interface UserServiceOptions {
  store: Store;
  identity: IdentityStore;
  now(): Date;
}

export type UserService = ReturnType<typeof createUserService>;

export function createUserService(options: UserServiceOptions) {
  const { store, identity } = options;

  return {
    /** The caller's user and, when it called with an API key made by CreateApiKey, that key. */
    getCurrentIdentity(_request: CloudRequest<'GetCurrentIdentity'>, principal: Principal): CloudResponse<'GetCurrentIdentity'> {
      const user = identity.user(principal.userId);
      if (!user) throw notFound(`user "${clip(principal.userId)}" not found`);
      const key = principal.apiKeyId === undefined ? undefined : identity.apiKey(principal.apiKeyId);
      return { user: renderUser(user), ...(key && { principalApiKey: renderApiKey(key, options.now().getTime()) }) };
    },

    /**
     * The account's users, paged as GetNamespaces, filtered by email; with a namespace, the users who
     * can reach it: every account admin can, so every user when the namespace exists, none otherwise.
     */
    getUsers(request: CloudRequest<'GetUsers'>): CloudResponse<'GetUsers'> {
      const limit = pageLimit(request.pageSize);
      const afterId = decodePageToken(request.pageToken ?? '');
      const namespace = request.namespace ?? '';
      if (namespace !== '' && store.resourceVersion(namespace) === undefined) return { users: [], nextPageToken: '' };
      const rows = identity.users({ afterId, email: request.email ?? '', limit: limit + 1 });
      const page = rows.slice(0, limit);
      return { users: page.map(renderUser), nextPageToken: rows.length > page.length ? encodePageToken(page[page.length - 1]!.id) : '' };
    },

    getUser(request: CloudRequest<'GetUser'>): CloudResponse<'GetUser'> {
      const id = request.userId;
      if (!id) throw invalidArgument('user_id is required');
      const user = identity.user(id);
      if (!user) throw notFound(`user "${clip(id)}" not found`);
      return { user: renderUser(user) };
    },
  };
}
