/**
 * Async operations: every mutation returns one. An operation is pending until its start plus the
 * emulator's async delay, then fulfilled; the state is computed when read, so no timers run.
 */
import type { IAsyncOperation } from '../cloud/proto.js';
import { duration, messages, timestamp } from './messages.js';
import type { OperationRow } from './store.js';

export type OperationType = 'create-namespace' | 'update-namespace' | 'delete-namespace';

export function newOperation(id: string, type: OperationType, namespace: string, nowMs: number, delayMs: number): OperationRow {
  return { id, type, namespace, startedMs: nowMs, finishMs: nowMs + delayMs };
}

/** The AsyncOperation message at `nowMs`. */
export function renderOperation(row: OperationRow, nowMs: number): IAsyncOperation {
  const states = messages().OperationState;
  const fulfilled = nowMs >= row.finishMs;
  return {
    id: row.id,
    state: fulfilled ? states['STATE_FULFILLED']! : states['STATE_PENDING']!,
    stateDeprecated: fulfilled ? 'fulfilled' : 'pending',
    operationType: row.type,
    startedTime: timestamp(row.startedMs) as never,
    ...(fulfilled
      ? { finishedTime: timestamp(row.finishMs) as never }
      : // How long a client should wait before it asks again.
        { checkDuration: duration(row.finishMs - nowMs) as never }),
  };
}
