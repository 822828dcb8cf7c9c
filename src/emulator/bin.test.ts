import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { connectOfficialClient } from './test-support.js';

const TCLD = resolve('bin/tcld');
const BUILT = existsSync(resolve('dist/cli/commands/dev-server.cjs'));
const skip = BUILT ? false : 'needs the built CLI: npm run build';

interface Run {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<number | null>;
}

/** The config folder of every run: with --db :memory:, the dev server CA is kept there, not in the user's. */
const CONFIG = mkdtempSync(join(tmpdir(), 'tcld-bin-config-'));

function tcld(args: string[]): Run {
  const child = spawn(process.execPath, [TCLD, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, XDG_CONFIG_HOME: CONFIG } });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<number | null>((done) => child.once('close', (code) => done(code)));
  return { child, stdout: () => stdout, stderr: () => stderr, exit };
}

async function until<T>(find: () => T | undefined, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = find();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('./bin/tcld dev-server', () => {
  const runs: Run[] = [];
  const blockers: Server[] = [];
  after(() => {
    for (const run of runs) if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
    for (const blocker of blockers) blocker.close();
    rmSync(CONFIG, { recursive: true, force: true });
  });

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`serves the official client, then stops cleanly on ${signal} with exit code 0`, { skip }, async () => {
      const run = tcld(['dev-server', '--db', ':memory:', '--port', '0', '--gateway-port', '0', '--namespace', 'e2e.acct']);
      runs.push(run);
      const address = await until(() => /Cloud Ops API on (\S+) /.exec(run.stdout())?.[1]);
      const key = await until(() => /^API key: (\S+)$/m.exec(run.stdout())?.[1]);
      const c = await connectOfficialClient({ address }, { apiKey: key });
      try {
        assert.equal((await c.cloud.getNamespace({ namespace: 'e2e.acct' })).namespace?.spec?.name, 'e2e');
      } finally {
        c.close();
      }
      run.child.kill(signal);
      assert.equal(await run.exit, 0, run.stderr());
      assert.equal(run.stderr(), '');
      assert.match(run.stdout(), /GetNamespace e2e\.acct OK/);
      assert.match(run.stdout(), new RegExp(`^mTLS namespace endpoint on 127\\.0\\.0\\.1:\\d+ \\(TLS server name <namespace>\\.tmprl\\.local; server root CA ${join(CONFIG, 'tcld', 'dev-server-ca.pem')}\\)$`, 'm'));
      assert.match(run.stdout(), /tcld dev-server: stopped\n$/);
    });
  }

  it('exits 1 with one line when the port is in use', { skip }, async () => {
    const blocker = createServer();
    blockers.push(blocker);
    await new Promise<void>((done) => blocker.listen(0, '127.0.0.1', done));
    const port = (blocker.address() as { port: number }).port;
    const run = tcld(['dev-server', '--db', ':memory:', '--port', String(port), '--gateway-port', '0']);
    runs.push(run);
    assert.equal(await run.exit, 1);
    assert.equal(run.stderr(), `error: port ${port} is in use; choose another with --port\n`);
    assert.equal(run.stdout(), '');
  });

  it('exits 2 for a port that is not a number', { skip }, async () => {
    const run = tcld(['dev-server', '--port', 'abc']);
    runs.push(run);
    assert.equal(await run.exit, 2);
    assert.match(run.stderr(), /^error: --port must be a number from 0 to 65535 \(got "abc"\)/);
  });
});
