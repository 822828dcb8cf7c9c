/**
 * Shared tools for the end-to-end tests: they run the built ./bin/tcld as a user would,
 * in fresh temporary folders, and check its output with node:crypto and openssl.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The executable under test; the tests run with the repository root as their working folder. */
export const TCLD = resolve('bin/tcld');

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** Whether an openssl command line is installed; the openssl checks are skipped without it. */
export const HAS_OPENSSL = spawnSync('openssl', ['version'], { encoding: 'utf8' }).status === 0;
export const NEEDS_OPENSSL = HAS_OPENSSL ? false : 'openssl is not installed';

const folders: string[] = [];

/** A new empty folder in the system's temp folder; removeFolders() deletes every one made so far. */
export function freshFolder(): string {
  const folder = mkdtempSync(join(tmpdir(), 'tcld-e2e-'));
  folders.push(folder);
  return folder;
}

export function removeFolders(): void {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
}

export interface RunOptions {
  cwd: string;
  /** Added to the environment (which starts without AUTO_CONFIRM and TCLD_DEBUG, so that no test inherits them). */
  env?: Record<string, string>;
  /** Written to stdin, which is then closed; without it stdin is closed at once (end of input). */
  input?: string;
  /** Runs tcld through `sh -c 'umask …; exec tcld …'`. */
  umask?: number;
  /** Kills tcld after this long, so a hung prompt fails the test instead of the run. Default 20 s. */
  timeoutMs?: number;
  /** The tcld to run: default the repository's ./bin/tcld (TCLD). */
  executable?: string;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface RunningTcld {
  child: ChildProcessWithoutNullStreams;
  done: Promise<RunResult>;
  /** Resolves once stderr matches, with everything written to stderr so far; rejects if tcld exits first. */
  waitForStderr(pattern: RegExp): Promise<string>;
  /** The same for stdout. */
  waitForStdout(pattern: RegExp): Promise<string>;
}

/** Starts tcld and leaves stdin open, for tests that answer prompts as they appear. */
export function startTcld(args: readonly string[], options: RunOptions): RunningTcld {
  const env: Record<string, string | undefined> = { ...process.env, ...options.env };
  for (const name of ['AUTO_CONFIRM', 'TCLD_DEBUG']) if (!options.env || !(name in options.env)) delete env[name];
  const executable = options.executable ?? TCLD;
  const child =
    options.umask === undefined
      ? spawn(executable, args, { cwd: options.cwd, env })
      : spawn('/bin/sh', ['-c', `umask ${options.umask.toString(8).padStart(3, '0')}; exec "$0" "$@"`, executable, ...args], {
          cwd: options.cwd,
          env,
        });
  child.stdin.on('error', () => {}); // tcld may exit before reading what we send
  let stdout = '';
  let stderr = '';
  let exited = false;
  const watchers = new Set<() => void>();
  child.stdout.setEncoding('utf8').on('data', (text: string) => {
    stdout += text;
    for (const watcher of [...watchers]) watcher();
  });
  child.stderr.setEncoding('utf8').on('data', (text: string) => {
    stderr += text;
    for (const watcher of [...watchers]) watcher();
  });
  const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 20_000);
  const done = new Promise<RunResult>((resolveDone, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      exited = true;
      for (const watcher of [...watchers]) watcher();
      resolveDone({ code, signal, stdout, stderr });
    });
  });
  const waitFor = (name: 'stdout' | 'stderr', pattern: RegExp) =>
    new Promise<string>((resolveWait, reject) => {
      const check = () => {
        const text = name === 'stdout' ? stdout : stderr;
        if (pattern.test(text)) {
          watchers.delete(check);
          resolveWait(text);
        } else if (exited) {
          watchers.delete(check);
          reject(new Error(`tcld exited before ${name} matched ${pattern}; stdout: ${JSON.stringify(stdout)}; stderr: ${JSON.stringify(stderr)}`));
        }
      };
      watchers.add(check);
      check();
    });
  return { child, done, waitForStderr: (pattern) => waitFor('stderr', pattern), waitForStdout: (pattern) => waitFor('stdout', pattern) };
}

