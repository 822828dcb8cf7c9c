/**
 * The gateway on the chain corpus (pki/chain-corpus-test-support.ts): for each case a namespace whose
 * bundle is the case's, written straight into the store (the Cloud Ops API would refuse some of these
 * bundles, such as an expired root), and a real mutual-TLS handshake on 127.0.0.1 with the case's
 * chain. The gateway admits exactly what `openssl verify` and admitClient accept
 * (pki/verifier-corpus.test.ts checks those two).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { connect } from 'node:tls';
import { HAS_OPENSSL, buildCorpus, type Corpus } from '../../pki/chain-corpus-test-support.js';
import { generateCertificateAuthority } from '../../pki/ca.js';
import { loadCertificateAuthority } from '../../pki/issuer.js';
import { secureRandom } from '../../pki/random.js';
import { canonicalSpecBytes } from '../canonical.js';
import { randomUuid } from '../ids.js';
import { Store } from '../store.js';
import { startGateway, type Gateway } from './gateway.js';
import { DAY_MS, H2_PREFACE } from './test-support.js';

const DOMAIN = 'corpus.test';

describe('the gateway on the chain corpus', HAS_OPENSSL ? {} : { skip: 'openssl not installed' }, () => {
  let corpus: Corpus;
  let store: Store;
  let gateway: Gateway;
  let serverCa: string;
  const logged: string[] = [];
  const categories: string[] = [];

  before(async () => {
    corpus = buildCorpus();
    store = new Store(':memory:');
    const now = new Date();
    corpus.cases.forEach((one, i) => {
      const spec = { name: `c${i}`, regions: ['local'], retentionDays: 1, mtlsAuth: { enabled: true, acceptedClientCa: Buffer.from(one.bundle.map(corpus.read).join('')) } };
      store.putNamespace({ id: `c${i}.acct`, name: `c${i}`, resourceVersion: randomUuid(secureRandom), spec: canonicalSpecBytes(spec), asyncOperationId: '', operationType: '', operationFinishMs: 0, createdMs: now.getTime(), modifiedMs: now.getTime() });
    });
    const ca = await generateCertificateAuthority({ organization: 'corpus dev server', validityMs: 30 * DAY_MS });
    serverCa = ca.certificatePem;
    gateway = await startGateway({
      host: '127.0.0.1',
      port: 0,
      domain: DOMAIN,
      store,
      ca: loadCertificateAuthority({ certificate: ca.certificatePem, privateKey: ca.privateKeyPem }),
      now: () => new Date(),
      random: secureRandom,
      log: (line) => logged.push(line),
      onConnection: (namespace, result, reason) => categories.push(`${namespace} ${result} ${reason}`),
    });
  });
  after(async () => {
    await gateway?.close();
    store?.close();
    corpus?.remove();
  });

  /** 'admitted' when the gateway's HTTP/2 server answered the preface, 'refused' when it cut the connection. */
  function handshake(index: number): Promise<'admitted' | 'refused'> {
    const one = corpus.cases[index]!;
    return new Promise((resolve) => {
      const socket = connect({
        host: '127.0.0.1',
        port: gateway.port,
        servername: `c${index}.acct.${DOMAIN}`,
        ca: serverCa,
        cert: one.chain.map(corpus.read).join(''),
        key: corpus.read(one.chain[0]!.replace(/\.pem$/, '.key')),
        ALPNProtocols: ['h2'],
      });
      let settled = false;
      const settle = (outcome: 'admitted' | 'refused') => {
        if (settled) return;
        settled = true;
        socket.destroy();
        resolve(outcome);
      };
      socket.once('secureConnect', () => socket.write(H2_PREFACE));
      socket.once('data', () => settle('admitted'));
      socket.once('error', () => settle('refused'));
      socket.once('close', () => settle('refused'));
    });
  }

  it('admits exactly the chains RFC 5280 and Temporal accept, case by case', async () => {
    const disagreements: string[] = [];
    for (let i = 0; i < corpus.cases.length; i++) {
      const one = corpus.cases[i]!;
      logged.length = 0;
      const outcome = await handshake(i);
      if ((outcome === 'admitted') !== one.accepted) disagreements.push(`${one.name}: ${outcome}: ${logged.join(' | ')}`);
      // Each layer on its own: OpenSSL's verdict is logged beside admitClient's when it refuses too.
      if (!one.accepted && !logged.some((line) => line.includes("OpenSSL's path validation refuses the chain"))) {
        disagreements.push(`${one.name}: OpenSSL in the handshake did not refuse it: ${logged.join(' | ')}`);
      }
    }
    assert.deepEqual(disagreements, []);
  });

  it('logs why it refused a chain outside its name constraints, and files it under name-constraints', async () => {
    const index = corpus.cases.findIndex((c) => c.name === 'name constraints: a DNS name outside the permitted subtree');
    logged.length = 0;
    categories.length = 0;
    assert.equal(await handshake(index), 'refused');
    assert.match(
      logged.join('\n'),
      /^gateway: refused c\d+\.acct CN=evil,O=acme: DNS:evil\.attacker\.net of the certificate is outside the names permitted by the name constraints of the intermediate CA CN=nc permitted,O=acme; OpenSSL's path validation refuses the chain: permitted subtree violation \(UNSPECIFIED\)$/,
    );
    assert.deepEqual(categories, [`c${index}.acct refused name-constraints`]);
  });
});
