/**
 * A namespace's whole life with ./bin/tcld against the dev-server, checked through the official
 * @temporalio/cloud client and, at the namespace endpoint, the official @temporalio/client: create with
 * a CA and filters, a worker certificate admitted, the auth method switched to API keys and to
 * restricted, delete refused while protected and done once not; and bad inputs that change nothing.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Emulator } from '../../src/emulator/index.js';
import { connectOfficialClient, grpcError, startTestEmulator, status, TEST_KEY, type OfficialClient } from '../../src/emulator/test-support.js';
import { logLines, makeCa, makeLeaf, rawConnect, sdkCall, sdkGetSystemInfo } from '../../src/emulator/gateway/test-support.js';
import type { GeneratedCertificate } from '../../src/pki/ca.js';
import { DAY, assertExit, assertOneLineError, freshFolder, removeFolders, tcld, type RunResult } from './helpers.js';

const NS = 'payments.local';

describe('tcld namespace create, auth-method, lifecycle and delete against the dev-server', () => {
  const logs = logLines();
  let emulator: Emulator;
  let official: OfficialClient;
  let folder: string;
  let ca: GeneratedCertificate;
  let worker: GeneratedCertificate;
  let outsider: GeneratedCertificate;

  before(async () => {
    emulator = await startTestEmulator({ asyncDelayMs: 20, log: logs.log });
    official = await connectOfficialClient(emulator);
    folder = freshFolder();
    ca = await makeCa('myco');
    worker = await makeLeaf(ca, { organization: 'myco' });
    outsider = await makeLeaf(ca, { organization: 'otherco' });
    writeFileSync(join(folder, 'ca.pem'), ca.certificatePem);
    writeFileSync(join(folder, 'filters.json'), JSON.stringify({ filters: [{ organization: 'myco' }] }));
    writeFileSync(join(folder, 'leaf.pem'), worker.certificatePem);
    const expired = await makeCa('old', new Date(Date.now() - 400 * DAY));
    writeFileSync(join(folder, 'expired.pem'), expired.certificatePem);
  });
  after(async () => {
    official.close();
    await emulator.close();
    removeFolders();
  });

  const run = (args: string[], options: { input?: string; confirm?: boolean } = {}): Promise<RunResult> =>
    tcld(['--server', emulator.address, '--insecure', '--api-key', TEST_KEY, ...args], {
      cwd: folder,
      ...(options.input !== undefined && { input: options.input }),
      ...(options.confirm !== false && { env: { AUTO_CONFIRM: 'true' } }),
    });
  const namespaceOf = async () => (await official.cloud.getNamespace({ namespace: NS })).namespace!;
  const listed = async () => (await official.cloud.getNamespaces({})).namespaces!.map((n) => n.namespace).sort();

  it('n create makes <name>.<account> with the CA, the filters, protection and tags, and prints its ID, endpoint and request', async () => {
    const result = await run(['namespace', 'create', '-n', 'payments', '-re', 'aws-us-east-1', '-cf', 'ca.pem', '-cff', 'filters.json', '-edp', '-t', 'team=payments', '-sa', 'Customer=Keyword', '--wait']);
    assertExit(result, 0);
    const printed = JSON.parse(result.stdout) as { requestStatus: { state: string; resourceId: string; operationType: string }; namespace: string; endpoints: { mtlsGrpcAddress: string } };
    assert.equal(printed.namespace, NS);
    assert.equal(printed.endpoints.mtlsGrpcAddress, `${NS}.tmprl.local:${emulator.gateway.port}`);
    assert.equal(printed.requestStatus.state, 'Fulfilled');
    assert.equal(printed.requestStatus.resourceId, NS);
    assert.equal(printed.requestStatus.operationType, 'create-namespace');

    const created = await namespaceOf();
    assert.equal(Buffer.from(created.spec!.mtlsAuth!.acceptedClientCa!).toString().trim(), ca.certificatePem.trim());
    assert.equal(created.spec!.mtlsAuth!.enabled, true);
    assert.equal(created.spec!.mtlsAuth!.certificateFilters![0]!.organization, 'myco');
    assert.equal(created.spec!.lifecycle!.enableDeleteProtection, true);
    assert.deepEqual(created.spec!.regions, ['aws-us-east-1']);
    assert.deepEqual({ ...created.tags }, { team: 'payments' });
    assert.equal(created.stateDeprecated, 'active');
  });

  it("the namespace endpoint admits a worker certificate that matches the filters, and refuses one that does not", async () => {
    assert.match(await sdkGetSystemInfo(emulator, NS, worker), /^tcld dev-server /);
    assert.equal(await rawConnect(emulator, { servername: emulator.namespaceHost(NS), client: outsider }), 'refused');
    assert.equal((await run(['n', 'am', 'get', '-n', NS])).stdout.trim(), 'mtls');
  });

  it("n am set api_key asks tcld's question; then the certificate alone is refused and a Bearer key is admitted", async () => {
    const result = await run(['n', 'am', 'set', '-n', NS, '--auth-method', 'api_key'], { input: 'y\n', confirm: false });
    assertExit(result, 0);
    assert.match(result.stderr, /^setting auth method from 'Mtls' to 'ApiKey' will cause existing client connections to fail\. are you sure you want to continue\? \[y\/n\]$/m);
    assert.equal((await run(['n', 'am', 'get', '-n', NS])).stdout.trim(), 'api_key');

    const certificateOnly = await sdkCall(emulator, NS, { client: worker });
    assert.equal(certificateOnly.code, status.UNAUTHENTICATED);
    assert.match(certificateOnly.details, /^missing API key/);
    assert.deepEqual(await sdkCall(emulator, NS, { apiKey: TEST_KEY }), { code: status.OK, details: '' });
    assert.equal((await sdkCall(emulator, NS, { apiKey: 'wrong' })).code, status.UNAUTHENTICATED);
  });

  it('n am set restricted admits nobody, with a certificate or a key', async () => {
    assertExit(await run(['n', 'am', 'set', '-n', NS, '-am', 'restricted']), 0);
    assert.notEqual((await sdkCall(emulator, NS, { apiKey: TEST_KEY })).code, status.OK);
    assert.equal(await rawConnect(emulator, { servername: emulator.namespaceHost(NS), client: worker }), 'refused');
    assert.match(logs.take().join('\n'), /gateway: refused payments\.local .*the auth method of namespace payments\.local is restricted, which admits nobody/);
    assertExit(await run(['n', 'am', 'set', '-n', NS, '-am', 'mtls']), 0);
    assert.match(await sdkGetSystemInfo(emulator, NS, worker), /^tcld dev-server /);
  });

  it('n d refuses while delete protection is on, with one line, changing nothing', async () => {
    const before = (await namespaceOf()).resourceVersion;
    assertOneLineError(await run(['n', 'd', '-n', NS]), /has delete protection enabled: turn it off first with tcld namespace lifecycle set -n payments\.local --enable-delete-protection false$/);
    assert.equal((await namespaceOf()).resourceVersion, before);
  });

  it('n lc get and set turn the protection off, and then n d deletes: the API and the gateway forget the namespace', async () => {
    assert.deepEqual(JSON.parse((await run(['n', 'lc', 'get', '-n', NS])).stdout), { enableDeleteProtection: true });
    assertExit(await run(['n', 'lifecycle', 'set', '-n', NS, '--enable-delete-protection', 'false']), 0);
    assert.deepEqual(JSON.parse((await run(['n', 'lc', 'get', '-n', NS])).stdout), { enableDeleteProtection: false });

    const declined = await run(['n', 'd', '-n', NS], { input: 'n\n', confirm: false });
    assertExit(declined, 0);
    assert.match(declined.stderr, /Do you still want to delete namespace "payments\.local"\? \[y\/n\]\noperation canceled/);
    assert.ok((await listed()).includes(NS));

    const deleted = await run(['n', 'delete', '-n', NS, '--wait']);
    assertExit(deleted, 0);
    assert.equal((JSON.parse(deleted.stdout) as { requestStatus: { state: string } }).requestStatus.state, 'Fulfilled');
    assert.equal((await grpcError(() => official.cloud.getNamespace({ namespace: NS }))).code, status.NOT_FOUND);
    logs.take();
    assert.equal(await rawConnect(emulator, { servername: emulator.namespaceHost(NS), client: worker }), 'refused');
    assert.match(logs.take().join('\n'), /unknown namespace payments\.local/);
  });

  describe('bad inputs: one clear line, a non-zero exit, and nothing changed', () => {
    before(async () => {
      assertExit(await run(['n', 'c', '-n', 'taken', '-re', 'aws-us-east-1', '-cf', 'ca.pem']), 0);
    });

    for (const [what, args, code, pattern] of [
      ['a taken name', ['-n', 'taken', '-cf', 'ca.pem'], 1, /ALREADY_EXISTS: namespace "taken\.local" already exists/],
      ['a bad name', ['-n', 'Taken_2', '-cf', 'ca.pem'], 2, /namespace name "Taken_2" contains "T": use 2 to 39 lowercase letters/],
      ['a certificate that is not a CA', ['-n', 'leafy', '-cf', 'leaf.pem'], 1, /the resulting CA bundle would be refused: .*not a CA/],
      ['an expired CA', ['-n', 'stale', '-cf', 'expired.pem'], 1, /expired/],
      ['an unknown auth method', ['-n', 'odd', '-cf', 'ca.pem', '--auth-method', 'password'], 2, /--auth-method must be restricted, mtls, api_key or api_key_or_mtls, not "password"/],
      ['mtls without a CA', ['-n', 'bare'], 2, /required flag --ca-certificate-file \(-cf\) or --ca-certificate \(-c\) not set/],
    ] as const) {
      it(`n create refuses ${what}`, async () => {
        const before = await listed();
        const result = await run(['n', 'create', '-re', 'aws-us-east-1', ...args]);
        assertOneLineError(result, pattern);
        assertExit(result, code);
        assert.equal(result.stdout, '');
        assert.deepEqual(await listed(), before);
      });
    }

    it('n am set refuses an unknown auth method, changing nothing', async () => {
      const before = (await official.cloud.getNamespace({ namespace: 'taken.local' })).namespace!.resourceVersion;
      const result = await run(['n', 'am', 'set', '-n', 'taken.local', '-am', 'mtls_or_api_key']);
      assertOneLineError(result, /--auth-method must be/);
      assertExit(result, 2);
      assert.equal((await official.cloud.getNamespace({ namespace: 'taken.local' })).namespace!.resourceVersion, before);
    });
  });
});
