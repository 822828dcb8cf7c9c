import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { Connection } from '@temporalio/client';
import { InputError, UsageError, UserError } from '../errors.js';
import { makeCa, makeLeaf, setMtls } from '../emulator/gateway/test-support.js';
import { connectOfficialClient, status } from '../emulator/test-support.js';
import { API_KEYS_ENV, run, type DevServerOptions } from './dev-server.js';
import { fakeDeps } from './test-support.js';

const OPTIONS: DevServerOptions = { port: '0', ip: '127.0.0.1', db: ':memory:', account: 'local', asyncDelay: '200ms', gatewayPort: '0', authPort: '0' };

/** Every run's config folder is in here (the dev server CA of a :memory: run goes there), never the user's. */
const ROOT = mkdtempSync(join(tmpdir(), 'tcld-dev-server-'));
let configs = 0;

/**
 * Runs the command until stop() aborts its signal; `ready` resolves with the address it printed.
 * The clock is the fake one unless `realClock` (certificates made by the test itself use the real one).
 */
function start(
  options: Partial<DevServerOptions>,
  env: Record<string, string> = { XDG_CONFIG_HOME: join(ROOT, `config-${++configs}`) },
  realClock = false,
  files: Record<string, string> = {},
) {
  const fake = fakeDeps({ files });
  const stop = new AbortController();
  let announce: (address: string) => void;
  const ready = new Promise<string>((resolve) => (announce = resolve));
  const printed = fake.printed;
  const deps = {
    ...fake.deps,
    env,
    ...(realClock && { now: () => new Date() }),
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
  const dir = join(ROOT, 'files');
  const blockers: Server[] = [];
  after(() => {
    for (const blocker of blockers) blocker.close();
    rmSync(ROOT, { recursive: true, force: true });
  });

  it('prints where it listens, the mTLS endpoint and its CA, its database and a generated API key, serves until the signal, then says it stopped', async () => {
    const config = join(ROOT, 'config-first');
    const server = start({}, { XDG_CONFIG_HOME: config });
    const address = await server.ready;
    assert.match(address, /^127\.0\.0\.1:\d+$/);
    const key = /^API key: (\S+)$/.exec(server.printed.find((line) => line.startsWith('API key: ')) ?? '')?.[1];
    assert.ok(key, server.printed.join('\n'));
    const gateway = /^mTLS namespace endpoint on (127\.0\.0\.1:\d+) /.exec(server.printed[1] ?? '')?.[1];
    assert.ok(gateway && gateway !== address, server.printed.join('\n'));
    const caPath = join(config, 'tcld', 'dev-server-ca.pem');
    const auth = /^sign-in \(OAuth device flow\) on (http:\/\/127\.0\.0\.1:\d+):/.exec(server.printed[3] ?? '')?.[1];
    assert.ok(auth, server.printed.join('\n'));
    assert.deepEqual(server.printed.slice(0, 8), [
      `tcld dev-server: Cloud Ops API on ${address} (plaintext gRPC; tcld --server ${address} --insecure --api-key <key>)`,
      `mTLS namespace endpoint on ${gateway} (TLS server name <namespace>.tmprl.local; server root CA ${caPath})`,
      'admitted clients reach a built-in frontend that answers GetSystemInfo and Health/Check only (--upstream forwards to a Temporal server)',
      `sign-in (OAuth device flow) on ${auth}: tcld login --domain ${auth} --disable-pop-up (approve on the page with one of this server's API keys), then tcld -s ${address} --insecure <command>`,
      `web console on ${auth}/console: namespaces, their CAs and expiry, recent connections (changes take signing in with one of this server's API keys)`,
      `made the dev server CA ${caPath}`,
      'database: :memory:',
      `API key: ${key}`,
    ]);
    assert.ok(existsSync(caPath), 'with --db :memory:, the CA is kept in the user config folder');
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

  /** Whether `key` is accepted by the server at `address`. */
  async function accepts(address: string, key: string): Promise<boolean> {
    const c = await connectOfficialClient({ address }, { apiKey: key, retries: false });
    try {
      await c.cloud.getNamespaces({});
      return true;
    } catch (error) {
      assert.equal((error as { code?: unknown }).code, status.UNAUTHENTICATED);
      return false;
    } finally {
      c.close();
    }
  }

  it('takes --api-key-file (one key per line; blank lines and # comments ignored) together with --api-key, printing no key', async () => {
    const keyFile = '/keys/dev-keys';
    const server = start({ apiKeyFile: keyFile, apiKey: ['flag-key'] }, undefined, false, {
      [keyFile]: '# the team\'s dev keys\n\nfile-key-1\r\n   file-key-2  \n#commented-key\n',
    });
    const address = await server.ready;
    try {
      for (const key of ['file-key-1', 'file-key-2', 'flag-key']) assert.equal(await accepts(address, key), true, key);
      for (const key of ['commented-key', '#commented-key', "# the team's dev keys"]) assert.equal(await accepts(address, key), false, key);
    } finally {
      server.stop();
      await server.done;
    }
    assert.ok(!server.printed.some((line) => /file-key|flag-key|commented-key|API key:/.test(line)), server.printed.join('\n'));
  });

  it(`takes ${API_KEYS_ENV} (comma- or newline-separated) when no flag gives a key, and not when one does`, async () => {
    const env = { XDG_CONFIG_HOME: join(ROOT, 'config-env'), [API_KEYS_ENV]: ' env-key-1, env-key-2\nenv-key-3 ' };
    const fromEnv = start({}, env);
    try {
      const address = await fromEnv.ready;
      for (const key of ['env-key-1', 'env-key-2', 'env-key-3']) assert.equal(await accepts(address, key), true, key);
    } finally {
      fromEnv.stop();
      await fromEnv.done;
    }
    assert.ok(!fromEnv.printed.some((line) => /env-key|API key:/.test(line)), fromEnv.printed.join('\n'));
    const flagWins = start({ apiKey: ['flag-key'] }, env);
    try {
      const address = await flagWins.ready;
      assert.equal(await accepts(address, 'flag-key'), true);
      assert.equal(await accepts(address, 'env-key-1'), false);
    } finally {
      flagWins.stop();
      await flagWins.done;
    }
  });

  it('refuses an --api-key-file it cannot read, or one with no key, without showing what the file holds', async () => {
    const missing = start({ apiKeyFile: '/keys/missing' });
    await assert.rejects(missing.done, (error: unknown) => error instanceof InputError && /^cannot read API key file \/keys\/missing: /.test(error.message));
    const empty = start({ apiKeyFile: '/keys/empty' }, undefined, false, { '/keys/empty': '# secret-looking-comment\n\n   \n' });
    await assert.rejects(
      empty.done,
      (error: unknown) =>
        error instanceof InputError &&
        error.message === 'API key file /keys/empty holds no API key: write one key per line (blank lines and lines starting with # are ignored)',
    );
    assert.deepEqual([...missing.printed, ...empty.printed], []);
  });

  it(`refuses a ${API_KEYS_ENV} that holds only separators, rather than generating a key the user did not expect`, async () => {
    const server = start({}, { XDG_CONFIG_HOME: join(ROOT, 'config-env-empty'), [API_KEYS_ENV]: ' , ,\n' });
    await assert.rejects(server.done, (error: unknown) => error instanceof UsageError && error.message === `${API_KEYS_ENV} holds no API key: set it to one or more keys separated by commas, or unset it`);
  });

  it('keeps its database in $XDG_CONFIG_HOME/tcld/dev-server.db, the folder created 0700, and its CA beside it', async () => {
    const config = join(ROOT, 'config');
    const server = start({ db: undefined }, { XDG_CONFIG_HOME: config });
    await server.ready;
    server.stop();
    await server.done;
    assert.ok(server.printed.includes(`database: ${join(config, 'tcld', 'dev-server.db')}`));
    assert.equal(statSync(join(config, 'tcld')).mode & 0o777, 0o700);
    assert.ok(statSync(join(config, 'tcld', 'dev-server.db')).isFile());
    assert.match(server.printed[1]!, new RegExp(`server root CA ${join(config, 'tcld', 'dev-server-ca.pem')}\\)$`));
  });

  it('keeps the CA beside a --db file and reuses it on the next start without saying it made one', async () => {
    const db = join(ROOT, 'reuse.db');
    for (const round of [1, 2]) {
      const server = start({ db });
      await server.ready;
      server.stop();
      await server.done;
      assert.match(server.printed[1]!, new RegExp(`server root CA ${join(ROOT, 'dev-server-ca.pem')}\\)$`));
      assert.equal(server.printed.some((line) => line.startsWith('made the dev server CA')), round === 1);
    }
  });

  it('serves the official SDK client on the printed mTLS endpoint, with the printed CA, for a CA added through the API', async () => {
    const server = start({ apiKey: ['k'], namespace: ['myns.acct'], account: 'acct' }, undefined, true);
    const address = await server.ready;
    const [, gateway, caPath] = /^mTLS namespace endpoint on (\S+) \(TLS server name <namespace>\.tmprl\.local; server root CA (.+)\)$/.exec(server.printed[1]!)!;
    const c = await connectOfficialClient({ address }, { apiKey: 'k' });
    try {
      const ca = await makeCa('myco');
      const leaf = await makeLeaf(ca);
      await setMtls(c, 'myns.acct', { cas: [ca] });
      const endpoint = (await c.cloud.getNamespace({ namespace: 'myns.acct' })).namespace?.endpoints?.mtlsGrpcAddress;
      assert.equal(endpoint, `myns.acct.tmprl.local:${gateway!.split(':')[1]}`);
      const connection = await Connection.connect({
        address: gateway!,
        tls: {
          serverNameOverride: 'myns.acct.tmprl.local',
          serverRootCACertificate: readFileSync(caPath!),
          clientCertPair: { crt: Buffer.from(leaf.certificatePem), key: Buffer.from(leaf.privateKeyPem) },
        },
      });
      assert.match((await connection.workflowService.getSystemInfo({})).serverVersion ?? '', /^tcld dev-server /);
      await connection.close();
    } finally {
      c.close();
      server.stop();
      await server.done;
    }
    assert.ok(server.printed.some((line) => / gateway: admitted myns\.acct CN=client\.endentity\.myco\.\w+,O=myco$/.test(line)), server.printed.join('\n'));
  });

  it('serves Prometheus metrics on --metrics-port and prints where', async () => {
    const server = start({ metricsPort: '0', namespace: ['myns.acct'] });
    try {
      await server.ready;
      const line = server.printed.find((l) => l.startsWith('Prometheus metrics on '));
      const url = /^Prometheus metrics on (http:\/\/127\.0\.0\.1:\d+\/metrics)$/.exec(line ?? '')?.[1];
      assert.ok(url, server.printed.join('\n'));
      const response = await fetch(url);
      assert.equal(response.status, 200);
      assert.match(await response.text(), /^# TYPE tcld_namespace_ca_expiry_timestamp_seconds gauge$/m);
    } finally {
      server.stop();
      await server.done;
    }
  });

  it('serves the account metrics endpoint on --account-metrics-port and prints its URI', async () => {
    const server = start({ accountMetricsPort: '0' });
    try {
      await server.ready;
      const line = server.printed.find((l) => l.startsWith('account metrics endpoint on '));
      assert.match(line ?? '', /^account metrics endpoint on https:\/\/127\.0\.0\.1:\d+\/prometheus \(mTLS: clients of the account's metrics CA bundle; server root CA .+\)$/, server.printed.join('\n'));
    } finally {
      server.stop();
      await server.done;
    }
  });

  it('refuses an account metrics port in use with one line naming it and --account-metrics-port', async () => {
    const blocker = createServer();
    blockers.push(blocker);
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const server = start({ accountMetricsPort: String(port) });
    await assert.rejects(server.done, (error: unknown) => error instanceof UserError && error.message === `port ${port} is in use; choose another with --account-metrics-port`);
  });

  it('refuses a metrics port in use with one line naming it and --metrics-port', async () => {
    const blocker = createServer();
    blockers.push(blocker);
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const server = start({ metricsPort: String(port) });
    await assert.rejects(server.done, (error: unknown) => error instanceof UserError && error.message === `port ${port} is in use; choose another with --metrics-port`);
  });

  it('says where admitted clients go with --upstream', async () => {
    const server = start({ upstream: '127.0.0.1:7234' });
    await server.ready;
    server.stop();
    await server.done;
    assert.equal(server.printed[2], 'admitted clients are forwarded to 127.0.0.1:7234');
  });

  it('serves the sign-in endpoint it prints (the device flow of tcld login --domain), and stops it with the rest', async () => {
    const server = start({});
    await server.ready;
    const url = /^sign-in \(OAuth device flow\) on (\S+): /.exec(server.printed.find((line) => line.startsWith('sign-in')) ?? '')?.[1];
    assert.ok(url, server.printed.join('\n'));
    const response = await fetch(`${url}/oauth/device/code`, { method: 'POST', body: new URLSearchParams({ client_id: 'tcld', scope: 'openid' }) });
    assert.equal(response.status, 200);
    assert.equal(((await response.json()) as { verification_uri: string }).verification_uri, `${url}/activate`);
    server.stop();
    await server.done;
    await assert.rejects(fetch(`${url}/activate`), 'the sign-in port is closed');
    assert.ok(server.printed.some((line) => / auth: POST \/oauth\/device\/code 200$/.test(line)), 'its requests are logged');
  });

  it('refuses a sign-in port in use with one line naming it and --auth-port', async () => {
    const blocker = createServer();
    blockers.push(blocker);
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const server = start({ authPort: String(port) });
    await assert.rejects(server.done, (error: unknown) => error instanceof UserError && error.message === `port ${port} is in use; choose another with --auth-port`);
  });

  it('refuses a gateway port in use with one line naming it and --gateway-port', async () => {
    const blocker = createServer();
    blockers.push(blocker);
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    const server = start({ gatewayPort: String(port) });
    await assert.rejects(server.done, (error: unknown) => error instanceof UserError && error.message === `port ${port} is in use; choose another with --gateway-port`);
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
    // The mTLS endpoint starts first (the API advertises its port), so it is the one that says so.
    const server = start({ ip: '192.0.2.1', port: '7390', gatewayPort: '7233' });
    await assert.rejects(server.done, (error: unknown) => error instanceof UserError && /^cannot listen on 192\.0\.2\.1:7233: .*; choose another --ip or --gateway-port$/.test(error.message));
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
    ['a --metrics-port that is not a number', { metricsPort: 'prom' }, /^--metrics-port must be a number from 0 to 65535 \(got "prom"\)$/],
    ['an --account-metrics-port that is not a number', { accountMetricsPort: '99999' }, /^--account-metrics-port must be a number from 0 to 65535 \(got "99999"\)$/],
    ['a --gateway-port that is not a number', { gatewayPort: 'tls' }, /^--gateway-port must be a number from 0 to 65535 \(got "tls"\)$/],
    ['an --auth-port that is not a number', { authPort: 'oauth' }, /^--auth-port must be a number from 0 to 65535 \(got "oauth"\)$/],
    ['an --upstream without a port', { upstream: 'localhost' }, /^--upstream must be host:port of a Temporal frontend, such as 127\.0\.0\.1:7233 \(got "localhost"\)$/],
    ['an --upstream that is the gateway itself', { upstream: 'localhost:7233', gatewayPort: '7233' }, /^--upstream localhost:7233 is this dev-server's own --gateway-port/],
  ];
  for (const [what, options, pattern] of usageErrors) {
    it(`refuses ${what} as a usage error, before starting`, async () => {
      const server = start(options);
      await assert.rejects(server.done, (error: unknown) => error instanceof UsageError && pattern.test(error.message));
      assert.deepEqual(server.printed, []);
    });
  }
});
