/** Opening a URL in the user's browser, as tcld's openBrowser does (app/login.go). */
import type { OpenUrlOutcome } from '../commands/deps.js';

export type Launcher = { command: string; args: string[] } | { code: 'no-display' | 'unsupported-platform' };

/**
 * tcld's opener per system: xdg-open on Linux, open on macOS, rundll32's URL handler on Windows, and
 * nothing elsewhere. Unlike tcld, a Linux session without a display (DISPLAY, WAYLAND_DISPLAY: ssh,
 * a container, CI) is not handed to xdg-open, which would start a text browser in the terminal or fail noisily.
 */
export function browserLauncher(platform: NodeJS.Platform, env: Readonly<Record<string, string | undefined>>, url: string): Launcher {
  switch (platform) {
    case 'linux':
      if (!env['DISPLAY'] && !env['WAYLAND_DISPLAY']) return { code: 'no-display' };
      return { command: 'xdg-open', args: [url] };
    case 'darwin':
      return { command: 'open', args: [url] };
    case 'win32':
      return { command: 'rundll32', args: ['url.dll,FileProtocolHandler', url] };
    default:
      return { code: 'unsupported-platform' };
  }
}

/** Starts the opener detached, waiting only until it has started (or failed to: no xdg-open installed). */
export async function openUrl(url: string, env: Readonly<Record<string, string | undefined>>, platform: NodeJS.Platform = process.platform): Promise<OpenUrlOutcome> {
  const launcher = browserLauncher(platform, env, url);
  if ('code' in launcher) return launcher;
  const { spawn } = require('node:child_process') as typeof import('node:child_process');
  return new Promise((settle) => {
    const child = spawn(launcher.command, launcher.args, { detached: true, stdio: 'ignore', env: { ...env } });
    child.once('error', (error: NodeJS.ErrnoException) => settle({ code: 'failed', message: `${launcher.command}: ${error.code === 'ENOENT' ? 'not installed' : error.message}` }));
    child.once('spawn', () => {
      child.unref();
      settle({ code: 'opened' });
    });
  });
}
