import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { connect as connectTls } from 'node:tls';
import Database from 'better-sqlite3';
import { after, describe, it } from 'node:test';
import { connectOfficialClient } from './test-support.js';
import { SCHEMA_VERSION } from './store-schema.js';

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

function tcld(args: string[], env: Record<string, string> = {}): Run {
  const child = spawn(process.execPath, [TCLD, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, XDG_CONFIG_HOME: CONFIG, ...env } });
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
      const run = tcld(['dev-server', '--db', ':memory:', '--port', '0', '--gateway-port', '0', '--auth-port', '0', '--namespace', 'e2e.acct']);
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

  /** Starts a dev-server on `db` and resolves its run once it prints its addresses. */
  async function serve(db: string, extra: string[] = []) {
    const run = tcld(['dev-server', '--db', db, '--port', '0', '--gateway-port', '0', '--auth-port', '0', ...extra]);
    runs.push(run);
    const address = await until(() => /Cloud Ops API on (\S+) /.exec(run.stdout())?.[1] ?? (run.child.exitCode !== null ? '' : undefined));
    assert.ok(address, run.stderr());
    const gateway = await until(() => /^mTLS namespace endpoint on (\S+) /m.exec(run.stdout())?.[1]);
    const auth = await until(() => /^sign-in \(OAuth device flow\) on http:\/\/(\S+): /m.exec(run.stdout())?.[1]);
    const key = await until(() => /^API key: (\S+)$/m.exec(run.stdout())?.[1]);
    return { run, address, gateway, auth, key };
  }

  it('refuses a second server on one --db with one line naming the first (pid, addresses), and starts once the first is killed -9', { skip }, async () => {
    const dir = mkdtempSync(join(CONFIG, 'one-db-'));
    const db = join(dir, 'dev-server.db');
    const first = await serve(db, ['--namespace', 'e2e.acct']);
    const second = tcld(['dev-server', '--db', db, '--port', '0', '--gateway-port', '0', '--auth-port', '0']);
    runs.push(second);
    assert.equal(await second.exit, 1);
    assert.equal(
      second.stderr(),
      `error: database ${db} is in use by tcld dev-server pid ${first.run.child.pid} (Cloud Ops API on ${first.address}, mTLS endpoint on ${first.gateway}, sign-in on ${first.auth}); stop it, or choose another --db\n`,
    );
    assert.equal(second.stdout(), '');
    const c = await connectOfficialClient({ address: first.address }, { apiKey: first.key });
    try {
      assert.equal((await c.cloud.getNamespace({ namespace: 'e2e.acct' })).namespace?.spec?.name, 'e2e', 'the first still serves');
    } finally {
      c.close();
    }

    first.run.child.kill('SIGKILL');
    await first.run.exit;
    assert.ok(existsSync(`${db}-server.json`), 'a killed server leaves its owner file behind');
    const third = await serve(db);
    const again = await connectOfficialClient({ address: third.address }, { apiKey: third.key });
    try {
      assert.equal((await again.cloud.getNamespace({ namespace: 'e2e.acct' })).namespace?.spec?.name, 'e2e', 'the database is the same');
    } finally {
      again.close();
    }
    assert.deepEqual(JSON.parse(readFileSync(`${db}-server.json`, 'utf8')), { pid: third.run.child.pid, api: third.address, gateway: third.gateway, auth: third.auth });
    third.run.child.kill('SIGTERM');
    assert.equal(await third.run.exit, 0, third.run.stderr());
    assert.ok(!existsSync(`${db}-server.json`), 'a stopped server removes its owner file');
  });

  it('two servers started at once on two databases in one folder serve the one dev server CA on disk', { skip }, async () => {
    const dir = mkdtempSync(join(CONFIG, 'one-folder-'));
    const servers = await Promise.all(['a.db', 'b.db'].map((name) => serve(join(dir, name), ['--namespace', 'e2e.acct'])));
    const onDisk = new X509Certificate(readFileSync(join(dir, 'dev-server-ca.pem')));
    for (const server of servers) {
      const [host, port] = server.gateway.split(':');
      const presented = await new Promise<X509Certificate>((done, fail) => {
        const socket = connectTls({ host, port: Number(port), servername: 'e2e.acct.tmprl.local', rejectUnauthorized: false, ALPNProtocols: ['h2'] });
        socket.once('secureConnect', () => {
          done(socket.getPeerX509Certificate()!);
          socket.destroy();
        });
        socket.once('error', fail);
      });
      assert.ok(presented.checkIssued(onDisk) && presented.verify(onDisk.publicKey), `the server on ${server.gateway} uses the CA on disk`);
    }
  });

  it("exits 1 with one line naming the file and what it expected for another program's database, and leaves it untouched", { skip }, async () => {
    const db = join(mkdtempSync(join(CONFIG, 'foreign-')), 'theirs.db');
    const raw = new Database(db);
    raw.exec('CREATE TABLE operations (x INTEGER); CREATE TABLE mine (y TEXT)');
    raw.close();
    const before = readFileSync(db);
    const run = tcld(['dev-server', '--db', db, '--port', '0', '--gateway-port', '0', '--auth-port', '0']);
    runs.push(run);
    assert.equal(await run.exit, 1);
    assert.equal(
      run.stderr(),
      `error: database ${db} is not a tcld dev-server database: it has tables mine, operations at schema version 0 (a tcld dev-server database has tables namespaces, operations, users, api_keys, tokens and accounts, schema version ${SCHEMA_VERSION}); choose another --db\n`,
    );
    assert.deepEqual(readFileSync(db), before);
  });

  it('takes its API key from TCLD_DEV_SERVER_API_KEYS: not on its command line, and never printed', { skip }, async () => {
    const key = 'env-only-secret-key';
    const run = tcld(['dev-server', '--db', ':memory:', '--port', '0', '--gateway-port', '0', '--auth-port', '0'], { TCLD_DEV_SERVER_API_KEYS: key });
    runs.push(run);
    const address = await until(() => /Cloud Ops API on (\S+) /.exec(run.stdout())?.[1]);
    assert.ok(!readFileSync(`/proc/${run.child.pid}/cmdline`, 'utf8').includes(key), 'the key is not in what ps shows');
    const c = await connectOfficialClient({ address }, { apiKey: key });
    try {
      await c.cloud.getNamespaces({});
    } finally {
      c.close();
    }
    run.child.kill('SIGTERM');
    assert.equal(await run.exit, 0, run.stderr());
    assert.ok(!`${run.stdout()}${run.stderr()}`.includes(key));
    assert.doesNotMatch(run.stdout(), /^API key:/m);
  });

  it('exits 1 with one line when the port is in use', { skip }, async () => {
    const blocker = createServer();
    blockers.push(blocker);
    await new Promise<void>((done) => blocker.listen(0, '127.0.0.1', done));
    const port = (blocker.address() as { port: number }).port;
    const run = tcld(['dev-server', '--db', ':memory:', '--port', String(port), '--gateway-port', '0', '--auth-port', '0']);
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
