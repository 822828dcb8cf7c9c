import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DEFAULT_GATEWAY_DOMAIN } from '../emulator/namespace-view.js';
import { NAMESPACE_DOMAINS, explainProbe, type DiagnosisContext } from './diagnose.js';

const refusedName = { stage: 'server-name-refused', detail: 'ERR_SSL_TLSV1_UNRECOGNIZED_NAME: tlsv1 unrecognized name' } as const;
const context = (overrides: Partial<DiagnosisContext> = {}): DiagnosisContext => ({ address: '127.0.0.1:7233', servername: '127.0.0.1', customServerCa: true, ...overrides });
const BUNDLE_ADVICE = /accepted CA bundle/;

describe('explainProbe', () => {
  it('says no server name was sent to an IP address, and shows both endpoint forms with --tls-server-name', () => {
    const lines = explainProbe(refusedName, context());
    assert.deepEqual(lines, [
      'server name: none was sent (127.0.0.1 is an IP address), and the server refused the connection before it looked at the client certificate: a namespace endpoint is picked by its host name as TLS server name (ERR_SSL_TLSV1_UNRECOGNIZED_NAME: tlsv1 unrecognized name)',
      "server name: pass the namespace's endpoint host with --tls-server-name: <namespace>.<account>.tmprl.cloud for Temporal Cloud, <namespace>.<account>.tmprl.local for tcld dev-server",
    ]);
  });

  it('says a server name the server refused is not a namespace endpoint, without the CA bundle advice', () => {
    const lines = explainProbe(refusedName, context({ servername: 'wrong.example', bundleCheck: { accepted: false, problems: [{ code: 'untrusted-issuer', message: 'not issued by it' }] } }));
    assert.match(lines[0]!, /^server name: wrong\.example is not a namespace endpoint: the server refused that TLS server name before it looked at the client certificate \(/);
    assert.match(lines[1]!, /--tls-server-name: <namespace>\.<account>\.tmprl\.cloud for Temporal Cloud/);
    assert.equal(lines.length, 2);
    assert.ok(lines.every((line) => !BUNDLE_ADVICE.test(line)));
  });

  it("names the endpoint hosts from --namespace: as given when it has the account, with <account> when not", () => {
    assert.match(explainProbe(refusedName, context({ namespace: 'ct.acct' }))[1]!, /--tls-server-name: ct\.acct\.tmprl\.cloud for Temporal Cloud, ct\.acct\.tmprl\.local for tcld dev-server$/);
    assert.match(explainProbe(refusedName, context({ namespace: 'ct' }))[1]!, /--tls-server-name: ct\.<account>\.tmprl\.cloud for Temporal Cloud, ct\.<account>\.tmprl\.local/);
  });

  it("names the dev-server's endpoint domain as its gateway does", () => {
    assert.equal(NAMESPACE_DOMAINS.devServer, DEFAULT_GATEWAY_DOMAIN);
  });

  it('gives a refused client certificate the CA bundle advice, and what --ca-bundle found', () => {
    const lines = explainProbe({ stage: 'client-refused', detail: 'the server closed the connection' }, context({ servername: 'ct.acct.tmprl.local', bundleCheck: { accepted: false, problems: [{ code: 'untrusted-issuer', message: 'not issued by it' }] } }));
    assert.match(lines[0]!, /^client certificate: the server refused it \(the server closed the connection\); check that the CA that issued it is in the namespace's accepted CA bundle/);
    assert.deepEqual(lines.slice(1), ['--ca-bundle: not issued by it']);
  });

  it("does not repeat what the certificate's own findings said: --ca-bundle adds only the problems of other codes", () => {
    const lines = explainProbe(
      { stage: 'client-refused', detail: 'the server closed the connection' },
      context({
        bundleCheck: {
          accepted: false,
          problems: [
            { code: 'expired', message: 'the client certificate expired' },
            { code: 'untrusted-issuer', message: 'not issued by it' },
          ],
        },
        findings: [{ code: 'expired', message: 'the certificate expired on 2025-01-01T00:00:00.000Z' }],
      }),
    );
    assert.deepEqual(lines.slice(1), ['--ca-bundle: not issued by it']);
  });
});
