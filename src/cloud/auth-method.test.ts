import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AUTH_METHODS, authMethodOf, isAuthMethod, isDisruptive, specWithAuthMethod, tcldEnumName } from './auth-method.js';

describe('auth methods', () => {
  it('authMethodOf › reads the two switches of the spec; absent is off', () => {
    assert.equal(authMethodOf({ mtlsAuth: { enabled: true } }), 'mtls');
    assert.equal(authMethodOf({ apiKeyAuth: { enabled: true } }), 'api_key');
    assert.equal(authMethodOf({ mtlsAuth: { enabled: true }, apiKeyAuth: { enabled: true } }), 'api_key_or_mtls');
    assert.equal(authMethodOf({ mtlsAuth: { acceptedClientCa: Buffer.from('x') } }), 'restricted');
    assert.equal(authMethodOf(undefined), 'restricted');
  });

  it('specWithAuthMethod › sets both switches and keeps the bundle and filters; each method reads back as itself', () => {
    const spec = { name: 'a', mtlsAuth: { enabled: true, acceptedClientCa: Buffer.from('pem'), certificateFilters: [{ commonName: 'w' }] } };
    for (const method of AUTH_METHODS) {
      const changed = specWithAuthMethod(spec, method);
      assert.equal(authMethodOf(changed), method);
      assert.deepEqual(changed.mtlsAuth?.certificateFilters, [{ commonName: 'w' }]);
      assert.equal(Buffer.from(changed.mtlsAuth!.acceptedClientCa!).toString(), 'pem');
    }
  });

  it("isDisruptive › is tcld's disruptiveChange: only leaving restricted or moving to api_key_or_mtls is safe", () => {
    const disruptive = AUTH_METHODS.flatMap((from) => AUTH_METHODS.filter((to) => to !== from && isDisruptive(from, to)).map((to) => `${from}>${to}`));
    assert.deepEqual(disruptive, ['mtls>restricted', 'mtls>api_key', 'api_key>restricted', 'api_key>mtls', 'api_key_or_mtls>restricted', 'api_key_or_mtls>mtls', 'api_key_or_mtls>api_key']);
  });

  it("isAuthMethod and tcldEnumName › take tcld's flag values and print its enum names", () => {
    assert.equal(isAuthMethod('api_key'), true);
    assert.equal(isAuthMethod('apikey'), false);
    assert.deepEqual(AUTH_METHODS.map(tcldEnumName), ['Restricted', 'Mtls', 'ApiKey', 'ApiKeyOrMtls']);
  });
});
