/** Waiting for an async operation to finish, as every mutation's --wait does. */
import { InterruptedError } from '../errors.js';
import type { CloudClient } from './client.js';
import type { IAsyncOperation } from './proto.js';

/** AsyncOperation.State numbers (temporal.api.cloud.operation.v1), and tcld's lowercase names for them. */
const STATE_NAMES: Record<number, string> = {
  0: 'unspecified',
  1: 'pending',
  2: 'in_progress',
  3: 'failed',
  4: 'cancelled',
  5: 'fulfilled',
  6: 'rejected',
};
const FINAL = new Set(['failed', 'cancelled', 'fulfilled', 'rejected']);

export function operationState(operation: IAsyncOperation): string {
  const named = STATE_NAMES[Number(operation.state ?? 0)];
  return named && named !== 'unspecified' ? named : String(operation.stateDeprecated || 'unspecified').toLowerCase();
}

export function isFinal(operation: IAsyncOperation): boolean {
  return FINAL.has(operationState(operation));
}

export interface WaitOptions {
  /** Called on every poll with the operation's current state. */
  onPoll?: (operation: IAsyncOperation) => void;
  intervalMs?: number;
  /** Gives up after this long. Default 10 minutes. */
  timeoutMs?: number;
  /** Aborting it stops the wait at once, even mid-poll: the wait rejects with an InterruptedError. */
  signal?: AbortSignal;
}

/** Polls the operation until it ends (or the timeout passes) and returns it as last seen. */
export async function waitForOperation(client: CloudClient, id: string, options: WaitOptions = {}): Promise<IAsyncOperation> {
  const deadline = Date.now() + (options.timeoutMs ?? 600_000);
  const { signal } = options;
  let interrupt = () => {};
  const interrupted = new Promise<never>((_, reject) => {
    interrupt = () => reject(new InterruptedError(`interrupted while waiting for request ${id}`));
  });
  interrupted.catch(() => {}); // observed by the races below; this keeps an unraced rejection quiet
  if (signal?.aborted) interrupt();
  signal?.addEventListener('abort', interrupt, { once: true });
  let timer: NodeJS.Timeout | undefined;
  try {
    for (;;) {
      const operation = await Promise.race([client.getAsyncOperation(id), interrupted]);
      options.onPoll?.(operation);
      if (isFinal(operation) || Date.now() > deadline) return operation;
      await Promise.race([new Promise((settle) => (timer = setTimeout(settle, options.intervalMs ?? 250))), interrupted]);
    }
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', interrupt);
  }
}
