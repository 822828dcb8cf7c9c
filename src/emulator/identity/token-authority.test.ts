import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Emulator } from '../index.js';
import { connectOfficialClient, grpcError, manualClock, startTestEmulator, status } from '../test-support.js';
import type { TokenGrant } from './authority.js';
import { REFRESH_TOKEN_TTL_SECONDS } from './token-authority.js';

type Client = Awaited<ReturnType<typeof connectOfficialClient>>;

describe('TokenAuthority (emulator.tokens), with the official @temporalio/cloud client', () => {
  const clock = manualClock();
  let emulator: Emulator;
  let c: Client;
  before(async () => {
    emulator = await startTestEmulator({ account: 'acct', accessTokenTtlSeconds: 60, now: clock.now });
    c = await connectOfficialClient(emulator, { retries: false });
  });
  after(async () => {
    c.close();
    await emulator.close();
  });

  /** GetCurrentIdentity with `bearer`: the user ID it names, or the gRPC error. */
  async function whoIs(bearer: string): Promise<string | { code: status; details: string }> {
    try {
      return (await c.client.connection.withApiKey(bearer, () => c.cloud.getCurrentIdentity({}))).user!.id!;
    } catch (error) {
      const { code, details } = error as { code: status; details: string };
      return { code, details };
    }
  }

  function isGrant(grant: TokenGrant | { code: 'invalid-grant' }): asserts grant is TokenGrant {
    assert.ok('accessToken' in grant, `expected a grant, got ${JSON.stringify(grant)}`);
  }

  it('issue › hands out an access token the API admits as the admin user, and a refresh token it does not', async () => {
    const grant = emulator.tokens.issue();
    assert.match(grant.accessToken, /^tcld_dev_at_[\w-]{43}$/);
    assert.match(grant.refreshToken, /^tcld_dev_rt_[\w-]{43}$/);
    assert.equal(grant.expiresIn, 60);
    assert.equal(await whoIs(grant.accessToken), emulator.admin.id);
    assert.deepEqual(await whoIs(grant.refreshToken), {
      code: status.UNAUTHENTICATED,
      details: 'a refresh token cannot authenticate a call: exchange it for an access token at the token endpoint',
    });
    const other = emulator.tokens.issue();
    assert.notEqual(other.accessToken, grant.accessToken, 'each grant is new randomness');
  });

  it('refuses an access token once its lifetime has passed: "the access token has expired"', async () => {
    const grant = emulator.tokens.issue();
    clock.advance(60_000 - 1);
    assert.equal(await whoIs(grant.accessToken), emulator.admin.id);
    clock.advance(1);
    assert.deepEqual(await whoIs(grant.accessToken), { code: status.UNAUTHENTICATED, details: 'the access token has expired' });
  });

  it('refresh › rotates: a new pair that works, and the old refresh token is refused from then on', async () => {
    const first = emulator.tokens.issue();
    clock.advance(60_000);
    const second = emulator.tokens.refresh(first.refreshToken);
    isGrant(second);
    assert.notEqual(second.refreshToken, first.refreshToken);
    assert.equal(await whoIs(second.accessToken), emulator.admin.id);
    assert.deepEqual(emulator.tokens.refresh(first.refreshToken), { code: 'invalid-grant' });
    const third = emulator.tokens.refresh(second.refreshToken);
    isGrant(third);
    assert.deepEqual(emulator.tokens.refresh(second.accessToken), { code: 'invalid-grant' }, 'an access token is no refresh token');
    assert.deepEqual(emulator.tokens.refresh('tcld_dev_rt_unknown'), { code: 'invalid-grant' });
  });

  it('revoke › a revoked access token is refused; a revoked refresh token ends itself and the access tokens of its grant', async () => {
    const one = emulator.tokens.issue();
    emulator.tokens.revoke(one.accessToken);
    assert.deepEqual(await whoIs(one.accessToken), {
      code: status.UNAUTHENTICATED,
      details: 'invalid access token: it was revoked or is unknown to this dev-server; sign in again (tcld login)',
    });
    const refreshed = emulator.tokens.refresh(one.refreshToken);
    isGrant(refreshed);

    const two = emulator.tokens.issue();
    emulator.tokens.revoke(two.refreshToken);
    assert.deepEqual(emulator.tokens.refresh(two.refreshToken), { code: 'invalid-grant' });
    assert.equal(((await whoIs(two.accessToken)) as { code: status }).code, status.UNAUTHENTICATED);
    assert.equal(await whoIs(refreshed.accessToken), emulator.admin.id, 'another grant is untouched');
    emulator.tokens.revoke('not-a-token');
    emulator.tokens.revoke(two.refreshToken);
  });

  // Last in this suite: it moves the shared clock a month on.
  it('an expired access token stays "expired" when a sign-in sweeps the table, until its grant ends (refresh token expired)', async () => {
    const grant = emulator.tokens.issue();
    clock.advance(60_000);
    emulator.tokens.issue();
    assert.deepEqual(await whoIs(grant.accessToken), { code: status.UNAUTHENTICATED, details: 'the access token has expired' });
    clock.advance(REFRESH_TOKEN_TTL_SECONDS * 1000);
    assert.deepEqual(emulator.tokens.refresh(grant.refreshToken), { code: 'invalid-grant' });
    emulator.tokens.issue();
    assert.match(((await whoIs(grant.accessToken)) as { details: string }).details, /^invalid access token: it was revoked or is unknown/);
  });

  it('an API call without credentials still names the API key it wants', async () => {
    const anonymous = await connectOfficialClient(emulator, { apiKey: '', retries: false });
    try {
      assert.match((await grpcError(() => anonymous.cloud.getCurrentIdentity({}))).details, /^missing API key/);
    } finally {
      anonymous.close();
    }
  });
});

describe('TokenAuthority options', () => {
  it('draws each secret from the emulator RandomSource: 32 bytes behind the prefix', async () => {
    const drawn: Uint8Array[] = [];
    const random = (size: number) => {
      const bytes = new Uint8Array(size).map((_, i) => (drawn.length * 7 + i) & 0xff);
      drawn.push(bytes);
      return bytes;
    };
    const emulator = await startTestEmulator({ random });
    try {
      const before = drawn.length;
      const grant = emulator.tokens.issue();
      const secrets = drawn.slice(before).filter((bytes) => bytes.length === 32).map((bytes) => Buffer.from(bytes).toString('base64url'));
      assert.deepEqual(secrets, [grant.accessToken.slice('tcld_dev_at_'.length), grant.refreshToken.slice('tcld_dev_rt_'.length)]);
    } finally {
      await emulator.close();
    }
  });

  it('refuses an access token lifetime that is not a positive whole number of seconds', async () => {
    for (const accessTokenTtlSeconds of [0, -1, 1.5, Number.NaN]) {
      await assert.rejects(startTestEmulator({ accessTokenTtlSeconds }), /^RangeError: accessTokenTtlSeconds must be a positive whole number of seconds/);
    }
  });
});
