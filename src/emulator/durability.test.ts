import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import Database from 'better-sqlite3';
import { connectOfficialClient, startTestEmulator } from './test-support.js';

const CHILD = join(__dirname, 'test-child.ts');
const CHAINS = 4;

/** Starts the emulator in a child process and resolves its port once it listens. */
function startChild(db: string, namespaces: string[]): Promise<{ child: ChildProcess; port: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD, db, ...namespaces], { stdio: ['ignore', 'pipe', 'inherit'] });
  return new Promise((ready, fail) => {
    let out = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const port = /ready (\d+)/.exec(out)?.[1];
      if (port) ready({ child, port: Number(port) });
    });
    child.once('exit', (code) => fail(new Error(`the emulator exited (${code}) before it was ready`)));
  });
}

describe('emulator › durability', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tcld-kill-'));
  const children: ChildProcess[] = [];
  after(() => {
    for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('kill -9 mid-burst loses no acknowledged UpdateNamespace, and the database opens again', async () => {
    const db = join(dir, 'dev-server.db');
    const namespaces = Array.from({ length: CHAINS }, (_, i) => `burst${i}.acct`);
    const { child, port } = await startChild(db, namespaces);
    children.push(child);
    const c = await connectOfficialClient({ address: `127.0.0.1:${port}` }, { retries: false });
    /** Per namespace: the operation IDs acknowledged, in order, and the one in flight when the server died. */
    const acknowledged = namespaces.map(() => [] as string[]);
    const inFlight = namespaces.map(() => undefined as string | undefined);
    let total = 0;
    const exited = new Promise((done) => child.once('exit', done));

    // One sequential chain of updates per namespace, all chains at once; kill after 150 acknowledgements.
    const chains = namespaces.map(async (namespace, chain) => {
      const spec = (await c.cloud.getNamespace({ namespace })).namespace!.spec!;
      for (let i = 1; ; i++) {
        const asyncOperationId = `${namespace}-${i}`;
        inFlight[chain] = asyncOperationId;
        try {
          await c.cloud.updateNamespace({ namespace, spec: { ...spec, retentionDays: (i % 90) + 1 }, asyncOperationId });
        } catch {
          return; // the server is gone
        }
        acknowledged[chain]!.push(asyncOperationId);
        if (++total === 150) child.kill('SIGKILL');
      }
    });
    await Promise.all(chains);
    await exited;
    c.close();
    assert.equal(child.signalCode, 'SIGKILL');
    assert.ok(total >= 150, `only ${total} updates were acknowledged`);

    const raw = new Database(db);
    assert.equal(raw.pragma('integrity_check', { simple: true }), 'ok');
    raw.close();

    const reopened = await startTestEmulator({ db });
    const again = await connectOfficialClient(reopened);
    try {
      for (const [chain, namespace] of namespaces.entries()) {
        for (const id of acknowledged[chain]!) {
          assert.equal((await again.cloud.getAsyncOperation({ asyncOperationId: id })).asyncOperation?.id, id, `operation ${id} was lost`);
        }
        // The namespace shows its last acknowledged change, or the one in flight if that committed before the kill.
        const last = (await again.cloud.getNamespace({ namespace })).namespace!.asyncOperationId;
        assert.ok([acknowledged[chain]!.at(-1), inFlight[chain]].includes(last ?? undefined), `${namespace} is at ${last}`);
      }
    } finally {
      again.close();
      await reopened.close();
    }
  });
});
