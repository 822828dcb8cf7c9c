import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type * as Proto from '@temporalio/proto';
import { proto, serviceMethods, CLOUD_SERVICE } from '../cloud/proto.js';
import { encodeResponse, type CloudHandlers, type CloudMethod, type CloudRequest, type CloudResponse } from './cloud-handlers.js';
import { millisOf } from './messages.js';

type V1 = typeof Proto.temporal.api.cloud.cloudservice.v1;
type IGetNamespaceRequest = Proto.temporal.api.cloud.cloudservice.v1.IGetNamespaceRequest;
type ICreateApiKeyResponse = Proto.temporal.api.cloud.cloudservice.v1.ICreateApiKeyResponse;
/** True when each of A and B is assignable to the other. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;

declare const bytes: Uint8Array;

// The checks of types run in `npx tsc -p tsconfig.check.json`: a `@ts-expect-error` line that compiles
// is itself an error there, so each of these fails the type check if the table stops rejecting it.
describe('CloudHandlers', () => {
  it('types each handler by @temporalio/proto: I<Method>Request in, I<Method>Response out', () => {
    const request: Same<CloudRequest<'GetNamespace'>, IGetNamespaceRequest> = true;
    const response: Same<CloudResponse<'CreateApiKey'>, ICreateApiKeyResponse> = true;
    const method: CloudMethod = 'GetNamespace';
    // @ts-expect-error a name that is no CloudService method
    const notAMethod: CloudMethod = 'GetNamespaceX';
    // @ts-expect-error GetNamespaceRequest is a message, but not a method's name
    const aMessage: CloudMethod = 'GetNamespaceRequest' satisfies keyof V1;
    assert.deepEqual([request, response, method, notAMethod, aMessage], [true, true, 'GetNamespace', 'GetNamespaceX', 'GetNamespaceRequest']);
  });

  it('rejects a handler that reads a field its request does not have', () => {
    const handlers: CloudHandlers = {
      // @ts-expect-error GetNamespaceRequest's field is `namespace`
      GetNamespace: (request) => ({ namespace: { namespace: request.namespaceId } }),
      // @ts-expect-error GetApiKeysRequest has owner_id and owner_type, no owner
      GetApiKeys: (request) => ({ apiKeys: [], nextPageToken: request.owner }),
      // @ts-expect-error page_size is a number
      GetUsers: (request) => ({ users: [], nextPageToken: request.pageSize?.toUpperCase() }),
    };
    assert.deepEqual(Object.keys(handlers), ['GetNamespace', 'GetApiKeys', 'GetUsers']);
  });

  it('rejects a handler that returns the wrong shape', () => {
    const handlers: CloudHandlers = {
      // @ts-expect-error GetNamespaces answers a list of namespaces
      GetNamespaces: () => ({ namespaces: { namespace: 'orders.acct' } }),
      // @ts-expect-error GetUser answers one user, not GetUsers' list
      GetUser: () => ({ users: [] }),
      // @ts-expect-error an API key's id is a string
      GetApiKey: () => ({ apiKey: { id: 42 } }),
      // @ts-expect-error bare bytes: nothing says which message they encode
      GetNamespace: () => bytes,
      // @ts-expect-error GetNamespace's encoded response is not GetAsyncOperation's
      GetAsyncOperation: () => encodeResponse('GetNamespace', {}),
    };
    assert.equal(Object.keys(handlers).length, 5);
  });

  it('rejects a handler for a method that CloudService does not have', () => {
    const handlers: CloudHandlers = {
      GetNamespace: () => ({}),
      // @ts-expect-error not a CloudService method
      GetNamespaceX: () => ({}),
    };
    assert.equal(Object.keys(handlers).length, 2);
  });

  it("rejects, in a handler with its response type declared (as the services' are), a field the response does not have", () => {
    function getUser(): CloudResponse<'GetUser'> {
      // @ts-expect-error GetUserResponse has no users
      return { user: { id: 'u' }, users: [] };
    }
    assert.equal(getUser().user?.id, 'u');
  });

  it('takes typed handlers, and an encoded response of their own message', () => {
    const handlers: CloudHandlers = {
      GetNamespace: (request) => encodeResponse('GetNamespace', { namespace: { namespace: request.namespace ?? '' } }),
      GetUser: (request, principal) => ({ user: { id: request.userId || principal.userId } }),
    };
    const encoded = handlers.GetNamespace!({ namespace: 'orders.acct' }, { userId: 'admin', kind: 'login' });
    const decoded = proto().temporal.api.cloud.cloudservice.v1.GetNamespaceResponse.decode(encoded as Uint8Array);
    assert.equal(decoded.namespace?.namespace, 'orders.acct');
    assert.deepEqual(handlers.GetUser!({}, { userId: 'admin', kind: 'login' }), { user: { id: 'admin' } });
  });
});

describe('the decoder the server uses', () => {
  it('gives int64 as Long, bytes as Buffer, enums as numbers (unknown ones too), unset messages as null and unset strings as empty', () => {
    const methods = new Map(serviceMethods(CLOUD_SERVICE).map((method) => [method.name, method]));
    const decode = (name: CloudMethod, request: object) => {
      const type = methods.get(name)!.requestType;
      return type.decode(type.encode(request).finish());
    };
    const createKey = decode('CreateApiKey', { spec: { ownerType: 7, expiryTime: { seconds: 1_700_000_000, nanos: 5_000_000 } } }) as CloudRequest<'CreateApiKey'>;
    assert.equal(createKey.spec?.ownerType, 7);
    assert.equal(createKey.spec?.expiryTime?.seconds?.constructor.name, 'Long');
    assert.equal(millisOf(createKey.spec?.expiryTime), 1_700_000_000_005);
    assert.equal(createKey.asyncOperationId, '');
    const updateAccount = decode('UpdateAccount', { spec: { metrics: { acceptedClientCa: Buffer.from('pem') } } }) as CloudRequest<'UpdateAccount'>;
    assert.ok(Buffer.isBuffer(updateAccount.spec?.metrics?.acceptedClientCa));
    assert.equal((decode('UpdateNamespace', {}) as CloudRequest<'UpdateNamespace'>).spec, null);
  });
});
