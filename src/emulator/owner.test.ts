import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { describeOwner, ownerPath, readOwner, removeOwner, writeOwner } from './owner.js';

describe("a database's owner file", () => {
  const dir = mkdtempSync(join(tmpdir(), 'tcld-owner-'));
  const db = join(dir, 'dev-server.db');
  const running = () => true;
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('is written beside the database, read back, and removed, leaving no temporary file', () => {
    writeOwner(db, { pid: 4242, api: '127.0.0.1:7390', gateway: '[::1]:7233', auth: '127.0.0.1:7391' });
    assert.equal(ownerPath(db), `${db}-server.json`);
    assert.deepEqual(readOwner(db, running), { pid: 4242, api: '127.0.0.1:7390', gateway: '[::1]:7233', auth: '127.0.0.1:7391' });
    assert.deepEqual(readdirSync(dir), ['dev-server.db-server.json']);
    removeOwner(db);
    assert.equal(readOwner(db, running), undefined);
  });

  it('names a holder whose process is gone as no one (a server killed with SIGKILL leaves its file behind)', () => {
    writeOwner(db, { pid: 4242, api: '127.0.0.1:7390' });
    assert.equal(readOwner(db, (pid) => pid !== 4242), undefined);
  });

  it('ignores a file that is not one tcld writes: not JSON, too large, a bad pid; and drops addresses that are not host:port', () => {
    for (const text of ['not json', `{"pid":1,"api":"${'x'.repeat(5000)}"}`, '{"pid":-3}', '{"pid":"12"}', '[]', 'null', '5']) {
      writeFileSync(ownerPath(db), text);
      assert.equal(readOwner(db, running), undefined, text.slice(0, 20));
    }
    writeFileSync(ownerPath(db), JSON.stringify({ pid: 7, api: '127.0.0.1:1; rm -rf /', gateway: '\u001b[31mred' }));
    assert.deepEqual(readOwner(db, running), { pid: 7 });
  });

  it('is described with its pid and addresses, as still starting without them, and as another process when unknown', () => {
    assert.equal(
      describeOwner({ pid: 9, api: '127.0.0.1:1', gateway: '127.0.0.1:2', metrics: '127.0.0.1:3', auth: '127.0.0.1:4' }),
      'tcld dev-server pid 9 (Cloud Ops API on 127.0.0.1:1, mTLS endpoint on 127.0.0.1:2, metrics on 127.0.0.1:3, sign-in on 127.0.0.1:4)',
    );
    assert.equal(describeOwner({ pid: 9 }), 'tcld dev-server pid 9 (still starting)');
    assert.equal(describeOwner(undefined), 'another process');
  });
});
