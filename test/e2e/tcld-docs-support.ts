/**
 * The machinery of tcld-docs.test.ts: a row (an invocation as a source writes it, and what to check),
 * the checks of the output shapes tcld scripts read, and the runner that plays rows in order against
 * one dev-server with the connection in tcld's environment variables.
 */
import assert from 'node:assert/strict';
import { X509Certificate, createHash, createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Emulator } from '../../src/emulator/index.js';
import { connectOfficialClient, startTestEmulator, TEST_KEY, type OfficialClient } from '../../src/emulator/test-support.js';
import { DAY, MINUTE, assertExit, freshFolder, listing, mode, removeFolders, tcld, type RunResult } from './helpers.js';

export const RFC3339 = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/;

export interface Filter {
  commonName: string;
  organization: string;
  organizationalUnit: string;
  subjectAlternativeName: string;
}

/** What the rows share: the folder they run in, and what earlier rows printed. */
export interface Context {
  folder: string;
  /** The request IDs mutations printed, in order. */
  requestIds: string[];
  pageToken: string;
  /** A resource version read by one row and used again later. */
  etag: string;
  /** Each namespace's resource version before the current row ran. */
  versions: Record<string, string>;
  /** The folder's files before the current row ran. */
  listed: string[];
  /** When the current row's tcld started and ended (ms), for validity periods. */
  started: number;
  ended: number;
  certificate(file: string): X509Certificate;
  /** As tcld lists it: the SHA-1 of the DER, lowercase hex. */
  fingerprint(file: string): string;
  base64(file: string): string;
  /** Through the official client. */
  resourceVersion(namespace: string): Promise<string>;
  bundle(namespace: string): Promise<string[]>;
  filters(namespace: string): Promise<Filter[]>;
}

export interface Row {
  /** Where the invocation is written (the sources are listed in tcld-docs.test.ts). */
  source: string;
  /** The invocation as the source writes it: `<placeholder>` stands for one word, `...` for the rest. */
  doc: string;
  argv: readonly string[] | ((c: Context) => readonly string[] | Promise<readonly string[]>);
  /** Added to the connection's environment variables. */
  env?: Record<string, string>;
  /** Connection variables left out. */
  unset?: readonly string[];
  /** What a user types at tcld's prompt (stdin is closed after it). */
  input?: string;
  exit: number;
  /** What the check looks for, for the test's name. */
  shows: string;
  check(result: RunResult, c: Context): void | Promise<void>;
}

export const YES = 'y\n';
export const file = (c: Context, name: string) => join(c.folder, name);

/** The documented words against the run ones: only placeholders differ. */
export function assertFollows(doc: string, argv: readonly string[]): void {
  const words = doc.split(' ');
  assert.equal(words.shift(), 'tcld');
  const rest = words.indexOf('...');
  if (rest >= 0) words.splice(rest);
  assert.ok(rest >= 0 ? argv.length >= words.length : argv.length === words.length, `${argv.join(' ')} is not ${doc}`);
  words.forEach((word, i) => /^<.+>$/.test(word) || assert.equal(argv[i], word, `${argv.join(' ')} is not ${doc}`));
}

export function json<T>(result: RunResult): T {
  return JSON.parse(result.stdout) as T;
}

export interface RequestStatus {
  requestId: string;
  state: string;
  resourceId: string;
  resourceType: string;
  startTime: string;
}

/** tcld's RequestStatus fields (api.request.v1), as jsonpb prints them with EmitDefaults. */
export const REQUEST_STATUS_FIELDS = ['approval', 'checkDuration', 'failureReason', 'finishTime', 'operationType', 'requestId', 'resourceId', 'resourceType', 'startTime', 'state'];

