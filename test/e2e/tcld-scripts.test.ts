/**
 * What scripts written for Go tcld read from its output, read the same way from ours: each command's
 * stdout parsed as JSON and the fields those scripts take (`jq -r .requestStatus.requestId`,
 * `.requestStatus.state`, `.spec.acceptedClientCa`, `.namespaces[]`, `.nextPageToken`).
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Emulator } from '../../src/emulator/index.js';
import { connectOfficialClient, startTestEmulator, TEST_KEY, type OfficialClient } from '../../src/emulator/test-support.js';
import { generateCertificateAuthority } from '../../src/pki/ca.js';
import { DAY, assertExit, freshFolder, removeFolders, tcld, type RunResult } from './helpers.js';

const NAMESPACES = ['alpha.acct', 'bravo.acct', 'charlie.acct'];
const NS = NAMESPACES[0]!;
const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3}|\.\d{6}|\.\d{9})?Z$/;

/** `jq -r .field.field` on tcld's stdout: the output must be exactly one JSON document. */
function jq(result: RunResult, ...path: string[]): unknown {
  assertExit(result, 0);
  let value: unknown = JSON.parse(result.stdout);
  for (const key of path) value = (value as Record<string, unknown>)[key];
  return value;
}

describe('the output tcld scripts read', () => {
  let emulator: Emulator;
  let official: OfficialClient;
  let folder: string;

  before(async () => {
    emulator = await startTestEmulator({ namespaces: NAMESPACES, asyncDelayMs: 50 });
    official = await connectOfficialClient(emulator);
    folder = freshFolder();
    const ca = await generateCertificateAuthority({ organization: 'scripts', validityMs: 90 * DAY });
    writeFileSync(join(folder, 'ca.pem'), ca.certificatePem);
  });
  after(async () => {
    official.close();
    await emulator.close();
    removeFolders();
  });

  const run = (args: readonly string[], options: { input?: string; autoConfirm?: boolean } = {}): Promise<RunResult> =>
    tcld(['--server', emulator.address, '--insecure', '--api-key', TEST_KEY, ...args], {
      cwd: folder,
      ...(options.input !== undefined && { input: options.input }),
      env: options.autoConfirm === false ? {} : { AUTO_CONFIRM: 'true' },
    });
  const resourceVersion = async () => String((await official.cloud.getNamespace({ namespace: NS })).namespace?.resourceVersion);

  it('n l pages through 3 namespaces 2 at a time by .namespaces[] and .nextPageToken, and without paging flags lists all', async () => {
    const seen: string[] = [];
    const tokens: string[] = [];
    let token = '';
    do {
      const page = await run(['n', 'l', '--page-size', '2', ...(token ? ['--page-token', token] : [])]);
      seen.push(...(jq(page, 'namespaces') as string[]));
      token = jq(page, 'nextPageToken') as string;
      tokens.push(token);
    } while (token !== '' && tokens.length < 5);
    assert.deepEqual(seen, NAMESPACES);
    assert.equal(tokens.length, 2, `pages ended with tokens ${JSON.stringify(tokens)}`);
    assert.deepEqual(jq(await run(['n', 'l']), 'namespaces'), NAMESPACES);
    assert.equal(jq(await run(['n', 'l']), 'nextPageToken'), '');
  });

  it('a mutation prints {"requestStatus"} whose requestId r g follows to the state Fulfilled', async () => {
    const added = await run(['n', 'ca', 'a', '-n', NS, '-f', 'ca.pem']);
    assert.deepEqual(Object.keys(jq(added) as object), ['requestStatus']);
    const requestId = jq(added, 'requestStatus', 'requestId') as string;
    assert.equal(jq(added, 'requestStatus', 'state'), 'Pending');
    assert.match(jq(added, 'requestStatus', 'startTime') as string, RFC3339);
    const status = await run(['r', 'g', '-r', requestId]);
    assert.equal(jq(status, 'requestStatus', 'requestId'), requestId);
    assert.ok(['Pending', 'Fulfilled'].includes(jq(status, 'requestStatus', 'state') as string));
    const waited = await run(['r', 'g', '-r', requestId, '--wait']);
    assert.equal(jq(waited, 'requestStatus', 'state'), 'Fulfilled');
    assert.match(jq(waited, 'requestStatus', 'finishTime') as string, RFC3339);
  });

  it('n g gives the bundle as base64 in .spec.acceptedClientCa, the filters in .spec.certificateFilters, and .resourceVersion', async () => {
    await run(['n', 'cf', 'imp', '-n', NS, '-i', '{"filters":[{"organization":"scripts"}]}', '--wait']);
    const got = await run(['n', 'g', '-n', NS]);
    const pem = readFileSync(join(folder, 'ca.pem'), 'utf8');
    assert.ok(Buffer.from(jq(got, 'spec', 'acceptedClientCa') as string, 'base64').toString().includes(pem.trim()));
    assert.deepEqual(jq(got, 'spec', 'certificateFilters'), [{ commonName: '', organization: 'scripts', organizationalUnit: '', subjectAlternativeName: '' }]);
    assert.equal(jq(got, 'resourceVersion'), await resourceVersion());
    assert.equal(jq(got, 'state'), 'Active');
    assert.match(jq(got, 'lastModifiedTime') as string, RFC3339);
  });

  it('--output api prints the Cloud Ops API JSON, times as RFC 3339 strings', async () => {
    const api = await run(['n', 'g', '-n', NS, '--output', 'api']);
    assert.match(jq(api, 'createdTime') as string, RFC3339);
    assert.equal(jq(api, 'state'), 'RESOURCE_STATE_ACTIVE');
    const id = jq(await run(['n', 'cf', 'a', '-n', NS, '-i', '{"filters":[{"commonName":"api-*"}]}']), 'requestStatus', 'requestId') as string;
    const operation = await run(['r', 'g', '-r', id, '-o', 'api']);
    assert.equal(jq(operation, 'id'), id);
    assert.match(jq(operation, 'startedTime') as string, RFC3339);
    assert.match(jq(await run(['n', 'l', '-o', 'api']), 'namespaces', '0', 'lastModifiedTime') as string, RFC3339);
  });

  it('with --idempotent and nothing to change, prints nothing on stdout and exits 0, as tcld', async () => {
    const version = await resourceVersion();
    const result = await run(['n', 'ca', 'a', '-n', NS, '-f', 'ca.pem', '--idempotent']);
    assertExit(result, 0);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^nothing to change: .*already exists/);
    assert.equal(await resourceVersion(), version);
  });

  it('n cf exp -f writes the file and prints the same JSON, which n cf imp reads back', async () => {
    const exported = await run(['n', 'cf', 'exp', '-n', NS, '-f', 'filters.json']);
    assertExit(exported, 0);
    assert.equal(readFileSync(join(folder, 'filters.json'), 'utf8'), exported.stdout);
    assert.equal((jq(exported, 'filters') as unknown[]).length, 2);
    const again = await run(['n', 'cf', 'imp', '-n', NS, '-f', 'filters.json', '--idempotent']);
    assert.deepEqual([again.code, again.stdout], [0, '']);
  });

  it('n cf imp shows the change and a no changes nothing, with nothing on stdout', async () => {
    const version = await resourceVersion();
    const result = await run(['n', 'cf', 'imp', '-n', NS, '-i', '{"filters":[{"organization":"other"}]}'], { input: 'n\n', autoConfirm: false });
    assertExit(result, 0);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /^this import will result in the following changes to certificate filters:$/m);
    assert.match(result.stderr, /^- +"organization": "scripts",$/m);
    assert.match(result.stderr, /^\+ +"organization": "other",$/m);
    assert.match(result.stderr, /confirm certificate filter import operation \[y\/n\]\n/);
    assert.match(result.stderr, /operation canceled$/m);
    assert.equal(await resourceVersion(), version);
  });
});
