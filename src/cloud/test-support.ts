/** Fake Cloud Ops API clients and servers for tests. */
import { Server, ServerCredentials, status, type Metadata, type ServerUnaryCall, type sendUnaryData } from '@grpc/grpc-js';
import type { CloudClient } from './client.js';
import { CLOUD_SERVICE, serviceMethods } from './proto.js';

type ApiKeyMethods = 'getCurrentIdentity' | 'createApiKey' | 'getApiKey' | 'getApiKeys' | 'updateApiKey' | 'deleteApiKey';

const absent = (method: string) => async (): Promise<never> => {
  throw new Error(`${method} is not part of this test`);
};

/** The API key methods, for a fake that only serves namespaces. */
export const NO_API_KEYS: Pick<CloudClient, ApiKeyMethods> = {
  getCurrentIdentity: absent('GetCurrentIdentity'),
  createApiKey: absent('CreateApiKey'),
  getApiKey: absent('GetApiKey'),
  getApiKeys: absent('GetApiKeys'),
  updateApiKey: absent('UpdateApiKey'),
  deleteApiKey: absent('DeleteApiKey'),
};

/** The namespace methods, for a fake that only serves API keys and operations. */
export const NO_NAMESPACES: Pick<CloudClient, 'getNamespaces' | 'getNamespacesPage' | 'getNamespace' | 'updateNamespace' | 'createNamespace' | 'deleteNamespace' | 'getAccount' | 'updateAccount'> = {
  getNamespaces: absent('GetNamespaces'),
  getNamespacesPage: absent('GetNamespaces'),
  getNamespace: absent('GetNamespace'),
  updateNamespace: absent('UpdateNamespace'),
  createNamespace: absent('CreateNamespace'),
  deleteNamespace: absent('DeleteNamespace'),
  getAccount: absent('GetAccount'),
  updateAccount: absent('UpdateAccount'),
};

export type Reply = { code: number; details?: string } | { response: object } | { hang: true };

/** A stand-in CloudService that records what it was sent and answers from a script. */
export async function scriptedServer(script: Reply[]) {
  const seen: Array<{ method: string; metadata: Metadata; request: unknown }> = [];
  const server = new Server();
  const definition = Object.fromEntries(
    serviceMethods(CLOUD_SERVICE).map((m) => [
      m.name,
      {
        path: m.path,
        requestStream: false,
        responseStream: false,
        requestSerialize: (value: object) => Buffer.from(m.requestType.encode(value).finish()),
        requestDeserialize: (bytes: Buffer) => m.requestType.decode(bytes),
        responseSerialize: (value: object) => Buffer.from(m.responseType.encode(m.responseType.fromObject(value)).finish()),
        responseDeserialize: (bytes: Buffer) => m.responseType.decode(bytes),
      },
    ]),
  );
  const handler = (name: string) => (call: ServerUnaryCall<unknown, unknown>, callback: sendUnaryData<unknown>) => {
    seen.push({ method: name, metadata: call.metadata, request: call.request });
    const reply = script.shift() ?? { code: status.INTERNAL, details: 'script exhausted' };
    if ('hang' in reply) return;
    if ('response' in reply) callback(null, reply.response);
    else callback({ code: reply.code, details: reply.details ?? '' } as never);
  };
  server.addService(definition as never, Object.fromEntries(Object.keys(definition).map((name) => [name, handler(name)])));
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync('127.0.0.1:0', ServerCredentials.createInsecure(), (error, bound) => (error ? reject(error) : resolve(bound))),
  );
  return { seen, address: `127.0.0.1:${port}`, stop: () => new Promise<void>((done) => server.tryShutdown(() => done())) };
}
