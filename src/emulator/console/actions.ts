/**
 * The console's one door into the emulator's services: every read and change it makes goes through
 * the very handlers the Cloud Ops API serves (service.ts, account/, identity/api-key-service.ts), so
 * a change from a page follows the same rules, makes the same async operation (`tcld r g` sees it) and
 * refuses with the same message. The rest of the console sees only the plain records below, so that
 * retyping the handlers touches this file alone.
 */
import { status } from '@grpc/grpc-js';
import { proto, type IAsyncOperation, type INamespace, type INamespaceSpec } from '../../cloud/proto.js';
import type { AccountService } from '../account/account-service.js';
import { ApiError } from '../api-error.js';
import type { ApiKeyService } from '../identity/api-key-service.js';
import { messages, millisOf } from '../messages.js';
import type { NamespaceService } from '../service.js';

/** The most namespaces (or API keys) a page reads, following the API's pages: past it, the list page says there are more. */
export const MAX_LISTED = 500;

export interface NamespaceRecord {
  id: string;
  resourceVersion: string;
  /** 'active', 'activating', 'updating', as the API's state_deprecated says. */
  state: string;
  /** `<id>.<domain>:<port>`, where clients connect with mTLS. */
  endpoint: string;
  spec: INamespaceSpec;
}

export interface AccountRecord {
  id: string;
  resourceVersion: string;
  /** The metrics endpoint's URI, reported while it is on (its bundle holds a CA) and served. */
  metricsUri?: string;
  /** The metrics endpoint's accepted client CA bundle, PEM (empty: the endpoint is off). */
  metricsBundle: Uint8Array;
}

/** An API key as GetApiKeys describes it: never its secret, which no service keeps. */
export interface ApiKeyRecord {
  id: string;
  displayName: string;
  description: string;
  ownerId: string;
  expiry: Date;
  disabled: boolean;
  state: string;
}

/** A service's refusal, by its gRPC status as a code (the message is the service's own words). */
export type ServiceRefusalCode = 'invalid-argument' | 'not-found' | 'failed-precondition' | 'already-exists' | 'data-loss' | 'other';

export type Refusal = { ok: false; code: ServiceRefusalCode; message: string };
export type Read<T> = { ok: true; value: T } | Refusal;
/** A change the service accepted: its async operation, which `tcld r g -r <id>` reads. */
export type Change = { ok: true; operationId: string } | Refusal;

export interface ConsoleActions {
  /** Up to MAX_LISTED namespaces in ID order (damaged ones are left out, as GetNamespaces does); `more` when there are others. */
  listNamespaces(): { namespaces: NamespaceRecord[]; more: boolean };
  namespace(id: string): Read<NamespaceRecord>;
  /** UpdateNamespace with the whole spec, guarded by the resource version the page showed. */
  updateNamespace(id: string, resourceVersion: string, spec: INamespaceSpec): Change;
  account(): Read<AccountRecord>;
  apiKeys(): ApiKeyRecord[];
}

export interface ConsoleServices {
  namespaces: NamespaceService;
  accounts: AccountService;
  apiKeys: ApiKeyService;
}

export function createConsoleActions(services: ConsoleServices): ConsoleActions {
  const { namespaces, accounts, apiKeys } = services;
  return {
    listNamespaces() {
      const found: NamespaceRecord[] = [];
      let pageToken = '';
      do {
        const page = namespaces.getNamespaces({ pageToken });
        for (const namespace of page.namespaces ?? []) found.push(namespaceRecord(namespace));
        pageToken = page.nextPageToken ?? '';
      } while (pageToken !== '' && found.length < MAX_LISTED);
      return { namespaces: found.slice(0, MAX_LISTED), more: pageToken !== '' || found.length > MAX_LISTED };
    },
    namespace(id) {
      return attempt(() => {
        const response = proto().temporal.api.cloud.cloudservice.v1.GetNamespaceResponse.decode(namespaces.getNamespace({ namespace: id }));
        return namespaceRecord(response.namespace ?? {});
      });
    },
    updateNamespace(id, resourceVersion, spec) {
      return change(() => namespaces.updateNamespace({ namespace: id, resourceVersion, spec: asSent(spec) }));
    },
    account() {
      return attempt(() => {
        const account = accounts.getAccount().account ?? {};
        return {
          id: account.id ?? '',
          resourceVersion: account.resourceVersion ?? '',
          ...(account.metrics?.uri && { metricsUri: account.metrics.uri }),
          metricsBundle: account.spec?.metrics?.acceptedClientCa ?? new Uint8Array(),
        };
      });
    },
    apiKeys() {
      const found: ApiKeyRecord[] = [];
      let pageToken = '';
      do {
        const page = apiKeys.getApiKeys({ pageToken });
        for (const key of page.apiKeys ?? []) {
          const spec = key.spec ?? {};
          found.push({
            id: key.id ?? '',
            displayName: spec.displayName ?? '',
            description: spec.description ?? '',
            ownerId: spec.ownerId ?? '',
            expiry: new Date(millisOf(spec.expiryTime) ?? 0),
            disabled: spec.disabled === true,
            state: key.stateDeprecated ?? '',
          });
        }
        pageToken = page.nextPageToken ?? '';
      } while (pageToken !== '' && found.length < MAX_LISTED);
      return found;
    },
  };
}

function namespaceRecord(namespace: INamespace): NamespaceRecord {
  return {
    id: namespace.namespace ?? '',
    resourceVersion: namespace.resourceVersion ?? '',
    state: namespace.stateDeprecated ?? '',
    endpoint: namespace.endpoints?.mtlsGrpcAddress ?? '',
    spec: namespace.spec ?? {},
  };
}

/** The spec as the gRPC server would hand it to the handler: encoded and decoded, so a page's request is exactly a client's. */
function asSent(spec: INamespaceSpec): INamespaceSpec {
  const type = messages().NamespaceSpec;
  return type.decode(type.encode(spec).finish()) as INamespaceSpec;
}

const CODES: Partial<Record<status, ServiceRefusalCode>> = {
  [status.INVALID_ARGUMENT]: 'invalid-argument',
  [status.NOT_FOUND]: 'not-found',
  [status.FAILED_PRECONDITION]: 'failed-precondition',
  [status.ALREADY_EXISTS]: 'already-exists',
  [status.DATA_LOSS]: 'data-loss',
};

/** The service's answer, or its refusal as a value; anything but an ApiError is a bug and stays thrown. */
function attempt<T>(call: () => T): Read<T> {
  try {
    return { ok: true, value: call() };
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    return { ok: false, code: CODES[error.code] ?? 'other', message: error.message };
  }
}

function change(call: () => { asyncOperation?: IAsyncOperation | null }): Change {
  const result = attempt(call);
  // Every mutation of the services answers with the operation it started (operations.ts renders it).
  return result.ok ? { ok: true, operationId: result.value.asyncOperation?.id ?? '' } : result;
}
