// Part 6 of the bench: the offline certificate checks, `tcld cert verify` against a bundle of 100 CAs
// and `tcld cert check-expiry` on 1000 certificates, each a whole CLI run (start-up included), timed
// side by side with `node -e 0` and `tcld gen ca`, interleaved round by round. Targets (the issue):
// verify's median within 1.2x of gen ca's (both cold starts, the same rounds), check-expiry's median
// under 1 second.
//
// The inputs are made beforehand, untimed, through dist/lib/index.cjs: 100 P-384 CAs (90 days) in one
// bundle file with the client's issuer last (so verify goes through the whole bundle before it finds
// it), one client leaf, and 1000 leaves of one CA concatenated in one file, all valid for more than
// the 30-day window so that check-expiry answers 0.
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { CommandFailed, f1, f2, median, run, verdict } from './common.mjs';

const DAY_MS = 86_400_000;
const BUNDLE_CAS = 100;
const EXPIRY_CERTIFICATES = 1000;
const ISSUE_CONCURRENCY = 16;
const WARMUP_ROUNDS = 2;
const ROUNDS = 15;
const TARGETS = { verifyVsGenCa: 1.2, checkExpiryMs: 1000 };

/** `count` calls of `make(i)`, at most `concurrency` in flight; results in index order. */
async function pool(count, concurrency, make) {
  const results = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      results[i] = await make(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return results;
}

/** Writes the bundle, the client leaf and the 1000 certificates into `folder`; returns their paths. */
async function prepare(folder, root) {
  const lib = createRequire(import.meta.url)(join(root, 'dist/lib/index.cjs'));
  const validityMs = 90 * DAY_MS;
  const cas = await pool(BUNDLE_CAS, ISSUE_CONCURRENCY, (i) => lib.generateCertificateAuthority({ organization: `b${i}`, validityMs }));
  // The client's issuer is the last CA of the file.
  const issuer = cas.at(-1);
  const client = await lib.generateEndEntityCertificate({ ca: { certificate: issuer.certificatePem, privateKey: issuer.privateKeyPem }, organization: 'bench-client' });
  const many = lib.loadCertificateAuthority({ certificate: cas[0].certificatePem, privateKey: cas[0].privateKeyPem });
  const leaves = await pool(EXPIRY_CERTIFICATES, ISSUE_CONCURRENCY, (i) => lib.generateEndEntityCertificate({ ca: many, organization: `e${i}` }));
  const pem = (text) => (text.endsWith('\n') ? text : `${text}\n`);
  const paths = { bundle: join(folder, 'bundle100.pem'), leaf: join(folder, 'leaf.pem'), all: join(folder, 'all1000.pem') };
  writeFileSync(paths.bundle, cas.map((ca) => pem(ca.certificatePem)).join(''));
  writeFileSync(paths.leaf, pem(client.certificatePem));
  writeFileSync(paths.all, leaves.map((leaf) => pem(leaf.certificatePem)).join(''));
  return paths;
}

/** Runs part 6; `bin` is bin/tcld, `root` the repository, `tmp` the bench's temp folder. */
export async function certChecksBench({ tmp, bin, root }) {
  const folder = join(tmp, 'cert-checks');
  mkdirSync(folder, { recursive: true });
  const prepStart = performance.now();
  const paths = await prepare(folder, root);
  const prepMs = performance.now() - prepStart;

  const verifyArgs = ['cert', 'verify', '--cert', paths.leaf, '--ca-bundle', paths.bundle];
  const expiryArgs = ['cert', 'check-expiry', paths.all, '--within', '30d'];
  let genCount = 0;
  const commands = {
    node: () => run(process.execPath, ['-e', '0']).ms,
    genCa: () => {
      // Fresh output paths every time, so that gen ca never has a file to ask about.
      const n = genCount++;
      const caCert = join(folder, `gen-${n}-ca.pem`);
      const caKey = join(folder, `gen-${n}-ca.key`);
      const { ms } = run(bin, ['gen', 'ca', '--org', 'bench', '-d', '1y', '--ca-cert', caCert, '--ca-key', caKey, '--auto_confirm']);
      if (!existsSync(caCert) || !existsSync(caKey)) throw new CommandFailed('gen ca exited 0 but did not write both files');
      return ms;
    },
    verify: () => {
      const { result, ms } = run(bin, verifyArgs);
      if (!result.stdout.startsWith('accepted:')) throw new CommandFailed(`cert verify exited 0 but did not say accepted:\n${result.stdout}`);
      return ms;
    },
    checkExpiry: () => {
      const { result, ms } = run(bin, expiryArgs);
      if (!result.stdout.startsWith(`ok: none of the ${EXPIRY_CERTIFICATES} certificates`)) {
        throw new CommandFailed(`cert check-expiry exited 0 but did not check ${EXPIRY_CERTIFICATES} certificates:\n${result.stdout}`);
      }
      return ms;
    },
  };
  const names = Object.keys(commands);
  const times = Object.fromEntries(names.map((name) => [name, []]));
  const timedStart = performance.now();
  for (let round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
    // Each round starts with a different command, so that none always follows the same one.
    for (let k = 0; k < names.length; k++) {
      const name = names[(round + k) % names.length];
      const ms = commands[name]();
      if (round >= WARMUP_ROUNDS) times[name].push(ms);
    }
  }
  const timedMs = performance.now() - timedStart;

  const stats = Object.fromEntries(names.map((name) => [name, { median: median(times[name]), min: Math.min(...times[name]) }]));
  const ratio = stats.verify.median / stats.genCa.median;
  console.log(`\n6. Certificate checks: wall time of spawnSync, ${ROUNDS} interleaved rounds after ${WARMUP_ROUNDS} warm-up rounds`);
  console.log(`   (inputs made untimed in ${f1(prepMs / 1000)} s: ${BUNDLE_CAS} P-384 CAs in one bundle, the client's issuer last;`);
  console.log(`   ${EXPIRY_CERTIFICATES} P-384 leaves of one CA in one file; rounds took ${f1(timedMs / 1000)} s)`);
  const row = (label, s) => console.log(`   ${label.padEnd(36)} median ${f1(s.median).padStart(6)} ms   min ${f1(s.min).padStart(6)} ms`);
  row('node -e 0', stats.node);
  row('tcld gen ca (P-384)', stats.genCa);
  row(`tcld cert verify (${BUNDLE_CAS}-CA bundle)`, stats.verify);
  row(`tcld cert check-expiry (${EXPIRY_CERTIFICATES} certs)`, stats.checkExpiry);
  console.log(`   verify / gen ca: ${f2(ratio)}x (target <= ${TARGETS.verifyVsGenCa}x) ${verdict(ratio <= TARGETS.verifyVsGenCa)}`);
  console.log(`   check-expiry: ${f1(stats.checkExpiry.median)} ms (target < ${TARGETS.checkExpiryMs} ms) ${verdict(stats.checkExpiry.median < TARGETS.checkExpiryMs)}`);
  return { stats, ratio };
}

/** The summary table's rows for part 6: [metric, measured, target, result]. */
export function certChecksRows({ stats, ratio }) {
  return [
    [`cert verify, ${BUNDLE_CAS}-CA bundle / gen ca`, `${f2(ratio)}x (${f1(stats.verify.median)} / ${f1(stats.genCa.median)} ms)`, `<= ${TARGETS.verifyVsGenCa}x`, verdict(ratio <= TARGETS.verifyVsGenCa)],
    [`cert check-expiry, ${EXPIRY_CERTIFICATES} certs`, `${f1(stats.checkExpiry.median)} ms`, `< ${TARGETS.checkExpiryMs} ms`, verdict(stats.checkExpiry.median < TARGETS.checkExpiryMs)],
  ];
}
