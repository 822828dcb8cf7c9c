import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import type { CloudConnectionOptions } from '../cloud/client.js';
import { parseDomain } from '../cloud/login/domain.js';
import { NOT_LOGGED_IN } from '../cloud/login/session.js';
import { newTokenConfig, serializeTokenConfig, withTokens } from '../cloud/login/token-config.js';
import { UserError } from '../errors.js';
import { FIXED_NOW } from '../pki/test-support.js';
import { connect, type ConnectionFlags } from './cloud-flags.js';
import type { Deps } from './deps.js';
import { fakeDeps } from './test-support.js';

/** A login stored in tokens.json whose access token outlives FIXED_NOW by an hour. */
function tokensFile(): string {
  const config = newTokenConfig({ domain: parseDomain('login.tmprl.cloud'), audience: 'aud', clientId: 'cid', scopes: ['openid'] });
  return serializeTokenConfig(withTokens(config, { access_token: 'stored-access', token_type: 'bearer', refresh_token: 'stored-refresh', expires_in: 3600 }, FIXED_NOW));
}

/** connect() with a Cloud Ops API that records the options it was opened with. */
async function connected(flags: ConnectionFlags, files: Record<string, string> = {}, env: Record<string, string> = {}) {
  const faked = fakeDeps({ files, env });
  let options: CloudConnectionOptions | undefined;
  const deps: Deps = {
    ...faked.deps,
    cloud: async (given) => {
      options = given;
      return {} as never;
    },
  };
  await connect(flags, deps);
  return { options: options!, diagnostics: faked.diagnostics };
}

describe('connect', () => {
  it('authenticates with --api-key first, without reading the login, and never logs the key', async () => {
    const { options, diagnostics } = await connected({ apiKey: 'the-key', enableDebugLogs: true }, { '/c/tokens.json': 'not json' });
    assert.equal(options.apiKey, 'the-key');
    assert.equal(options.accessToken, undefined);
    assert.deepEqual(diagnostics, ['debug: authenticating with the API key']);
  });

  it('otherwise uses the login stored in --config-dir, read when the first call asks for it', async () => {
    const { options, diagnostics } = await connected({ configDir: '/c', enableDebugLogs: true }, { '/c/tokens.json': tokensFile() });
    assert.equal(options.apiKey, undefined);
    assert.deepEqual(diagnostics, []);
    assert.equal(await options.accessToken!(), 'stored-access');
    assert.deepEqual(diagnostics, ['debug: authenticating with the login in /c/tokens.json (https://login.tmprl.cloud)']);
  });

  it("finds the login in tcld's default folder, $HOME/.config/tcld", async () => {
    const { options } = await connected({}, { [join('/home/u', '.config', 'tcld', 'tokens.json')]: tokensFile() }, { HOME: '/home/u' });
    assert.equal(await options.accessToken!(), 'stored-access');
  });

  it('says to run tcld login or pass an API key when there is neither, and starts no login', async () => {
    const { options } = await connected({ configDir: '/empty' });
    await assert.rejects(options.accessToken!(), (e: unknown) => e instanceof UserError && e.message === NOT_LOGGED_IN);
  });
});
