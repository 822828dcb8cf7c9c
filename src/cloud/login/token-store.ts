/** Where tcld keeps its login: `<config dir>/tokens.json`, the folder private (0700), the file 0600, written whole or not at all. */
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { Files } from '../../io/files.js';
import { parseTokenConfig, serializeTokenConfig, TOKENS_FILE, type StoredLogin, type TcldTokenConfig } from './token-config.js';

/** Only its owner may read the tokens (tcld writes 0600 "because it contains private keys"). */
export const TOKENS_MODE = 0o600;
export const CONFIG_FOLDER_MODE = 0o700;

/** The config folder: --config-dir (TEMPORAL_CLOUD_CONFIG_DIR), else tcld's default $HOME/.config/tcld. */
export function configFolder(configDir: string | undefined, env: Readonly<Record<string, string | undefined>>): string {
  return configDir || join(env['HOME'] || homedir(), '.config', 'tcld');
}

export function tokensPath(folder: string): string {
  return join(folder, TOKENS_FILE);
}

/** The stored login, or undefined when there is none. */
export async function readLogin(files: Files, folder: string): Promise<StoredLogin | undefined> {
  const path = tokensPath(folder);
  const text = await files.readOptional(path, 'login file');
  return text === undefined ? undefined : parseTokenConfig(text, path);
}

export async function writeLogin(files: Files, folder: string, config: TcldTokenConfig): Promise<void> {
  await files.makeFolder(folder, CONFIG_FOLDER_MODE);
  await files.writeAll([{ path: tokensPath(folder), data: serializeTokenConfig(config), mode: TOKENS_MODE }]);
}

/** Removes the stored login: false when there was none. */
export async function removeLogin(files: Files, folder: string): Promise<boolean> {
  return files.remove(tokensPath(folder), 'login file');
}
