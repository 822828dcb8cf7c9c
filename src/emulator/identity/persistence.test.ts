import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import type { Emulator } from '../index.js';
import { connectOfficialClient, startTestEmulator, status } from '../test-support.js';

const DAY = 24 * 3600 * 1000;

/** The database file's bytes, with its WAL's while one exists. */
function databaseBytes(db: string): Buffer {
  return Buffer.concat([readFileSync(db), ...(existsSync(`${db}-wal`) ? [readFileSync(`${db}-wal`)] : [])]);
}

async function createKey(emulator: Emulator, displayName: string) {
  const c = await connectOfficialClient(emulator, { retries: false });
  try {
    const created = await c.cloud.createApiKey({
      // The client takes a number for a Timestamp's int64 seconds, though its types say Long.
      spec: { ownerId: emulator.admin.id, ownerType: 1, displayName, expiryTime: { seconds: Math.floor((Date.now() + 30 * DAY) / 1000) as never } },
    });
    return { id: created.keyId!, token: created.token! };
  } finally {
    c.close();
  }
}

/** GetCurrentIdentity with `bearer`: the user ID, or the status code it is refused with. */
async function whoIs(emulator: Emulator, bearer: string): Promise<string | status> {
  const c = await connectOfficialClient(emulator, { apiKey: bearer, retries: false });
  try {
    return (await c.cloud.getCurrentIdentity({})).user!.id!;
  } catch (error) {
    return (error as { code: status }).code;
  } finally {
    c.close();
  }
}

describe('identity › in the database file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tcld-identity-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps only digests: the file never contains an API key, access token or refresh token secret', async () => {
    const db = join(dir, 'secrets.db');
    const emulator = await startTestEmulator({ db });
    let secrets: string[];
    let keyId: string;
    try {
      const key = await createKey(emulator, 'digest-only-key');
      keyId = key.id;
      const grant = emulator.tokens.issue();
      const rotated = emulator.tokens.refresh(grant.refreshToken);
      assert.ok('accessToken' in rotated);
      secrets = [key.token, grant.accessToken, grant.refreshToken, rotated.accessToken, rotated.refreshToken];
      const open = databaseBytes(db);
      assert.ok(open.includes('digest-only-key'), 'the key is in the file (or its WAL) while the server runs');
      for (const secret of secrets) assert.ok(!open.includes(secret.slice(12)), 'no secret while the server runs');
    } finally {
      await emulator.close();
    }
    const closed = databaseBytes(db);
    assert.ok(closed.includes(keyId) && closed.includes('digest-only-key'), 'the key is in the file');
    for (const secret of secrets) {
      // The random part, in the text form clients see and as raw bytes.
      const random = secret.slice('tcld_dev_ak_'.length);
      assert.ok(!closed.includes(random), 'no secret in the file');
      assert.ok(!closed.includes(Buffer.from(random, 'base64url')), 'no secret bytes in the file');
    }
  });

  it('keeps the admin user, API keys and login tokens across a restart on the same file', async () => {
    const db = join(dir, 'restart.db');
    const first = await startTestEmulator({ db });
    let key: { id: string; token: string };
    let grant: ReturnType<Emulator['tokens']['issue']>;
    let adminId: string;
    try {
      key = await createKey(first, 'survivor');
      grant = first.tokens.issue();
      adminId = first.admin.id;
    } finally {
      await first.close();
    }
    const second = await startTestEmulator({ db });
    try {
      assert.deepEqual(second.admin, { id: adminId, email: 'admin@local.tmprl.local' });
      assert.equal(await whoIs(second, key.token), adminId);
      assert.equal(await whoIs(second, grant.accessToken), adminId);
      assert.ok('accessToken' in second.tokens.refresh(grant.refreshToken));
    } finally {
      await second.close();
    }
  });

  it('a key deleted before a restart stays refused after it', async () => {
    const db = join(dir, 'deleted.db');
    const first = await startTestEmulator({ db });
    let key: { id: string; token: string };
    try {
      key = await createKey(first, 'short-lived');
      const c = await connectOfficialClient(first, { retries: false });
      await c.cloud.deleteApiKey({ keyId: key.id }).finally(() => c.close());
    } finally {
      await first.close();
    }
    const second = await startTestEmulator({ db });
    try {
      assert.equal(await whoIs(second, key.token), status.UNAUTHENTICATED);
    } finally {
      await second.close();
    }
  });
});
