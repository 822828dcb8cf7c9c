/**
 * What the emulator stores of each resource that changes through async operations (a namespace, the
 * account, an API key), in one shape: its resource version and the operation that last changed it, as
 * the code reads them and as SQLite gives them, and the SQL of an upsert. A table adds its own columns
 * (an ID, the spec, a namespace's name and tags, an API key's spec values) to these.
 */

/** A resource version, and the operation that last changed the resource. */
export interface OperationState {
  resourceVersion: string;
  /** The last operation that changed it ('' for one made at start-up). */
  asyncOperationId: string;
  operationType: string;
  /** When that operation is fulfilled (ms since the epoch); the resource is ACTIVE from then. */
  operationFinishMs: number;
  createdMs: number;
  modifiedMs: number;
}

/** An OperationState's columns, as SQLite gives them. */
export interface RawOperationState {
  resource_version: string;
  async_operation_id: string;
  operation_type: string;
  operation_finish_ms: number;
  created_ms: number;
  modified_ms: number;
}

/** A resource whose spec is stored whole (a namespace, the account). */
export interface VersionedRow extends OperationState {
  id: string;
  /** The spec, canonically encoded. */
  spec: Uint8Array;
}

export interface RawVersionedRow extends RawOperationState {
  id: string;
  spec: Buffer;
}

export function operationStateOf(raw: RawOperationState): OperationState {
  return {
    resourceVersion: raw.resource_version,
    asyncOperationId: raw.async_operation_id,
    operationType: raw.operation_type,
    operationFinishMs: raw.operation_finish_ms,
    createdMs: raw.created_ms,
    modifiedMs: raw.modified_ms,
  };
}

export function versionedRowOf(raw: RawVersionedRow): VersionedRow {
  return { id: raw.id, spec: raw.spec, ...operationStateOf(raw) };
}

/** A column and the named parameter its value is bound from. */
export type Column = [column: string, parameter: string];

/** A VersionedRow's own columns, before the table's extra ones. */
export const VERSIONED_COLUMNS: readonly Column[] = [
  ['id', 'id'],
  ['spec', 'spec'],
];

const OPERATION_STATE_COLUMNS: ReadonlyArray<[column: keyof RawOperationState, parameter: keyof OperationState]> = [
  ['resource_version', 'resourceVersion'],
  ['async_operation_id', 'asyncOperationId'],
  ['operation_type', 'operationType'],
  ['operation_finish_ms', 'operationFinishMs'],
  ['created_ms', 'createdMs'],
  ['modified_ms', 'modifiedMs'],
];

/**
 * `INSERT … ON CONFLICT (id) DO UPDATE` into `table` of `columns` (the first is `id`) and the operation
 * state's. An update changes every column but `id`, created_ms and those in `kept` (what a resource is
 * made with and keeps, such as an API key's secret digest and owner).
 */
export function upsertSql(table: string, columns: readonly Column[], kept: readonly string[] = []): string {
  const all = [...columns, ...OPERATION_STATE_COLUMNS];
  const unchanged = new Set(['id', 'created_ms', ...kept]);
  const updated = all.filter(([column]) => !unchanged.has(column));
  return (
    `INSERT INTO ${table} (${all.map(([column]) => column).join(', ')}) VALUES (${all.map(([, parameter]) => `@${parameter}`).join(', ')}) ` +
    `ON CONFLICT (id) DO UPDATE SET ${updated.map(([column]) => `${column} = excluded.${column}`).join(', ')}`
  );
}
