import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UserError } from '../../errors.js';
import { parseDomain } from './domain.js';
import { GO_ZERO_TIME, newTokenConfig, parseTokenConfig, serializeTokenConfig, tokenState, withTokens } from './token-config.js';

/** A tokens.json as Go tcld writes it: oauth2's Go field names, a local-time expiry with nanoseconds. */
const GO_TCLD_FILE = `{
    "audience": "https://saas-api.tmprl.cloud",
    "domain": "https://login.tmprl.cloud",
    "oauth_config": {
        "ClientID": "d7V5bZMLCbRLfRVpqC567AqjAERaWHhl",
        "ClientSecret": "",
        "Endpoint": {
            "AuthURL": "",
            "DeviceAuthURL": "https://login.tmprl.cloud/oauth/device/code",
            "TokenURL": "https://login.tmprl.cloud/oauth/token",
            "AuthStyle": 1
        },
        "RedirectURL": "",
        "Scopes": [
            "openid",
            "profile",
            "user",
            "offline_access"
        ]
    },
    "oauth_token": {
        "access_token": "eyJhbGciOi.access",
        "token_type": "Bearer",
        "refresh_token": "v1.refresh",
        "expiry": "2030-01-01T02:00:00.123456789+02:00"
    }
}
`;

const EXPIRY = Date.parse('2030-01-01T00:00:00.123Z');

describe('parseTokenConfig', () => {
  it("reads the file Go tcld writes, its nanosecond local-time expiry included", () => {
    const login = parseTokenConfig(GO_TCLD_FILE, 'tokens.json');
    assert.equal(login.oauth_token.access_token, 'eyJhbGciOi.access');
    assert.equal(login.oauth_config.Endpoint.TokenURL, 'https://login.tmprl.cloud/oauth/token');
    assert.equal(tokenState(login, new Date(EXPIRY - 61_000)), 'valid');
  });

  it("keeps every field tcld wrote when it writes the file again", () => {
    const login = parseTokenConfig(GO_TCLD_FILE.replace('"AuthStyle": 1', '"AuthStyle": 1, "Extra": true'), 'tokens.json');
    const again = JSON.parse(serializeTokenConfig(withTokens(login, { access_token: 'a2', token_type: 'bearer', refresh_token: 'r2', expires_in: 60 }, new Date(0))));
    assert.equal(again.oauth_config.Endpoint.Extra, true);
    assert.deepEqual(Object.keys(again.oauth_token), ['access_token', 'token_type', 'refresh_token', 'expiry']);
  });

  it("says tcld's words for its legacy format, and to log in again for a file it cannot use", () => {
    assert.throws(() => parseTokenConfig('{"audience": "x", "domain": "y"}', 'p'), (e: unknown) => e instanceof UserError && e.message === 'Re-login with `tcld login` to migrate to the new config format');
    for (const [text, why] of [
      ['not json', 'it is not JSON'],
      ['[]', 'it is not a JSON object'],
      ['{"oauth_token": {"access_token": ""}}', 'it holds no access token'],
      ['{"oauth_token": {"access_token": "a", "expiry": "soon"}}', 'its expiry "soon" is not a time'],
      ['{"domain": "d", "oauth_token": {"access_token": "a"}}', 'it has no oauth_config with a ClientID and an Endpoint.TokenURL'],
    ] as const) {
      assert.throws(() => parseTokenConfig(text, '/c/tokens.json'), (e: unknown) => e instanceof UserError && e.message === `cannot use the login in /c/tokens.json: ${why}; run tcld login`, text);
    }
  });
});

describe('tokenState', () => {
  const login = parseTokenConfig(GO_TCLD_FILE, 'tokens.json');

  it('refreshes from one minute before the expiry on (tcld\'s grace)', () => {
    assert.equal(tokenState(login, new Date(EXPIRY - 60_001)), 'valid');
    assert.equal(tokenState(login, new Date(EXPIRY - 60_000)), 'refresh');
    assert.equal(tokenState(login, new Date(EXPIRY + 3_600_000)), 'refresh');
  });

  it("uses a token without expiry as it is (Go's zero time), and cannot refresh without a refresh token", () => {
    const forever = { ...login, oauth_token: { ...login.oauth_token, expiry: GO_ZERO_TIME } };
    assert.equal(tokenState(forever, new Date(8.64e15)), 'valid');
    const noRefresh = { ...login, oauth_token: { access_token: 'a', expiry: login.oauth_token.expiry } };
    assert.equal(tokenState(noRefresh, new Date(EXPIRY)), 'no-refresh-token');
  });
});

describe('withTokens', () => {
  const config = newTokenConfig({ domain: parseDomain('login.tmprl.cloud'), audience: 'aud', clientId: 'cid', scopes: ['openid'] });

  it('stores the expiry from expires_in, Bearer as Go spells it, and keeps the old refresh token when a refresh sends none', () => {
    const first = withTokens(config, { access_token: 'a1', token_type: 'bearer', refresh_token: 'r1', expires_in: 600 }, new Date(0));
    assert.deepEqual(first.oauth_token, { access_token: 'a1', token_type: 'Bearer', refresh_token: 'r1', expiry: '1970-01-01T00:10:00.000Z' });
    const second = withTokens(first, { access_token: 'a2', token_type: 'bearer' }, new Date(0));
    assert.deepEqual(second.oauth_token, { access_token: 'a2', token_type: 'Bearer', refresh_token: 'r1', expiry: GO_ZERO_TIME });
  });
});
