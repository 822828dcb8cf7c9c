/**
 * What the emulator stores of each resource that changes through async operations (a namespace, the
 * account), in one shape: the row as the code reads it, the columns as SQLite gives them, and the
 * SQL of an upsert. A table adds its own columns (a namespace's name and tags) to these.
 */

/** A resource version, the spec, and the operation that last changed it. */
export interface VersionedRow {
  id: string;
  resourceVersion: string;
  /** The spec, canonically encoded. */
  spec: Uint8Array;
  /** The last operation that changed it ('' for one made at start-up). */
  asyncOperationId: string;
  operationType: string;
  /** When that operation is fulfilled (ms since the epoch); the resource is ACTIVE from then. */
  operationFinishMs: number;
  createdMs: number;
  modifiedMs: number;
}

/** A VersionedRow's columns, as SQLite gives them. */
export interface RawVersionedRow {
  id: string;
  resource_version: string;
  spec: Buffer;
  async_operation_id: string;
  operation_type: string;
  operation_finish_ms: number;
  created_ms: number;
  modified_ms: number;
}

export function versionedRowOf(raw: RawVersionedRow): VersionedRow {
  return {
    id: raw.id,
    resourceVersion: raw.resource_version,
    spec: raw.spec,
    asyncOperationId: raw.async_operation_id,
    operationType: raw.operation_type,
    operationFinishMs: raw.operation_finish_ms,
    createdMs: raw.created_ms,
    modifiedMs: raw.modified_ms,
  };
}

const COLUMNS: ReadonlyArray<[column: string, parameter: keyof VersionedRow]> = [
  ['id', 'id'],
  ['resource_version', 'resourceVersion'],
  ['spec', 'spec'],
  ['async_operation_id', 'asyncOperationId'],
  ['operation_type', 'operationType'],
  ['operation_finish_ms', 'operationFinishMs'],
  ['created_ms', 'createdMs'],
  ['modified_ms', 'modifiedMs'],
];

/**
 * `INSERT … ON CONFLICT (id) DO UPDATE` of a VersionedRow into `table`, with `extra` columns of the
 * table (bound by the same names); an update keeps created_ms.
 */
export function upsertSql(table: string, extra: ReadonlyArray<[column: string, parameter: string]> = []): string {
  const all = [...COLUMNS, ...extra];
  const updated = all.filter(([column]) => column !== 'id' && column !== 'created_ms');
  return (
    `INSERT INTO ${table} (${all.map(([column]) => column).join(', ')}) VALUES (${all.map(([, parameter]) => `@${parameter}`).join(', ')}) ` +
    `ON CONFLICT (id) DO UPDATE SET ${updated.map(([column]) => `${column} = excluded.${column}`).join(', ')}`
  );
}
