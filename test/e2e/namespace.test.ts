/**
 * tcld's namespace commands, run as a user runs them (./bin/tcld), against the emulator on 127.0.0.1,
 * checked through the official @temporalio/cloud client.
 */
import assert from 'node:assert/strict';
import { X509Certificate, createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Emulator } from '../../src/emulator/index.js';
import { connectOfficialClient, startTestEmulator, TEST_KEY, type OfficialClient } from '../../src/emulator/test-support.js';
import { parseBundle } from '../../src/pki/bundle.js';
import { generateCertificateAuthority } from '../../src/pki/ca.js';
import { generateEndEntityCertificate } from '../../src/pki/leaf.js';
import { DAY, assertExit, assertOneLineError, freshFolder, removeFolders, tcld, type RunResult } from './helpers.js';

const NS = 'myns.acct';

interface RequestStatusResponse {
  requestStatus: { requestId: string; state: string; finishTime: string | null };
}

describe('tcld namespace commands against the dev-server', () => {
  let emulator: Emulator;
  let official: OfficialClient;
  let folder: string;
  let clockOffset = 0;

  before(async () => {
    emulator = await startTestEmulator({ namespaces: [NS, 'other.acct'], asyncDelayMs: 50, now: () => new Date(Date.now() + clockOffset) });
    official = await connectOfficialClient(emulator);
    folder = freshFolder();
  });
  after(async () => {
    official.close();
    await emulator.close();
    removeFolders();
  });

  const run = (...args: string[]): Promise<RunResult> =>
    tcld(['--server', emulator.address, '--insecure', '--api-key', TEST_KEY, ...args], { cwd: folder, env: { AUTO_CONFIRM: 'true' } });
  const bundleOf = async (namespace = NS): Promise<string> => {
    const response = await official.cloud.getNamespace({ namespace });
    return Buffer.from(response.namespace?.spec?.mtlsAuth?.acceptedClientCa ?? []).toString('utf8');
  };
  const resourceVersion = async (): Promise<string> => String((await official.cloud.getNamespace({ namespace: NS })).namespace?.resourceVersion);
  const fingerprint = (pem: string) => createHash('sha1').update(new X509Certificate(pem).raw).digest('hex');
  async function caFile(name: string, validityDays = 90, now?: Date): Promise<string> {
    const ca = await generateCertificateAuthority({ organization: name, validityMs: validityDays * DAY, ...(now && { now }) });
    writeFileSync(join(folder, `${name}.pem`), ca.certificatePem);
    return ca.certificatePem;
  }

  it('n l lists the namespaces, including one created through the official client', async () => {
    await official.cloud.createNamespace({ spec: { name: 'fromsdk', regions: ['local'], retentionDays: 7 } });
    const result = await run('namespace', 'list');
    assertExit(result, 0);
    const namespaces = (JSON.parse(result.stdout) as { namespaces: string[] }).namespaces;
    assert.ok(namespaces.includes(NS) && namespaces.includes('fromsdk.local'), result.stdout);
  });

  it('n g prints the namespace as tcld does, with its resource version and state', async () => {
    const result = await run('n', 'g', '-n', NS);
    assertExit(result, 0);
    const namespace = JSON.parse(result.stdout) as { namespace: string; resourceVersion: string; state: string; spec: { acceptedClientCa: string } };
    assert.equal(namespace.namespace, NS);
    assert.equal(namespace.resourceVersion, await resourceVersion());
    assert.equal(namespace.state, 'Active');
    assert.equal(namespace.spec.acceptedClientCa, '');
  });

  it('n ca a adds a CA that the official client then sees, and n ca l lists it as tcld does', async () => {
    const pem = await caFile('first');
    const added = await run('namespace', 'accepted-client-ca', 'add', '-n', NS, '--ca-certificate-file', 'first.pem');
    assertExit(added, 0);
    const outcome = JSON.parse(added.stdout) as { requestStatus: { requestId: string; state: string } };
    assert.match(outcome.requestStatus.requestId, /^[0-9a-f-]{36}$/);
    assert.equal(outcome.requestStatus.state, 'Pending');
    assert.equal(added.stderr, '', 'off a terminal a mutation writes only its JSON, as tcld');
    assert.ok((await bundleOf()).includes(pem.trim()));

    const listed = await run('n', 'ca', 'l', '-n', NS);
    assertExit(listed, 0);
    const [entry] = JSON.parse(listed.stdout) as Array<Record<string, unknown>>;
    assert.equal(entry!['fingerprint'], fingerprint(pem));
    assert.equal(entry!['subject'], `CN=${new X509Certificate(pem).subject.split('CN=')[1]},O=first`);
    assert.equal(Buffer.from(String(entry!['base64EncodedData']), 'base64').toString().trim(), pem.trim());
    assert.equal(entry!['daysUntilExpiry'], 89);
    assert.equal(listed.stderr, '');
  });

  it('n ca a refuses a certificate already in the bundle, and --idempotent accepts it', async () => {
    const version = await resourceVersion();
    assertOneLineError(await run('n', 'ca', 'a', '-n', NS, '-f', 'first.pem'), /already exists/);
    assertExit(await run('n', 'ca', 'a', '-n', NS, '-f', 'first.pem', '--idempotent'), 0);
    assert.equal(await resourceVersion(), version);
  });

  it('n ca a takes the certificates as base64 with -c', async () => {
    const pem = await caFile('second');
    assertExit(await run('n', 'ca', 'a', '-n', NS, '-c', Buffer.from(pem).toString('base64')), 0);
    assert.ok((await bundleOf()).includes(pem.trim()));
  });

  it('n ca a accepts a certificate file in DER', async () => {
    const pem = await caFile('der');
    writeFileSync(join(folder, 'der.cer'), new X509Certificate(pem).raw);
    assertExit(await run('n', 'ca', 'a', '-n', NS, '-f', 'der.cer'), 0);
    assert.ok((await bundleOf()).includes(pem.trim()));
  });

  it('n ca a refuses, sending nothing, a certificate that is not a CA', async () => {
    const ca = await generateCertificateAuthority({ organization: 'x', validityMs: 30 * DAY });
    const leaf = await generateEndEntityCertificate({ ca: { certificate: ca.certificatePem, privateKey: ca.privateKeyPem }, organization: 'x' });
    writeFileSync(join(folder, 'leaf.pem'), leaf.certificatePem);
    const version = await resourceVersion();
    assertOneLineError(await run('n', 'ca', 'a', '-n', NS, '-f', 'leaf.pem'), /not a CA/);
    assert.equal(await resourceVersion(), version);
  });

  it('n ca l warns on stderr of a CA that expires within 30 days, and prints a table with --output table', async () => {
    await caFile('soon', 10);
    assertExit(await run('n', 'ca', 'a', '-n', NS, '-f', 'soon.pem'), 0);
    const listed = await run('n', 'ca', 'l', '-n', NS, '--output', 'table');
    assertExit(listed, 0);
    assert.match(listed.stdout.split('\n')[0]!, /^FINGERPRINT\s+SUBJECT\s+NOT AFTER\s+DAYS LEFT$/);
    assert.equal(listed.stdout.trim().split('\n').length, 1 + parseBundle(await bundleOf()).length);
    assert.match(listed.stderr, /^warning: CA CN=client\.root\.soon\.\w{4},O=soon .* expires in 9 days/m);
  });

  it('n ca r removes a CA by fingerprint, and refuses one that is not there', async () => {
    const pem = readFileSync(join(folder, 'soon.pem'), 'utf8');
    assertExit(await run('n', 'ca', 'r', '-n', NS, '--fp', fingerprint(pem)), 0);
    assert.ok(!(await bundleOf()).includes(pem.trim()));
    assertOneLineError(await run('n', 'ca', 'r', '-n', NS, '--fp', fingerprint(pem)), /does not exist/);
  });

  it('n ca r asks first, and a no changes nothing', async () => {
    const version = await resourceVersion();
    const result = await tcld(['-s', emulator.address, '--insecure', '--api-key', TEST_KEY, 'n', 'ca', 'r', '-n', NS, '-f', 'first.pem'], {
      cwd: folder,
      input: 'n\n',
    });
    assertExit(result, 0);
    assert.match(result.stderr, /removing 1 CA certificate\(s\) from namespace myns\.acct.*\[y\/n\]/);
    assert.match(result.stderr, /\[y\/n\]\noperation canceled$/m);
    assert.equal(result.stdout, '');
    assert.equal(await resourceVersion(), version);
  });

  it('n ca r --all is refused while mTLS is the auth method, and with other certificate flags', async () => {
    assertOneLineError(await run('n', 'ca', 'r', '-n', NS, '--all'), /mTLS is namespace myns\.acct's auth method/);
    const mixed = await run('n', 'ca', 'r', '-n', NS, '--all', '-f', 'first.pem');
    assertOneLineError(mixed, /--all removes every certificate/);
    assert.equal(mixed.code, 2);
  });

  it('n ca s replaces the whole bundle', async () => {
    const a = await caFile('set-a');
    const b = await caFile('set-b');
    writeFileSync(join(folder, 'both.pem'), a + b);
    assertExit(await run('n', 'ca', 's', '-n', NS, '-f', 'both.pem'), 0);
    const listed = JSON.parse((await run('n', 'ca', 'l', '-n', NS)).stdout) as Array<{ fingerprint: string }>;
    assert.deepEqual(listed.map((c) => c.fingerprint), [fingerprint(a), fingerprint(b)]);
  });

  it('names the expired CA that blocks every update, and --remove-expired drops it in the same update', async () => {
    // Put in through the official client while the emulator's clock stood 20 days back, when it was still valid.
    const old = await caFile('old', 8, new Date(Date.now() - 25 * DAY));
    const current = (await official.cloud.getNamespace({ namespace: NS })).namespace!;
    clockOffset = -20 * DAY;
    try {
      await official.cloud.updateNamespace({
        namespace: NS,
        resourceVersion: current.resourceVersion,
        spec: { ...current.spec, mtlsAuth: { ...current.spec?.mtlsAuth, acceptedClientCa: Buffer.from(old) } },
      });
    } finally {
      clockOffset = 0;
    }
    await caFile('new');
    assertOneLineError(await run('n', 'ca', 'a', '-n', NS, '-f', 'new.pem'), /expired certificates.*CN=client\.root\.old\..*--remove-expired/);
    const fixed = await run('n', 'ca', 'a', '-n', NS, '-f', 'new.pem', '--remove-expired');
    assertExit(fixed, 0);
    const bundle = await bundleOf();
    assert.ok(!bundle.includes(old.trim()) && bundle.includes(readFileSync(join(folder, 'new.pem'), 'utf8').trim()));
  });

  it('n cf imp, a, exp and c manage the certificate filters', async () => {
    writeFileSync(join(folder, 'filters.json'), JSON.stringify({ filters: [{ organization: 'myco' }, { commonName: 'worker-*' }] }));
    assertExit(await run('n', 'certificate-filters', 'import', '-n', NS, '--certificate-filter-file', 'filters.json'), 0);
    assertExit(await run('n', 'cf', 'a', '-n', NS, '-i', '{"filters":[{"subjectAlternativeName":"*.example.com"}]}'), 0);
    const exported = await run('n', 'cf', 'exp', '-n', NS);
    assertExit(exported, 0);
    const filter = (set: object) => ({ commonName: '', organization: '', organizationalUnit: '', subjectAlternativeName: '', ...set });
    assert.deepEqual(JSON.parse(exported.stdout), {
      filters: [filter({ organization: 'myco' }), filter({ commonName: 'worker-*' }), filter({ subjectAlternativeName: '*.example.com' })],
    });
    const filters = (await official.cloud.getNamespace({ namespace: NS })).namespace?.spec?.mtlsAuth?.certificateFilters ?? [];
    assert.deepEqual(filters.map((f) => f.commonName || f.organization || f.subjectAlternativeName), ['myco', 'worker-*', '*.example.com']);
    assertExit(await run('n', 'cf', 'c', '-n', NS), 0);
    assert.deepEqual(JSON.parse((await run('n', 'cf', 'exp', '-n', NS)).stdout), {});
  });

  it('n cf imp refuses a filter that is only a wildcard, sending nothing', async () => {
    const version = await resourceVersion();
    assertOneLineError(await run('n', 'cf', 'imp', '-n', NS, '-i', '{"filters":[{"commonName":"*"}]}'), /\*/);
    assert.equal(await resourceVersion(), version);
  });

  it('r g shows a request, and --wait waits until it is fulfilled', async () => {
    const pem = await caFile('waited');
    const added = JSON.parse((await run('n', 'ca', 'a', '-n', NS, '-f', 'waited.pem', '-r', 'my-request-1')).stdout) as RequestStatusResponse;
    assert.equal(added.requestStatus.requestId, 'my-request-1');
    const waited = await run('request', 'get', '-r', 'my-request-1', '--wait');
    assertExit(waited, 0);
    assert.equal((JSON.parse(waited.stdout) as RequestStatusResponse).requestStatus.state, 'Fulfilled');
    assert.match(waited.stderr, /waiting for request my-request-1/);
    assert.ok((await bundleOf()).includes(pem.trim()));
  });

  it('a mutation with --wait reports the fulfilled state', async () => {
    await caFile('wait-flag');
    const result = await run('n', 'ca', 'a', '-n', NS, '-f', 'wait-flag.pem', '--wait');
    assertExit(result, 0);
    const { requestStatus } = JSON.parse(result.stdout) as RequestStatusResponse;
    assert.equal(requestStatus.state, 'Fulfilled');
    assert.match(requestStatus.finishTime ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
  });

  it('a pinned stale --resource-version is refused with a way out', async () => {
    await caFile('pinned');
    assertOneLineError(await run('n', 'ca', 'a', '-n', NS, '-f', 'pinned.pem', '-v', 'stale-version'), /resource version stale-version is stale/);
  });

  it('a wrong API key gets one line that names the key flag, never the key', async () => {
    const result = await tcld(['--server', emulator.address, '--insecure', '--api-key', 'wrong-secret', 'n', 'l'], { cwd: folder });
    assertOneLineError(result, /API key was refused .*--api-key/);
    assert.equal(result.code, 1);
    assert.ok(!result.stderr.includes('wrong-secret'));
  });

  it('debug logs show each call but never the API key', async () => {
    const result = await run('n', 'g', '-n', NS, '--enable-debug-logs');
    assertExit(result, 0);
    assert.match(result.stderr, /debug: GetNamespace OK/);
    assert.ok(!result.stderr.includes(TEST_KEY));
  });

  it('refuses bad input with one line and exit 2 (usage or unusable input), sending nothing', async () => {
    writeFileSync(join(folder, 'garbage.pem'), 'this is not a certificate');
    writeFileSync(join(folder, 'truncated.pem'), (await caFile('trunc')).slice(0, 300));
    const version = await resourceVersion();
    const cases: Array<[string[], number, RegExp]> = [
      [['n', 'ca', 'a', '-n', NS], 2, /required flag --ca-certificate-file \(-f\) or --ca-certificate \(-c\) not set/],
      [['n', 'ca', 'a', '-f', 'first.pem'], 2, /required flag --namespace not set/],
      [['n', 'ca', 'a', '-n', NS, '-f', 'first.pem', '-c', 'AAAA'], 2, /not both/],
      [['n', 'ca', 'a', '-n', NS, '-f', 'garbage.pem'], 2, /PEM|certificate/],
      [['n', 'ca', 'a', '-n', NS, '-f', 'truncated.pem'], 2, /not valid PEM/],
      [['n', 'ca', 'a', '-n', NS, '-f', 'missing.pem'], 2, /cannot read CA certificate file missing\.pem/],
      [['n', 'ca', 'l', '-n', NS, '-o', 'xml'], 2, /--output must be json or table/],
      [['n', 'cf', 'imp', '-n', NS, '-i', '{not json'], 2, /JSON/],
      [['n', 'cf', 'imp', '-n', NS, '-i', '{"filters":[{"name":"x"}]}'], 2, /name/],
      [['n', 'ca', 'r', '-n', NS], 2, /say what to remove/],
      [['r', 'g'], 2, /required flag --request-id not set/],
    ];
    for (const [args, code, pattern] of cases) {
      const result = await run(...args);
      assertOneLineError(result, pattern);
      assert.equal(result.code, code, `${args.join(' ')}: ${result.stderr}`);
    }
    assert.equal(await resourceVersion(), version);
  });

  it('an unknown namespace is one line naming it', async () => {
    assertOneLineError(await run('n', 'ca', 'l', '-n', 'nope.acct'), /namespace nope\.acct not found/);
  });

  it('a missing API key, with no login stored, is one line saying how to give one', async () => {
    const result = await tcld(['--server', emulator.address, '--insecure', 'n', 'l'], { cwd: folder, env: { TEMPORAL_CLOUD_API_KEY: '', HOME: folder } });
    assertOneLineError(result, /^error: not logged in: run tcld login, or pass --api-key \(or set TEMPORAL_CLOUD_API_KEY\)$/);
  });
});
