import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { startEmulator } from '../index.js';
import { DEVICE_CODE_GRANT } from './oauth-routes.js';
import { CLIENT_ID, openPage, submitForm } from './test-support.js';

describe('startEmulator › authPort', () => {
  it('has no sign-in endpoint unless authPort is given', async () => {
    const emulator = await startEmulator();
    try {
      assert.equal(emulator.auth, undefined);
    } finally {
      await emulator.close();
    }
  });

  it('serves the device flow on its own loopback port with the timings given, logs its requests, and close() stops it', async () => {
    const lines: string[] = [];
    const emulator = await startEmulator({ authPort: 0, deviceFlow: { codeSeconds: 30, intervalSeconds: 2 }, log: (line) => lines.push(line) });
    const { auth } = emulator;
    try {
      assert.ok(auth);
      assert.equal(auth.url, `http://127.0.0.1:${auth.port}`);
      assert.notEqual(auth.port, emulator.port);
      assert.notEqual(auth.port, emulator.gateway.port);
      const response = await fetch(`${auth.url}/oauth/device/code`, { method: 'POST', body: new URLSearchParams({ client_id: CLIENT_ID, scope: 'openid' }) });
      const started = (await response.json()) as { device_code: string; verification_uri_complete: string; expires_in: number; interval: number };
      assert.equal(started.expires_in, 30);
      assert.equal(started.interval, 2);
      const opened = await openPage(started.verification_uri_complete);
      assert.equal((await submitForm(auth.url, opened, 'approve')).status, 401, 'not without an API key');
      assert.equal((await submitForm(auth.url, opened, 'approve', { fields: { api_key: emulator.apiKeys[0]! } })).status, 200, 'the bootstrap key signs in');
      const tokens = await fetch(`${auth.url}/oauth/token`, { method: 'POST', body: new URLSearchParams({ grant_type: DEVICE_CODE_GRANT, device_code: started.device_code, client_id: CLIENT_ID }) });
      assert.equal(tokens.status, 200);
      assert.ok(lines.includes('auth: POST /oauth/token 200'), lines.join('\n'));
    } finally {
      await emulator.close();
    }
    await assert.rejects(fetch(`${auth.url}/activate`), 'closed with the emulator');
  });
});
