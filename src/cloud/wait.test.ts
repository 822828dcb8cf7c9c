import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorKind } from '../errors.js';
import type { CloudClient } from './client.js';
import type { IAsyncOperation } from './proto.js';
import { waitForOperation } from './wait.js';
import { NO_API_KEYS } from './test-support.js';

/** A client whose GetAsyncOperation answers from a script, or never when the script runs out. */
function scriptedClient(states: number[]): CloudClient & { polls: number } {
  return {
    server: 'fake',
    ...NO_API_KEYS,
    polls: 0,
    async getNamespaces() {
      return [];
    },
    async getNamespacesPage() {
      return { namespaces: [], nextPageToken: '' };
    },
    async getNamespace() {
      return {};
    },
    createNamespace: notCalled,
    deleteNamespace: notCalled,
    async updateNamespace() {
      return {};
    },
    async getAccount() {
      return {};
    },
    async updateAccount() {
      return {};
    },
    getAsyncOperation(id) {
      this.polls++;
      const state = states.shift();
      return state === undefined ? new Promise<IAsyncOperation>(() => {}) : Promise.resolve({ id, state });
    },
    close() {},
  };
}

describe('waitForOperation', () => {
  it('polls until the operation ends and returns it', async () => {
    const client = scriptedClient([1, 2, 5]);
    const seen: unknown[] = [];
    const final = await waitForOperation(client, 'op', { intervalMs: 0, onPoll: (operation) => seen.push(operation.state) });
    assert.deepEqual([final.state, seen], [5, [1, 2, 5]]);
  });

  it('rejects with an InterruptedError as soon as the signal aborts, even while a poll is unanswered', async () => {
    const client = scriptedClient([1]);
    const stop = new AbortController();
    const waiting = waitForOperation(client, 'op', { intervalMs: 0, signal: stop.signal });
    while (client.polls < 2) await new Promise((settle) => setImmediate(settle));
    stop.abort();
    await assert.rejects(waiting, (error: Error) => errorKind(error) === 'interrupted' && /request op/.test(error.message));
  });

  it('rejects at once when the signal has already aborted', async () => {
    const client = scriptedClient([]);
    const stop = new AbortController();
    stop.abort();
    await assert.rejects(waitForOperation(client, 'op', { signal: stop.signal }), (error: Error) => errorKind(error) === 'interrupted');
  });
});

async function notCalled(): Promise<never> {
  throw new Error('not called by these tests');
}
