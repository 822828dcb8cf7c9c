/**
 * The account in the emulator's SQLite file (the accounts table of account-schema.ts), on the Store's
 * connection: one file, one lock, and Store.transaction() spans it with the operations it records.
 */
import type { Store } from '../store.js';

export interface AccountRow {
  id: string;
  resourceVersion: string;
  /** The AccountSpec, canonically encoded (account-spec.ts). */
  spec: Uint8Array;
  /** The last operation that changed it ('' for the account as first made). */
  asyncOperationId: string;
  operationType: string;
  /** When that operation is fulfilled (ms since the epoch); the account is ACTIVE from then. */
  operationFinishMs: number;
  createdMs: number;
  modifiedMs: number;
}

interface RawAccount {
  id: string;
  resource_version: string;
  spec: Buffer;
  async_operation_id: string;
  operation_type: string;
  operation_finish_ms: number;
  created_ms: number;
  modified_ms: number;
}

export class AccountStore {
  private readonly statements;
  private readonly listeners = new Set<(accountId: string) => void>();

  constructor(readonly store: Store) {
    const { db } = store;
    this.statements = {
      account: db.prepare<[string], RawAccount>('SELECT * FROM accounts WHERE id = ?'),
      upsert: db.prepare(
        `INSERT INTO accounts (id, resource_version, spec, async_operation_id, operation_type, operation_finish_ms, created_ms, modified_ms)
         VALUES (@id, @resourceVersion, @spec, @asyncOperationId, @operationType, @operationFinishMs, @createdMs, @modifiedMs)
         ON CONFLICT (id) DO UPDATE SET resource_version = excluded.resource_version, spec = excluded.spec,
           async_operation_id = excluded.async_operation_id, operation_type = excluded.operation_type,
           operation_finish_ms = excluded.operation_finish_ms, modified_ms = excluded.modified_ms`,
      ),
    };
  }

  account(id: string): AccountRow | undefined {
    const raw = this.statements.account.get(id);
    return (
      raw && {
        id: raw.id,
        resourceVersion: raw.resource_version,
        spec: raw.spec,
        asyncOperationId: raw.async_operation_id,
        operationType: raw.operation_type,
        operationFinishMs: raw.operation_finish_ms,
        createdMs: raw.created_ms,
        modifiedMs: raw.modified_ms,
      }
    );
  }

  /** Inserts or replaces the account. Call inside Store.transaction() together with its operation. */
  putAccount(row: AccountRow): void {
    this.statements.upsert.run({ ...row, spec: Buffer.from(row.spec) });
    for (const listener of this.listeners) listener(row.id);
  }

  /**
   * Calls `listener` with the account's ID whenever a write in this process changes it (during the
   * write, before the commit, as Store.onNamespaceChange: a listener should only forget what it read).
   * Returns a function that removes the listener.
   */
  onAccountChange(listener: (accountId: string) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
