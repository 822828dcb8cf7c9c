import { CertificateError, UsageError, UserError } from '../../errors.js';
import { EncryptedKeyError } from '../../pki/issuer.js';
import type { Deps } from '../deps.js';

/** The three ways to give a CA key's passphrase; at most one per run. */
export interface CaKeyPassphraseOptions {
  /** A file holding the passphrase; one trailing newline is ignored, as openssl's `-passin file:` does. */
  caKeyPassphraseFile?: string;
  /** The name of an environment variable holding it. */
  caKeyPassphraseEnv?: string;
  /** Ask for it: hidden on a terminal, a line from stdin otherwise. */
  caKeyPassphrasePrompt?: boolean;
}

const FLAGS = '--ca-key-passphrase-file, --ca-key-passphrase-env or --ca-key-passphrase-prompt';

/** Refuses more than one passphrase option: call with the other flag checks, before any work. */
export function checkPassphraseFlags(options: CaKeyPassphraseOptions): void {
  const given = [
    options.caKeyPassphraseFile !== undefined && '--ca-key-passphrase-file',
    options.caKeyPassphraseEnv !== undefined && '--ca-key-passphrase-env',
    options.caKeyPassphrasePrompt === true && '--ca-key-passphrase-prompt',
  ].filter(Boolean);
  if (given.length > 1) throw new UsageError(`give the CA key passphrase one way, not ${given.join(' and ')}`);
}

/**
 * The passphrase the options give, or undefined when none does. For a new key (`gen ca`) the prompt
 * asks twice and compares. An empty passphrase is refused whichever way it comes.
 */
export async function readCaKeyPassphrase(options: CaKeyPassphraseOptions, deps: Deps, use: 'new key' | 'existing key'): Promise<string | undefined> {
  checkPassphraseFlags(options);
  let passphrase: string | undefined;
  let source: string;
  if (options.caKeyPassphraseFile !== undefined) {
    source = `passphrase file ${options.caKeyPassphraseFile}`;
    passphrase = (await deps.files.readText(options.caKeyPassphraseFile, 'CA key passphrase file')).replace(/\r?\n$/, '');
  } else if (options.caKeyPassphraseEnv !== undefined) {
    const name = options.caKeyPassphraseEnv;
    source = `environment variable ${name}`;
    passphrase = deps.env[name];
    if (passphrase === undefined) throw new UserError(`environment variable ${name} is not set (--ca-key-passphrase-env): export it, or give the passphrase another way`);
  } else if (options.caKeyPassphrasePrompt) {
    source = 'the prompt';
    passphrase = await askSecret(deps, 'CA key passphrase:');
    if (use === 'new key' && passphrase !== '') {
      const again = await askSecret(deps, 'CA key passphrase again:');
      if (again !== passphrase) throw new UserError('the two CA key passphrases differ: nothing was written, run the command again');
    }
  } else {
    return undefined;
  }
  if (passphrase === '') throw new UserError(`the CA key passphrase from ${source} is empty: an empty passphrase protects nothing`);
  return passphrase;
}

async function askSecret(deps: Deps, question: string): Promise<string> {
  const answer = await deps.promptSecret(question);
  if (answer === undefined) throw new UserError('no CA key passphrase given (the input ended): nothing was written');
  return answer;
}

/** Adds to "CA key is encrypted" which options give its passphrase. */
export function explainEncryptedKey(error: unknown): never {
  if (error instanceof EncryptedKeyError) {
    throw new CertificateError(`${error.what} is encrypted: give its passphrase with ${FLAGS}, or decrypt it first (openssl pkey -in key.pem -out plain.pem)`);
  }
  throw error;
}
