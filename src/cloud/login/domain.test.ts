import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageError } from '../../errors.js';
import { checkVerificationUrl, domainString, isLoopback, isSafeEndpoint, loginEndpoints, parseDomain } from './domain.js';

describe('parseDomain', () => {
  it('reads a bare host as https, as tcld does, and keeps what tcld stores as the domain', () => {
    assert.equal(domainString(parseDomain('login.tmprl.cloud')), 'https://login.tmprl.cloud');
    assert.equal(domainString(parseDomain('https://login.tmprl.cloud/')), 'https://login.tmprl.cloud');
    assert.equal(domainString(parseDomain('http://127.0.0.1:7391')), 'http://127.0.0.1:7391');
    assert.equal(domainString(parseDomain('http://localhost:8080/auth/')), 'http://localhost:8080/auth');
  });

  it('refuses plain http except to a loopback host, naming the flag', () => {
    assert.throws(() => parseDomain('http://login.example.com'), (e: unknown) => e instanceof UsageError && e.message === '--domain http://login.example.com: http:// is allowed only for a loopback host (a local dev-server); use https://');
    assert.doesNotThrow(() => parseDomain('http://[::1]:9000'));
  });

  it('refuses what is not a host name or an http(s) URL', () => {
    for (const bad of ['', '   ', 'ftp://x.example', 'https://x.example/?q=1', 'https://user:pw@x.example', 'https://', 'javascript:alert(1)']) {
      assert.throws(() => parseDomain(bad), UsageError, bad);
    }
  });
});

describe('loginEndpoints', () => {
  it("derives tcld's device code and token URLs, and the revocation and logout URLs, below the domain's path", () => {
    assert.deepEqual(loginEndpoints(parseDomain('login.tmprl.cloud')), {
      deviceAuthUrl: 'https://login.tmprl.cloud/oauth/device/code',
      tokenUrl: 'https://login.tmprl.cloud/oauth/token',
      revokeUrl: 'https://login.tmprl.cloud/oauth/revoke',
      logoutUrl: 'https://login.tmprl.cloud/v2/logout',
    });
    assert.equal(loginEndpoints(parseDomain('http://127.0.0.1:1234/idp')).tokenUrl, 'http://127.0.0.1:1234/idp/oauth/token');
  });
});

describe('checkVerificationUrl', () => {
  const domain = parseDomain('login.tmprl.cloud');

  it('admits an https URL on the domain\'s host, and a host-only one as https', () => {
    const checked = checkVerificationUrl('https://login.tmprl.cloud/activate?user_code=ABCD-EFGH', domain);
    assert.ok(checked.ok && checked.url.href === 'https://login.tmprl.cloud/activate?user_code=ABCD-EFGH');
    const bare = checkVerificationUrl('login.tmprl.cloud/activate', domain);
    assert.ok(bare.ok && bare.url.protocol === 'https:');
  });

  it("refuses another host with tcld's message", () => {
    assert.deepEqual(checkVerificationUrl('https://evil.example/activate', domain), {
      ok: false,
      code: 'other-host',
      message: 'domain URL `login.tmprl.cloud` does not match verification URL `evil.example` in response',
    });
  });

  it('refuses a URL on the same host name that a URL opener would not treat as a web page, and plain http off loopback', () => {
    for (const url of ['file://login.tmprl.cloud/etc/passwd', 'ssh://login.tmprl.cloud/', 'http://login.tmprl.cloud/activate']) {
      const checked = checkVerificationUrl(url, domain);
      assert.ok(!checked.ok && checked.code === 'insecure', url);
    }
    assert.ok(checkVerificationUrl('http://127.0.0.1:5/activate', parseDomain('http://127.0.0.1:5')).ok);
    assert.equal((checkVerificationUrl('https://', domain) as { code: string }).code, 'malformed');
  });
});

describe('isLoopback and isSafeEndpoint', () => {
  it('know the loopback hosts, and allow tokens to go only over https or to them', () => {
    for (const host of ['localhost', 'app.localhost', '127.0.0.1', '127.8.9.10', '[::1]']) assert.ok(isLoopback(host), host);
    for (const host of ['127.0.0.1.example.com', '10.0.0.1', 'example.com', '[::2]']) assert.ok(!isLoopback(host), host);
    assert.ok(isSafeEndpoint('https://login.example/oauth/token'));
    assert.ok(isSafeEndpoint('http://127.0.0.1:9/oauth/token'));
    assert.ok(!isSafeEndpoint('http://login.example/oauth/token'));
    assert.ok(!isSafeEndpoint('not a url'));
  });
});
