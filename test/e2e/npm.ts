/**
 * npm for the package tests: `npm pack` of the built package, and npm run as a user would run it,
 * in a child whose environment has none of the npm_* variables that `npm test` set for its script
 * (npm_config_local_prefix would make npx take this repository for the user's project).
 */
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { RunResult } from './helpers.js';

/** This repository's package.json. */
export const PACKAGE = JSON.parse(readFileSync(resolve('package.json'), 'utf8')) as {
  name: string;
  version: string;
  main: string;
  types: string;
  bin: Record<string, string>;
  exports: Record<string, Record<string, string>>;
  dependencies: Record<string, string>;
};

export interface Packed {
  /** Absolute path of the tarball. */
  tarball: string;
  /** The paths in the tarball, relative to its package/ folder. */
  files: string[];
  /** Bytes of the tarball, and of its files unpacked. */
  size: number;
  unpackedSize: number;
}

export interface NpmOptions {
  cwd: string;
  /** Kills npm and what it started (node-gyp, make) after this long. */
  timeoutMs: number;
  env?: Record<string, string>;
}

/** Runs npm to completion, never throwing for an exit code: the test checks it. */
export function npm(args: readonly string[], options: NpmOptions): Promise<RunResult> {
  const env: Record<string, string | undefined> = { ...process.env };
  for (const name of Object.keys(env)) if (name.startsWith('npm_')) delete env[name];
  delete env.AUTO_CONFIRM;
  delete env.TCLD_DEBUG;
  Object.assign(env, options.env);
  // Its own process group, so that a timeout also ends the compiler that an install script started.
  const child = spawn('npm', args, { cwd: options.cwd, env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
  child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
  const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), options.timeoutMs);
  return new Promise((resolveRun, reject) => {
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolveRun({ code, signal, stdout, stderr });
    });
  });
}

/** `npm pack` into a folder, of dist/ as `npm test` built it: --ignore-scripts, because the `prepare` build would rebuild dist/ under the other tests. */
export async function pack(destination: string): Promise<Packed> {
  const result = await npm(['pack', '--ignore-scripts', '--json', '--pack-destination', destination], { cwd: resolve('.'), timeoutMs: 120_000 });
  if (result.code !== 0) throw new Error(`npm pack failed (${result.code}): ${result.stderr}`);
  const [report] = JSON.parse(result.stdout) as [{ filename: string; files: { path: string }[]; size: number; unpackedSize: number }];
  return {
    tarball: join(destination, report.filename),
    files: report.files.map((file) => file.path).sort(),
    size: report.size,
    unpackedSize: report.unpackedSize,
  };
}