/** Runs tcld to completion. */
export function tcld(args: readonly string[], options: RunOptions): Promise<RunResult> {
  const running = startTcld(args, options);
  running.child.stdin.end(options.input ?? '');
  return running.done;
}

/** Fails with tcld's whole output, so a failing test shows what tcld said. */
export function assertExit(result: RunResult, code: number): void {
  const got = `got ${result.code} (signal ${result.signal})\nstdout: ${result.stdout}\nstderr: ${result.stderr}`;
  assert.equal(result.code, code, `expected exit ${code}, ${got}`);
}

/** tcld's contract for a refused command: non-zero exit, exactly one `error: …` line on stderr, no stack trace. */
export function assertOneLineError(result: RunResult, pattern: RegExp): void {
  assert.notEqual(result.code, 0, `expected a non-zero exit; stdout: ${result.stdout}`);
  assert.equal(result.signal, null);
  const text = result.stderr.trim();
  assert.ok(!text.includes('\n'), `expected one line on stderr, got:\n${result.stderr}`);
  assert.ok(!result.stderr.includes('    at '), `stack trace on stderr:\n${result.stderr}`);
  assert.match(text, /^error: /);
  assert.match(text, pattern);
}

/** Every name in a folder, dotfiles (tcld's temporary files) included. */
export function listing(folder: string): string[] {
  return readdirSync(folder).sort();
}

export function mode(path: string): number {
  return statSync(path).mode & 0o777;
}

export function readCertificate(path: string): X509Certificate {
  return new X509Certificate(readFileSync(path));
}

export function notBefore(certificate: X509Certificate): number {
  return new Date(certificate.validFrom).getTime();
}

export function notAfter(certificate: X509Certificate): number {
  return new Date(certificate.validTo).getTime();
}

/** Runs openssl in a folder and returns its stdout; throws with its stderr when it fails. */
export function openssl(args: readonly string[], cwd: string): string {
  const result = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`openssl ${args.join(' ')} failed (${result.status}): ${result.stderr}`);
  return result.stdout;
}

/** `openssl x509 -noout -text` of a certificate file. */
export function opensslText(path: string, cwd: string): string {
  return openssl(['x509', '-noout', '-text', '-in', path], cwd);
}

/** `openssl verify` of a client certificate against a CA file, strictly and for the TLS client purpose. */
export function opensslVerify(caFile: string, certificateFile: string, cwd: string): string {
  return openssl(['verify', '-x509_strict', '-purpose', 'sslclient', '-CAfile', caFile, certificateFile], cwd).trim();
}

/** Makes a CA with tcld itself (auto-confirmed) and fails the test unless it succeeds. */
export async function makeCa(cwd: string, certificate: string, key: string, extra: readonly string[] = []): Promise<RunResult> {
  const result = await tcld(['gen', 'ca', '--org', 'myco', '-d', '1y', '--ca-cert', certificate, '--ca-key', key, ...extra], {
    cwd,
    env: { AUTO_CONFIRM: 'true' },
  });
  assertExit(result, 0);
  return result;
}

/** Converts a PEM private key with node:crypto, where openssl is missing: 'pkcs1' for RSA, 'sec1' for EC. */
export function convertKey(from: string, to: string, type: 'pkcs1' | 'sec1'): void {
  writeFileSync(to, createPrivateKey(readFileSync(from)).export({ type, format: 'pem' }));
}

/** Makes a leaf with tcld itself (auto-confirmed) and fails the test unless it succeeds. */
export async function makeLeaf(
  cwd: string,
  ca: { certificate: string; key: string },
  leaf: { certificate: string; key: string },
  extra: readonly string[] = [],
): Promise<RunResult> {
  const paths = ['--ca-cert', ca.certificate, '--ca-key', ca.key, '--cert', leaf.certificate, '--key', leaf.key];
  const result = await tcld(['gen', 'leaf', '--org', 'myco', ...paths, ...extra], { cwd, env: { AUTO_CONFIRM: 'true' } });
  assertExit(result, 0);
  return result;
}
