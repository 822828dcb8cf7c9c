/**
 * The CloudService account methods (GetAccount, UpdateAccount) as plain functions from a decoded
 * request to a response, like the namespace service: a change in one transaction with an async
 * operation, the resource_version guard, "nothing to change", and an async_operation_id honoured as
 * there. The account's spec is its metrics endpoint's accepted client CA bundle, checked by Temporal
 * Cloud's bundle rules exactly as a namespace's (validation.ts).
 *
 * The public API's MetricsSpec has no `enabled` field (tcld's internal API has one): the endpoint is
 * on exactly while the bundle holds a CA, and Metrics.uri is reported only then (and only while the
 * emulator serves the endpoint, --account-metrics-port).
 */
import type { IAccount } from '../../cloud/proto.js';
import type { RandomSource } from '../../pki/random.js';
import { clip, failedPrecondition, invalidArgument, notFound } from '../api-error.js';
import type { CloudRequest, CloudResponse } from '../cloud-handlers.js';
import { randomUuid } from '../ids.js';
import { stateOf } from '../namespace-view.js';
import { findRepeatedOperation, newOperation, renderOperation, requestDigest } from '../operations.js';
import type { Store } from '../store.js';
import { bundleProblems } from '../validation.js';
import { canonicalAccountSpecBytes, decodeAccountSpec, metricsBundleOf } from './account-spec.js';
import type { AccountRow, AccountStore } from './account-store.js';

export interface AccountServiceOptions {
  store: Store;
  accounts: AccountStore;
  /** The account ID: the one account the emulator has. */
  account: string;
  /** How long an async operation stays pending. */
  asyncDelayMs: number;
  now(): Date;
  random: RandomSource;
  /** The metrics endpoint's URI (`https://127.0.0.1:7391/prometheus`), when the emulator serves one. */
  metricsUri?: string;
}

export type AccountService = ReturnType<typeof createAccountService>;

export function createAccountService(options: AccountServiceOptions) {
  const { store, accounts, account, asyncDelayMs, random } = options;
  const nowMs = () => options.now().getTime();

  function requireAccount(): AccountRow {
    const row = accounts.account(account);
    if (!row) throw notFound(`account "${clip(account)}" not found`);
    return row;
  }

  function render(row: AccountRow, now: number): IAccount {
    const spec = decodeAccountSpec(row.spec);
    const enabled = metricsBundleOf(spec).length > 0;
    return {
      id: row.id,
      spec,
      resourceVersion: row.resourceVersion,
      state: stateOf(row, now).state,
      asyncOperationId: row.asyncOperationId,
      ...(enabled && options.metricsUri !== undefined && { metrics: { uri: options.metricsUri } }),
    };
  }

  return {
    getAccount(): CloudResponse<'GetAccount'> {
      return { account: render(requireAccount(), nowMs()) };
    },

    updateAccount(request: CloudRequest<'UpdateAccount'>): CloudResponse<'UpdateAccount'> {
      const spec = request.spec;
      const bytes = spec ? canonicalAccountSpecBytes(spec) : undefined;
      const resourceVersion = request.resourceVersion ?? '';
      const digest = requestDigest('update-account', account, resourceVersion, bytes);
      return store.transaction((): CloudResponse<'UpdateAccount'> => {
        const repeated = findRepeatedOperation(store, request.asyncOperationId, 'update-account', account, digest);
        if (repeated) return { asyncOperation: renderOperation(repeated, nowMs()) };
        const row = requireAccount();
        // An empty resource_version means "no check", as for namespaces.
        if (resourceVersion && resourceVersion !== row.resourceVersion) {
          throw failedPrecondition(`resource_version "${clip(resourceVersion)}" is stale: account "${row.id}" is at "${row.resourceVersion}"; get the account again and retry`);
        }
        if (!spec || !bytes) throw invalidArgument('spec is required');
        if (Buffer.compare(bytes, row.spec) === 0) throw invalidArgument('nothing to change');
        const now = nowMs();
        const bundle = metricsBundleOf(spec);
        const problems = bundle.length > 0 ? bundleProblems(bundle, new Date(now), 'spec.metrics.accepted_client_ca') : [];
        if (problems.length > 0) throw invalidArgument(problems.join('; '));
        const id = request.asyncOperationId || randomUuid(random);
        const operation = newOperation(id, 'update-account', account, now, asyncDelayMs, digest);
        store.putOperation(operation);
        accounts.putAccount({
          ...row,
          spec: bytes,
          resourceVersion: randomUuid(random),
          asyncOperationId: operation.id,
          operationType: operation.type,
          operationFinishMs: operation.finishMs,
          modifiedMs: now,
        });
        return { asyncOperation: renderOperation(operation, now) };
      });
    },

    /** Makes the account, with no metrics CA, unless the database has it. */
    seedAccount(): void {
      store.transaction(() => {
        if (accounts.account(account)) return;
        const now = nowMs();
        accounts.putAccount({
          id: account,
          resourceVersion: randomUuid(random),
          spec: canonicalAccountSpecBytes({}),
          asyncOperationId: '',
          operationType: '',
          operationFinishMs: 0,
          createdMs: now,
          modifiedMs: now,
        });
      });
    },
  };
}
