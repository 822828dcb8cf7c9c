import { invalidArgument } from './api-error.js';

/** Page tokens are opaque to clients: the last ID of the previous page, base64url (GetNamespaces, GetApiKeys, GetUsers). */
export function encodePageToken(lastId: string): string {
  return Buffer.from(lastId, 'utf8').toString('base64url');
}

/** The ID a page token names ('' for none), or INVALID_ARGUMENT for a token this server did not make. */
export function decodePageToken(token: string): string {
  if (token === '') return '';
  const id = Buffer.from(token, 'base64url').toString('utf8');
  if (encodePageToken(id) !== token) throw invalidArgument('invalid page_token: pass the next_page_token of a previous response');
  return id;
}

/** GetNamespaces' (and the other lists') page size when the request gives none, and the most returned at once. */
export const DEFAULT_PAGE_SIZE = 100;
export const MAX_PAGE_SIZE = 1000;

/** The number of rows a request's page_size asks for: the default for 0, at most MAX_PAGE_SIZE; INVALID_ARGUMENT when negative. */
export function pageLimit(pageSize: number | null | undefined): number {
  const size = pageSize ?? 0;
  if (size < 0) throw invalidArgument(`page_size must not be negative (got ${size})`);
  return Math.min(size || DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE);
}
