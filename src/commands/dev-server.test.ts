import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { UsageError, UserError } from '../errors.js';
import { connectOfficialClient } from '../emulator/test-support.js';
import { run, type DevServerOptions } from './dev-server.js';
import { fakeDeps } from './test-support.js';

const OPTIONS: DevServerOptions = { port: '0', ip: '127.0.0.1', db: ':memory:', account: 'local', asyncDelay: '200ms' };

/** Runs the command until stop() aborts its signal; `ready` resolves with the address it printed. */
function start(options: Partial<DevServerOptions>, env: Record<string, string> = {}) {
  const fake = fakeDeps();
  const stop = new AbortController();
  let announce: (address: string) => void;
  const ready = new Promise<string>((resolve) => (announce = resolve));
  const printed = fake.printed;
  const deps = {
    ...fake.deps,
    env,
    signal: stop.signal,
    out: (line: string) => {
      printed.push(line);
      const address = /Cloud Ops API on (\S+) /.exec(line)?.[1];
      if (address) announce(address);
    },
  };
  const done = run({ ...OPTIONS, ...options }, deps);
  return { done, ready, printed, stop: () => stop.abort() };
}

describe('dev-server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tcld-dev-server-'));
  const blockers: Server[] = [];
  after(() => {
    for (const blocker of blockers) blocker.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints where it listens, its database and a generated API key, serves until the signal, then says it stopped', async () => {
    const server = start({});
    const address = await server.ready;
    assert.match(address, /^127\.0\.0\.1:\d+$/);
    const key = /^API key: (\S+)$/.exec(server.printed.find((line) => line.startsWith('API key: ')) ?? '')?.[1];
    assert.ok(key, server.printed.join('\n'));
    assert.deepEqual(server.printed.slice(0, 3), [
      `tcld dev-server: Cloud Ops API on ${address} (plaintext gRPC; tcld --server ${address} --insecure --api-key <key>)`,
      'database: :memory:',
      `API key: ${key}`,
    ]);
    const c = await connectOfficialClient({ address }, { apiKey: key });
    assert.deepEqual((await c.cloud.getNamespaces({})).namespaces, []);
    c.close();
    server.stop();
    await server.done;
    assert.equal(server.printed.at(-1), 'tcld dev-server: stopped');
    assert.equal(server.printed.filter((line) => line.includes(key)).length, 1, 'the key is printed once');
  });

  it('creates --namespace IDs as given, takes --api-key without printing it, and logs each call without the key', async () => {
    const server = start({ apiKey: ['k1', 'k2'], namespace: ['myns.acct'], account: 'acct' });
    const address = await server.ready;
    const c = await connectOfficialClient({ address }, { apiKey: 'k2' });
    try {
      assert.equal((await c.cloud.getNamespace({ namespace: 'myns.acct' })).namespace?.spec?.name, 'myns');
      await c.cloud.createNamespace({ spec: { name: 'two', regions: ['local'], retentionDays: 3 } });
      assert.equal((await c.cloud.getNamespace({ namespace: 'two.acct' })).namespace?.namespace, 'two.acct');
    } finally {
      c.close();
      server.stop();
      await server.done;
    }
    assert.ok(!server.printed.some((line) => line.startsWith('API key:')));
    assert.ok(server.printed.includes('created namespaces: myns.acct'));
    const log = server.printed.filter((line) => /^\d{4}-\d\d-\d\dT/.test(line));
    assert.equal(log.length, 3);
    assert.match(log[0]!, /GetNamespace myns\.acct OK \d+\.\dms$/);
    assert.match(log[1]!, /CreateNamespace two\.acct OK/);
    assert.ok(server.printed.every((line) => !/\bk[12]\b/.test(line)));
  });

  it('keeps its database in $XDG_CONFIG_HOME/tcld/dev-server.db, the folder created 0700', async () => {
    const config = join(dir, 'config');
    const server = start({ db: undefined }, { XDG_CONFIG_HOME: config });
    await server.ready;
    server.stop();
    await server.done;
    assert.ok(server.printed.includes(`database: ${join(config, 'tcld', 'dev-server.db')}`));
    assert.equal(statSync(join(config, 'tcld')).mode & 0o777, 0o700);
    assert.ok(statSync(join(config, 'tcld', 'dev-server.db')).isFile());
  });

  it('refuses a port in use with one line naming it and --port', async () => {
    const blocker = createServer();
    blockers.push(blocker);
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const server = start({ port: String(port) });
    await assert.rejects(server.done, (error: unknown) => error instanceof UserError && error.message === `port ${port} is in use; choose another with --port`);
  });

  it('refuses an address that is not on this host with one line', async () => {
    const server = start({ ip: '192.0.2.1', port: '7390' });
    await assert.rejects(server.done, (error: unknown) => error instanceof UserError && /^cannot listen on 192\.0\.2\.1:7390: .*; choose another --ip or --port$/.test(error.message));
  });

  it('refuses a database it cannot open, naming it and --db', async () => {
    const server = start({ db: join(dir, 'missing', 'x.db') });
    await assert.rejects(server.done, (error: unknown) => error instanceof UserError && /cannot open database .*x\.db: .*; choose another with --db$/.test(error.message));
  });

  const usageErrors: Array<[string, Partial<DevServerOptions>, RegExp]> = [
    ['a port that is not a number', { port: 'http' }, /--port must be a number from 0 to 65535 \(got "http"\)/],
    ['a port out of range', { port: '70000' }, /--port must be a number/],
    ['an --async-delay that is not a duration', { asyncDelay: 'soon' }, /--async-delay: invalid duration "soon"/],
    ['an --ip that is not an IP address', { ip: 'localhost' }, /--ip must be an IP address/],
    ['an empty --api-key', { apiKey: [''] }, /--api-key must not be empty/],
    ['a --namespace with a space', { namespace: ['my ns'] }, /--namespace must be a namespace ID/],
  ];
  for (const [what, options, pattern] of usageErrors) {
    it(`refuses ${what} as a usage error, before starting`, async () => {
      const server = start(options);
      await assert.rejects(server.done, (error: unknown) => error instanceof UsageError && pattern.test(error.message));
      assert.deepEqual(server.printed, []);
    });
  }
});
