/**
 * The account in the emulator's SQLite file (the accounts table of account-schema.ts), on the Store's
 * connection: one file, one lock, and Store.transaction() spans it with the operations it records.
 */
import type { Store } from '../store.js';
import { VERSIONED_COLUMNS, upsertSql, versionedRowOf, type RawVersionedRow, type VersionedRow } from '../versioned-row.js';

/** The account's row: its spec is the AccountSpec, canonically encoded (account-spec.ts). */
export type AccountRow = VersionedRow;

export class AccountStore {
  private readonly statements;
  private readonly listeners = new Set<(accountId: string) => void>();

  constructor(readonly store: Store) {
    const { db } = store;
    this.statements = {
      account: db.prepare<[string], RawVersionedRow>('SELECT * FROM accounts WHERE id = ?'),
      upsert: db.prepare(upsertSql('accounts', VERSIONED_COLUMNS)),
    };
  }

  account(id: string): AccountRow | undefined {
    const raw = this.statements.account.get(id);
    return raw && versionedRowOf(raw);
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
