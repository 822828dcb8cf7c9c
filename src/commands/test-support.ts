import { posix } from 'node:path';
import type { Files, OutputFile, Target } from '../io/files.js';
import { InputError } from '../errors.js';
import { countingRandom, FIXED_NOW } from '../pki/test-support.js';
import type { Deps } from './deps.js';

/** In-memory files and scripted answers, recording what a handler asked and wrote. */
export function fakeDeps(options: { files?: Record<string, string>; answers?: boolean[]; secrets?: readonly string[]; env?: Record<string, string> } = {}) {
  const stored = new Map(Object.entries(options.files ?? {}));
  const answers = [...(options.answers ?? [])];
  const secrets = [...(options.secrets ?? [])];
  const secretQuestions: string[] = [];
  const questions: string[] = [];
  const writes: OutputFile[][] = [];
  const printed: string[] = [];
  const diagnostics: string[] = [];
  const folders = new Map<string, number>();
  const opened: string[] = [];
  const files: Files = {
    async readText(path, what) {
      const text = stored.get(path);
      if (text === undefined) throw new InputError(`cannot read ${what} ${path}: no such file or folder`);
      return text;
    },
    async readBytes(path, what) {
      return Buffer.from(await files.readText(path, what));
    },
    async inspectTarget(path): Promise<Target> {
      return stored.has(path) ? 'file' : 'missing';
    },
    async identify(path) {
      return posix.normalize(path);
    },
    async writeAll(outputs) {
      writes.push([...outputs]);
      for (const output of outputs) stored.set(output.path, textOf(output));
    },
    async readOptional(path) {
      return stored.get(path);
    },
    async makeFolder(path, mode) {
      folders.set(path, mode);
    },
    async remove(path) {
      return stored.delete(path);
    },
  };
  const deps: Deps = {
    files,
    async confirm(question) {
      questions.push(question);
      return answers.shift() ?? false;
    },
    async promptSecret(question) {
      secretQuestions.push(question);
      return secrets.shift();
    },
    now: () => FIXED_NOW,
    random: countingRandom(),
    env: options.env ?? {},
    out: (line) => printed.push(line),
    err: (line) => diagnostics.push(line),
    interactive: false,
    status: () => {},
    signal: new AbortController().signal,
    cloud: async () => {
      throw new Error('no Cloud Ops API in this test');
    },
    openUrl: async (url) => {
      opened.push(url);
      return { code: 'opened' };
    },
  };
  return { deps, questions, secretQuestions, writes, stored, printed, diagnostics, folders, opened };
}

/** A written text file's content (PEM); bytes (a PKCS#12 file) read as latin1 so that nothing is lost. */
export function textOf(file: OutputFile): string {
  return typeof file.data === 'string' ? file.data : Buffer.from(file.data).toString('latin1');
}
