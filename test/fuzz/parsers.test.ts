/**
 * The parsers under damaged input: fast-check mutates valid certificates, chains, keys and requests
 * (bit flips, truncation, inserted and deleted bytes, wrong labels, huge base64, bytes that are not
 * UTF-8, floods of BEGIN lines) and runs tcld in-process on them. Whatever the input, tcld gives a
 * clear error (exit 1 or 2, one line on stderr, no stack trace, no file written) or a correct result;
 * never exit 70. The seed is fixed, so every run tries the same mutations; the keys are fresh (none is
 * committed), so a failure prints the case and keeps its input files.
 */
import assert from 'node:assert/strict';
import { X509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { copyFileSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { Readable, Writable } from 'node:stream';
import { after, before, describe, it, type TestContext } from 'node:test';
import fc from 'fast-check';
import { main } from '../../src/cli/main.js';
import { ApiError } from '../../src/emulator/api-error.js';
import { validateSpec } from '../../src/emulator/validation.js';
import { generateCertificateAuthority } from '../../src/pki/ca.js';
import { createCertificateRequest } from '../../src/pki/csr.js';
import { generateEndEntityCertificate } from '../../src/pki/leaf.js';
import { parsePemBlocks } from '../../src/pki/pem.js';
import { DAY_MS, makeTestCertificate, testKey, testName } from '../../src/pki/test-support.js';
import { applyMutant, mutantOf, type Mutant, type Seed } from './mutations.js';

/** Fixed: the same cases on every run. */
const SEED = 20_261_127;
/** Runs per property; six properties. */
const RUNS = 300;
/** The longest one-line error accepted: it names a file and a part, it does not reproduce the input. */
const MAX_ERROR = 600;

interface Outcome {
  code: number;
  stdout: string;
  stderr: string;
}

function sink(chunks: Buffer[]): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, done) {
      chunks.push(Buffer.from(chunk));
      done();
    },
  });
}