/** `{"requestStatus": {...}}` exactly, tab-indented as tcld's jsonpb, for `jq -r .requestStatus.requestId`. */
export function requestStatus(result: RunResult, requestId?: string): RequestStatus {
  assert.match(result.stdout, /^\{\n\t"requestStatus": \{\n/);
  const response = json<{ requestStatus: RequestStatus }>(result);
  assert.deepEqual(Object.keys(response), ['requestStatus']);
  const status = response.requestStatus;
  assert.deepEqual(Object.keys(status).sort(), REQUEST_STATUS_FIELDS);
  if (requestId) assert.equal(status.requestId, requestId);
  else assert.match(status.requestId, /^[0-9a-f-]{36}$/);
  assert.ok(['Pending', 'InProgress', 'Fulfilled'].includes(status.state), status.state);
  assert.match(status.startTime, RFC3339);
  return status;
}

/** A namespace mutation: tcld's response on stdout, for this namespace. */
export function mutation(result: RunResult, namespace: string, requestId?: string): RequestStatus {
  const status = requestStatus(result, requestId);
  assert.deepEqual([status.resourceId, status.resourceType, status.state], [namespace, 'namespace', 'Pending']);
  return status;
}

/** What tcld's prompt printed (off a terminal the question ends its line), for a row that answers it. */
export function asked(result: RunResult, question: RegExp): void {
  assert.match(result.stderr, question);
  assert.match(result.stderr, /\[y\/n\]\n/);
}

/** tcld's `gen` lines: `<what> generated at: <path>` and `<what> key generated at: <path>`. */
export function generated(result: RunResult, what: string, certificate: string, key: string): void {
  const lines = result.stdout.trim().split('\n');
  assert.deepEqual(lines.slice(0, 2), [`${what} generated at: ${certificate}`, `${what} key generated at: ${key}`]);
}

/** A certificate and its key as gen writes them: the key matches, and nobody else can read it. */
export function keyPair(c: Context, certificate: string, key: string): X509Certificate {
  const cert = c.certificate(certificate);
  const publicKey = createPublicKey(createPrivateKey(readFileSync(file(c, key))));
  assert.ok(cert.publicKey.equals(publicKey), `${key} is not the key of ${certificate}`);
  assert.equal(mode(file(c, key)) & 0o077, 0, `${key} is readable by others`);
  return cert;
}

/** notAfter is `validity` after the run (the run took between started and ended). */
export function validFor(c: Context, cert: X509Certificate, validity: number): void {
  const notAfter = new Date(cert.validTo).getTime();
  assert.ok(notAfter >= c.started + validity - MINUTE && notAfter <= c.ended + validity + MINUTE, `${cert.validTo} is not ${validity / DAY} days on`);
}

/** tcld's ListNamespacesResponse: `.namespaces[]` the ids, `.nextPageToken` '' on the last page. */
export function namespaceList(result: RunResult): { namespaces: string[]; nextPageToken: string } {
  assert.match(result.stdout, /^\{\n\t"namespaces": \[/);
  const list = json<{ namespaces: string[]; nextPageToken: string }>(result);
  assert.deepEqual(Object.keys(list), ['namespaces', 'nextPageToken']);
  return list;
}

export function pemFingerprints(pem: string): string[] {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  return blocks.map((block) => createHash('sha1').update(new X509Certificate(block).raw).digest('hex'));
}

/** tcld's Namespace fields (api.namespace.v1), as jsonpb prints them with EmitDefaults. */
export const NAMESPACE_FIELDS = ['allowedPrincipals', 'connectivityRules', 'envelope', 'lastModifiedTime', 'namespace', 'regions', 'requestId', 'resourceVersion', 'spec', 'state', 'tags', 'uri'];

/** `n g` as tcld prints it: `.spec.acceptedClientCa | base64 -d` is the bundle, and the rest a script reads. */
export async function namespaceGot(result: RunResult, c: Context, namespace: string, cas: string[]): Promise<void> {
  assert.match(result.stdout, /^\{\n\t"namespace": /);
  type Got = { namespace: string; resourceVersion: string; state: string; lastModifiedTime: string; spec: { acceptedClientCa: string; certificateFilters: Filter[] } };
  const got = json<Got>(result);
  assert.deepEqual(Object.keys(got).sort(), NAMESPACE_FIELDS);
  assert.deepEqual([got.namespace, got.state], [namespace, 'Active']);
  assert.equal(got.resourceVersion, await c.resourceVersion(namespace));
  assert.match(got.lastModifiedTime, RFC3339);
  assert.deepEqual(pemFingerprints(Buffer.from(got.spec.acceptedClientCa, 'base64').toString()), cas.map((name) => c.fingerprint(name)));
  assert.deepEqual(got.spec.certificateFilters, await c.filters(namespace));
}

/** What the official client sees of the namespace's bundle, as the files it should hold. */
export async function holds(c: Context, namespace: string, cas: string[]): Promise<void> {
  assert.deepEqual(await c.bundle(namespace), cas.map((name) => c.fingerprint(name)));
}

/** A row's namespace did not change (its resource version is the one before the row). */
export async function unchanged(c: Context, namespace: string): Promise<void> {
  assert.equal(await c.resourceVersion(namespace), c.versions[namespace]);
}

export const REMOVE_QUESTION = (namespace: string) => new RegExp(`^removing 1 CA certificate\\(s\\) from namespace ${namespace.replace('.', '\\.')};.* confirm: \\[y/n\\]`, 'm');

export const FILTER = (fields: Partial<Filter>): Filter => ({ commonName: '', organization: '', organizationalUnit: '', subjectAlternativeName: '', ...fields });

export function contextOf(folder: string, official: OfficialClient): Context {
  const namespaceOf = async (namespace: string) => (await official.cloud.getNamespace({ namespace })).namespace!;
  const certificate = (name: string) => new X509Certificate(readFileSync(join(folder, name)));
  return {
    folder,
    requestIds: [],
    pageToken: '',
    etag: '',
    versions: {},
    listed: [],
    started: 0,
    ended: 0,
    certificate,
    fingerprint: (name) => createHash('sha1').update(certificate(name).raw).digest('hex'),
    base64: (name) => readFileSync(join(folder, name)).toString('base64'),
    resourceVersion: async (namespace) => String((await namespaceOf(namespace)).resourceVersion),
    bundle: async (namespace) => pemFingerprints(Buffer.from((await namespaceOf(namespace)).spec?.mtlsAuth?.acceptedClientCa ?? []).toString()),
    filters: async (namespace) => ((await namespaceOf(namespace)).spec?.mtlsAuth?.certificateFilters ?? []).map((f) => FILTER({
      commonName: f.commonName ?? '',
      organization: f.organization ?? '',
      organizationalUnit: f.organizationalUnit ?? '',
      subjectAlternativeName: f.subjectAlternativeName ?? '',
    })),
  };
}

/** Plays the rows in order, one test each, against one dev-server that has these namespaces. */
export function playRows(title: string, namespaces: readonly string[], rows: readonly Row[]): void {
  describe(title, () => {
    let emulator: Emulator;
    let official: OfficialClient;
    let c: Context;
    let connection: Record<string, string>;

    before(async () => {
      // The rows say which of tcld's variables they set; none comes from the shell that runs the tests.
      for (const name of Object.keys(process.env)) if (name.startsWith('TEMPORAL_CLOUD_') || name === 'AUTO_CONFIRM') delete process.env[name];
      emulator = await startTestEmulator({ namespaces, asyncDelayMs: 50 });
      official = await connectOfficialClient(emulator);
      connection = { TEMPORAL_CLOUD_API_SERVER: emulator.address, TEMPORAL_CLOUD_INSECURE_CONNECTION: 'true', TEMPORAL_CLOUD_API_KEY: TEST_KEY };
      c = contextOf(freshFolder(), official);
    });
    after(async () => {
      official.close();
      await emulator.close();
      removeFolders();
    });

    for (const row of rows) {
      it(`${row.doc}  [${row.source}] exits ${row.exit}: ${row.shows}`, async () => {
        const argv = typeof row.argv === 'function' ? await row.argv(c) : row.argv;
        assertFollows(row.doc, argv);
        const env = { ...connection, ...row.env };
        for (const name of row.unset ?? []) delete env[name];
        c.listed = listing(c.folder);
        for (const namespace of namespaces) c.versions[namespace] = await c.resourceVersion(namespace);
        c.started = Date.now();
        const result = await tcld(argv, { cwd: c.folder, env, ...(row.input !== undefined && { input: row.input }) });
        c.ended = Date.now();
        assertExit(result, row.exit);
        assert.ok(!result.stderr.includes('    at '), `stack trace on stderr:\n${result.stderr}`);
        await row.check(result, c);
        const printed = row.exit === 0 && result.stdout.startsWith('{\n\t"requestStatus"');
        if (printed) c.requestIds.push(json<{ requestStatus: RequestStatus }>(result).requestStatus.requestId);
      });
    }
  });
}
