import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { browserLauncher, openUrl } from './browser.js';

const URL = 'https://login.tmprl.cloud/activate?user_code=A';

describe('browserLauncher', () => {
  it("uses tcld's opener on each system", () => {
    assert.deepEqual(browserLauncher('linux', { DISPLAY: ':0' }, URL), { command: 'xdg-open', args: [URL] });
    assert.deepEqual(browserLauncher('linux', { WAYLAND_DISPLAY: 'wayland-0' }, URL), { command: 'xdg-open', args: [URL] });
    assert.deepEqual(browserLauncher('darwin', {}, URL), { command: 'open', args: [URL] });
    assert.deepEqual(browserLauncher('win32', {}, URL), { command: 'rundll32', args: ['url.dll,FileProtocolHandler', URL] });
  });

  it('opens nothing on Linux without a display, nor on systems tcld does not know', () => {
    assert.deepEqual(browserLauncher('linux', { DISPLAY: '' }, URL), { code: 'no-display' });
    assert.deepEqual(browserLauncher('freebsd', { DISPLAY: ':0' }, URL), { code: 'unsupported-platform' });
  });
});

describe('openUrl', () => {
  it('says which opener is missing instead of failing', async () => {
    assert.deepEqual(await openUrl(URL, { DISPLAY: ':0', PATH: '/nonexistent' }, 'linux'), { code: 'failed', message: 'xdg-open: not installed' });
  });

  it('reports no display without starting anything', async () => {
    assert.deepEqual(await openUrl(URL, { PATH: '/nonexistent' }, 'linux'), { code: 'no-display' });
  });
});