/** tcld in this process, with in-memory streams and no terminal. */
async function tcld(...argv: string[]): Promise<Outcome> {
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  const code = await main(argv, { stdin: Readable.from([]), stdout: sink(out), stderr: sink(err), env: {} });
  return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

/**
 * Exit 0, exit 1 for a refusal, exit 2 with one short line: never a bug, never a trace. A verdict
 * (`cert verify` refusing) may list its reasons on stderr, one short line each; any other error is one line.
 */
function assertClear(outcome: Outcome, options: { verdict?: boolean } = {}): void {
  assert.notEqual(outcome.code, 70, `tcld called it a bug: ${outcome.stderr}`);
  assert.ok([0, 1, 2].includes(outcome.code), `exit ${outcome.code}: ${outcome.stderr}`);
  const lines = outcome.stderr.split('\n').filter((line) => line !== '');
  const allowed = options.verdict && outcome.code === 1 ? 20 : 1;
  assert.ok(lines.length <= allowed, `${lines.length} lines on stderr: ${outcome.stderr.slice(0, 2000)}`);
  for (const line of lines) assert.ok(line.length <= MAX_ERROR, `a ${line.length}-character line: ${line.slice(0, 300)}…`);
  assert.doesNotMatch(outcome.stderr, /^\s+at /m);
  if (outcome.code === 2) {
    assert.equal(lines.length, 1, 'exit 2 without a message');
    assert.match(lines[0]!, /^error: /);
  }
}

/** The certificate a file holds for node (OpenSSL): the first PEM block's DER, or the bytes as DER. */
function firstCertificate(bytes: Buffer): X509Certificate {
  const text = bytes.toString('utf8');
  const [block] = parsePemBlocks(text);
  return new X509Certificate(block ? block.der : bytes);
}

const der = (pem: string) => parsePemBlocks(pem).map((b) => b.der);
const fixture = (name: string): Seed => ({
  name,
  label: 'CERTIFICATE',
  ders: der(readFileSync(new URL(`../fixtures/parser-crashers/${name}`, import.meta.url), 'utf8')),
});

describe('parsers under damaged input (fast-check, fixed seed)', () => {
  let dir: string;
  let n = 0;
  let certificates: Seed[];
  let cas: Array<{ seed: Seed; keyPem: string; key: KeyObject }>;
  let keys: Array<{ seed: Seed; caPem: string }>;
  let requests: Seed[];
  let leafPem: string;
  let caPem: string;
  /** gen leaf runs that exited 0 but wrote a leaf its CA certificate does not verify. */
  const unverifiable: string[] = [];

  /** The inputs written for the case being checked, and for the last case that failed. */
  let written: string[] = [];
  let failed: string[] = [];

  /** A fresh path in the test's directory, holding `bytes` when given. */
  function file(bytes?: Buffer | string): string {
    const path = join(dir, `f${n++}`);
    if (bytes !== undefined) {
      writeFileSync(path, bytes);
      written.push(path);
    }
    return path;
  }

  /**
   * Checks `check` on RUNS cases, then reports how many ended with each exit code (or API outcome). The
   * mutations are the same on every run but the keys are fresh, so a failure keeps its (shrunk) case's
   * input files in a folder it names, to be replayed by hand.
   */
  async function property<T>(t: TestContext, arbitrary: fc.Arbitrary<T>, check: (value: T) => Promise<number | string>): Promise<void> {
    const seen = new Map<number | string, number>();
    const counted = async (value: T) => {
      written = [];
      try {
        const outcome = await check(value);
        seen.set(outcome, (seen.get(outcome) ?? 0) + 1);
      } catch (error) {
        failed = written;
        throw error;
      }
    };
    try {
      await fc.assert(fc.asyncProperty(arbitrary, counted), { seed: SEED, numRuns: RUNS, includeErrorInReport: true });
    } catch (error) {
      const kept = mkdtempSync(join(tmpdir(), 'tcld-fuzz-failure-'));
      for (const path of failed) copyFileSync(path, join(kept, basename(path)));
      throw new Error(`${(error as Error).message}\nthe failing case's input files are kept in ${kept}`);
    }
    const counts = [...seen].sort().map(([outcome, count]) => `${count} × ${typeof outcome === 'number' ? `exit ${outcome}` : outcome}`);
    t.diagnostic(`seed ${SEED}, ${RUNS} runs: ${counts.join(', ')}`);
  }

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tcld-fuzz-'));
    const now = new Date();
    const ecCa = await generateCertificateAuthority({ organization: 'fuzz', validityMs: 90 * DAY_MS, now });
    const rsaKey = testKey({ rsaBits: 2048 });
    const rsaCaPem = await makeTestCertificate({
      subject: testName(['2.5.4.10', 'fuzz'], ['2.5.4.3', 'rsa-root']),
      key: rsaKey,
      notBefore: new Date(now.getTime() - DAY_MS),
      notAfter: new Date(now.getTime() + 90 * DAY_MS),
    });
    const rsaKeyPem = rsaKey.export({ type: 'pkcs8', format: 'pem' }) as string;
    const leaf = await generateEndEntityCertificate({ ca: { certificate: ecCa.certificatePem, privateKey: ecCa.privateKeyPem }, organization: 'fuzz', now });
    const request = await createCertificateRequest({ organization: 'fuzz', commonName: 'worker' });
    leafPem = leaf.certificatePem;
    caPem = ecCa.certificatePem;

    const ecKey = createPrivateKey(ecCa.privateKeyPem);
    const certificate = (name: string, pem: string): Seed => ({ name, label: 'CERTIFICATE', ders: der(pem) });
    certificates = [
      certificate('ECDSA CA', ecCa.certificatePem),
      certificate('RSA CA', rsaCaPem),
      certificate('leaf', leaf.certificatePem),
      certificate('leaf and CA', leaf.certificatePem + ecCa.certificatePem),
      fixture('caA_pem.040.derflip'),
      fixture('good_pem.042.derflip'),
      fixture('tca_pem.039.derflip'),
    ];
    cas = [
      { seed: certificate('ECDSA CA', ecCa.certificatePem), keyPem: ecCa.privateKeyPem, key: ecKey },
      { seed: certificate('RSA CA', rsaCaPem), keyPem: rsaKeyPem, key: rsaKey },
      { seed: fixture('tca_pem.039.derflip'), keyPem: ecCa.privateKeyPem, key: ecKey },
    ];
    const keyDer = (key: KeyObject, type: 'pkcs8' | 'sec1' | 'pkcs1') => new Uint8Array(key.export({ type, format: 'der' } as never) as Buffer);
    keys = [
      { seed: { name: 'EC PKCS#8', label: 'PRIVATE KEY', ders: [keyDer(ecKey, 'pkcs8')] }, caPem: ecCa.certificatePem },
      { seed: { name: 'EC SEC1', label: 'EC PRIVATE KEY', ders: [keyDer(ecKey, 'sec1')] }, caPem: ecCa.certificatePem },
      { seed: { name: 'RSA PKCS#1', label: 'RSA PRIVATE KEY', ders: [keyDer(rsaKey, 'pkcs1')] }, caPem: rsaCaPem },
      { seed: { name: 'RSA PKCS#8', label: 'PRIVATE KEY', ders: [keyDer(rsaKey, 'pkcs8')] }, caPem: rsaCaPem },
    ];
    requests = [{ name: 'P-384 request', label: 'CERTIFICATE REQUEST', ders: der(request.requestPem) }];
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('cert inspect prints the certificates it was given, or says in one line why it cannot', async (t) => {
    await property(t, mutantOf(7), async (mutant: Mutant) => {
      const bytes = applyMutant(certificates[mutant.seed]!, mutant);
      const outcome = await tcld('cert', 'inspect', file(bytes), '--output', 'json');
      assertClear(outcome);
      assert.notEqual(outcome.code, 1);
      if (outcome.code === 0) {
        const details = JSON.parse(outcome.stdout) as Array<{ fingerprints: { sha256: string } }>;
        assert.equal(details[0]!.fingerprints.sha256, firstCertificate(bytes).fingerprint256);
      }
      return outcome.code;
    });
  });

  it('cert verify admits a damaged client certificate only when its CA signed it, and refuses a damaged bundle clearly', async (t) => {
    const caPath = file(caPem);
    const leafPath = file(leafPem);
    const caKey = new X509Certificate(caPem).publicKey;
    await property(t, fc.tuple(mutantOf(7), fc.boolean()), async ([mutant, damageBundle]) => {
      const bytes = applyMutant(certificates[mutant.seed]!, mutant);
      const damaged = file(bytes);
      const outcome = await tcld('cert', 'verify', '--cert', damageBundle ? leafPath : damaged, '--ca-bundle', damageBundle ? damaged : caPath);
      assertClear(outcome, { verdict: true });
      if (outcome.code === 0 && !damageBundle) assert.ok(firstCertificate(bytes).verify(caKey), 'admitted a certificate its CA did not sign');
      return outcome.code;
    });
  });

  it('gen leaf with a damaged CA certificate issues from it only when it is sound, and otherwise writes nothing', async (t) => {
    await property(t, mutantOf(cas.length), async (mutant: Mutant) => {
      const ca = cas[mutant.seed]!;
      const bytes = applyMutant(ca.seed, mutant);
      return genLeaf(['--ca-cert', file(bytes), '--ca-key', file(ca.keyPem)], bytes);
    });
    assert.deepEqual(unverifiable.splice(0), [], 'gen leaf wrote leaves their CA does not verify');
  });

  it('gen leaf with a damaged CA key issues only with the CA certificate\'s key, and otherwise writes nothing', async (t) => {
    await property(t, mutantOf(keys.length), async (mutant: Mutant) => {
      const { seed, caPem: certificatePem } = keys[mutant.seed]!;
      return genLeaf(['--ca-cert', file(certificatePem), '--ca-key', file(applyMutant(seed, mutant))], Buffer.from(certificatePem));
    });
    assert.deepEqual(unverifiable.splice(0), [], 'gen leaf wrote leaves their CA does not verify');
  });

  it('gen leaf --csr with a damaged request issues only for a request whose signature verifies, and otherwise writes nothing', async (t) => {
    await property(t, mutantOf(requests.length), async (mutant: Mutant) => {
      const request = file(applyMutant(requests[mutant.seed]!, mutant));
      return genLeaf(['--ca-cert', file(caPem), '--ca-key', file(cas[0]!.keyPem), '--csr', request], Buffer.from(caPem));
    });
    assert.deepEqual(unverifiable.splice(0), [], 'gen leaf wrote leaves their CA does not verify');
  });

  // genLeaf counts a written leaf that its CA does not verify rather than failing the property, so that
  // the property keeps checking every other case; each test then says there were none (gen leaf checks
  // the CA's signatures and the new leaf before it writes anything).
  /** Runs gen leaf; exit 0 wrote a certificate that chains to the CA given, anything else wrote nothing. */
  async function genLeaf(args: string[], caBytes: Buffer): Promise<number | string> {
    const certificate = file();
    const key = args.includes('--csr') ? [] : ['--key', file()];
    const before = readdirSync(dir).length;
    const outcome = await tcld('gen', 'leaf', '--org', 'fuzz', ...args, '--cert', certificate, ...key, '--auto_confirm');
    assertClear(outcome);
    if (outcome.code !== 0) {
      assert.equal(readdirSync(dir).length, before, 'a refused gen leaf wrote a file');
      return outcome.code;
    }
    const issued = new X509Certificate(readFileSync(certificate));
    const issuer = firstCertificate(caBytes);
    if (issued.checkIssued(issuer) && issued.verify(issuer.publicKey)) return outcome.code;
    unverifiable.push(args.join(' '));
    return 'exit 0, a leaf its CA does not verify';
  }


  it("the API's bundle validation accepts a sound bundle or refuses it with INVALID_ARGUMENT and one short line", async (t) => {
    const spec = { name: 'fuzz', regions: ['aws-us-east-1'], retentionDays: 7 };
    await property(t, mutantOf(7), async (mutant: Mutant) => {
      const bytes = applyMutant(certificates[mutant.seed]!, mutant);
      try {
        validateSpec({ ...spec, mtlsAuth: { enabled: true, acceptedClientCa: bytes } }, { now: new Date() });
        return 'accepted';
      } catch (error) {
        assert.ok(error instanceof ApiError, `not an API error: ${String(error)}`);
        assert.equal(error.code, 3 /* INVALID_ARGUMENT */);
        assert.doesNotMatch(error.message, /\n/);
        assert.ok(error.message.length <= 2 * MAX_ERROR, `a ${error.message.length}-character message`);
        return 'INVALID_ARGUMENT';
      }
    });
  });
});
