// The emulator side of part 5 of the bench (bench/gateway.mjs), run from the TypeScript sources:
//   node --import tsx bench/gateway-child.ts <folder> <upstream host:port> <client leaves>
//
// It writes two namespaces straight into a new SQLite file in <folder> through the emulator's Store,
// bypassing the Cloud Ops API (which refuses bundles of more than 16 certificates, as Temporal Cloud
// does): `one.bench`, whose bundle is one CA, and `hundred.bench`, whose bundle is 100 CAs with that
// same CA last (so that a linear scan of the bundle would pay for its length). Then it starts two
// emulators on that file, as `tcld dev-server` would (gateway on a free port, a log line per
// connection to <folder>/gateway.log, as dev-server writes its log to stdout):
//  - `builtIn`: admitted clients reach the built-in frontend (the default), for the handshake rate;
//  - `forwarding`: admitted clients are forwarded to the plaintext upstream, for the added latency.
// Both share the file and so the dev server CA (made by the first, loaded by the second).
//
// It prints one JSON line on stdout: the gateways' ports, the dev server CA's path, the namespaces'
// TLS server names, <client leaves> P-384 client certificates issued by the shared CA, one issued by
// a CA in neither bundle (which must be refused), and the built-in frontend's GetSystemInfo answer (for
// the upstream to give the same). It closes both emulators and exits 0 on SIGTERM or when its stdin
// ends (the bench gone).
import { closeSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { canonicalSpecBytes } from '../src/emulator/canonical.js';
import { SYSTEM_INFO } from '../src/emulator/gateway/frontend.js';
import { randomUuid } from '../src/emulator/ids.js';
import { startEmulator, type Emulator } from '../src/emulator/index.js';
import { Store } from '../src/emulator/store.js';
import { generateCertificateAuthority, type GeneratedCertificate } from '../src/pki/ca.js';
import { loadCertificateAuthority } from '../src/pki/issuer.js';
import { generateEndEntityCertificate } from '../src/pki/leaf.js';
import { secureRandom } from '../src/pki/random.js';

const BUNDLE_SIZES = { 'one.bench': 1, 'hundred.bench': 100 } as const;
const DAY_MS = 86_400_000;

async function main(): Promise<void> {
  const [folder, upstream, leafCount] = process.argv.slice(2);
  if (!folder || !upstream || !(Number(leafCount) >= 1)) throw new Error('usage: gateway-child.ts <folder> <upstream host:port> <client leaves>');
  // One database per emulator (a database serves one emulator at a time), in one folder: one dev server CA.
  const dbs = { builtIn: join(folder, 'gateway.db'), forwarding: join(folder, 'gateway-forwarding.db') };
  const now = new Date();

  // The clients' CA, and the 99 others of the large bundle (P-384, tcld's default profile).
  const validityMs = 365 * DAY_MS;
  const issuer = await generateCertificateAuthority({ organization: 'benchclients', validityMs, now });
  const others = await Promise.all(Array.from({ length: 99 }, (_, i) => generateCertificateAuthority({ organization: `benchother${i}`, validityMs, now })));
  const outsider = await generateCertificateAuthority({ organization: 'benchoutsider', validityMs, now });
  const bundles: Record<keyof typeof BUNDLE_SIZES, GeneratedCertificate[]> = { 'one.bench': [issuer], 'hundred.bench': [...others, issuer] };

  for (const db of Object.values(dbs)) seed(db);
  function seed(db: string): void {
    const store = new Store(db);
    try {
      store.transaction(() => {
        for (const [id, cas] of Object.entries(bundles)) {
          if (cas.length !== BUNDLE_SIZES[id as keyof typeof BUNDLE_SIZES]) throw new Error(`bundle of ${id} has ${cas.length} CAs`);
          const name = id.split('.')[0]!;
          const acceptedClientCa = Buffer.from(cas.map((ca) => ca.certificatePem).join(''));
          const spec = { name, regions: ['local'], retentionDays: 30, mtlsAuth: { enabled: true, acceptedClientCa } };
          store.putNamespace({
            id,
            name,
            resourceVersion: randomUuid(secureRandom),
            spec: canonicalSpecBytes(spec),
            asyncOperationId: '',
            operationType: '',
            operationFinishMs: 0,
            createdMs: now.getTime(),
            modifiedMs: now.getTime(),
          });
        }
      });
    } finally {
      store.close();
    }
  }

  const ca = loadCertificateAuthority({ certificate: issuer.certificatePem, privateKey: issuer.privateKeyPem, now });
  const leaves = await Promise.all(
    Array.from({ length: Number(leafCount) }, (_, i) => generateEndEntityCertificate({ ca, organization: 'benchclients', commonName: `bench-client-${i}`, validityMs: DAY_MS, now })),
  );
  const outsiderLeaf = await generateEndEntityCertificate({
    ca: { certificate: outsider.certificatePem, privateKey: outsider.privateKeyPem },
    organization: 'benchoutsider',
    validityMs: DAY_MS,
    now,
  });

  const logFd = openSync(join(folder, 'gateway.log'), 'w');
  const logTo = (tag: string) => (line: string) => writeSync(logFd, `${new Date().toISOString()} ${tag} ${line}\n`);
  const emulators: Emulator[] = [];
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await Promise.all(emulators.map((e) => e.close()));
      closeSync(logFd);
      process.exit(0);
    })());
  process.once('SIGTERM', () => void close());
  process.stdin.on('end', () => void close());
  process.stdin.resume();

  const common = { host: '127.0.0.1', port: 0, gatewayPort: 0, apiKeys: ['benchkey'] };
  const builtIn = await startEmulator({ ...common, db: dbs.builtIn, log: logTo('[built-in]') });
  emulators.push(builtIn);
  const forwarding = await startEmulator({ ...common, db: dbs.forwarding, upstream, log: logTo('[forwarding]') });
  emulators.push(forwarding);
  if (forwarding.gateway.caPath !== builtIn.gateway.caPath) throw new Error('the two emulators have different dev server CAs');

  const pair = (c: GeneratedCertificate) => ({ certificatePem: c.certificatePem, privateKeyPem: c.privateKeyPem });
  const ready = {
    caPath: builtIn.gateway.caPath,
    builtIn: { port: builtIn.gateway.port, address: builtIn.gateway.address, target: builtIn.gateway.target },
    forwarding: { port: forwarding.gateway.port, address: forwarding.gateway.address, target: forwarding.gateway.target },
    namespaces: Object.fromEntries(Object.entries(BUNDLE_SIZES).map(([id, size]) => [id, { host: builtIn.namespaceHost(id), bundleSize: size }])),
    leaves: leaves.map(pair),
    outsiderLeaf: pair(outsiderLeaf),
    systemInfo: SYSTEM_INFO,
  };
  process.stdout.write(`${JSON.stringify(ready)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`gateway-child: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
