/**
 * Refused commands: each must exit non-zero with exactly one `error: …` line on stderr, no stack trace,
 * and leave the folder as it was (no new file, no temporary file), even with AUTO_CONFIRM=true.
 * Usage errors and unusable input exit 2, errors of the world (a file that cannot be written) exit 1;
 * 70 is kept for tcld's own bugs.
 */
import assert from 'node:assert/strict';
import { cpSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generateCertificateAuthority } from '../../src/pki/ca.js';
import {
  DAY,
  HAS_OPENSSL,
  HOUR,
  assertExit,
  assertOneLineError,
  freshFolder,
  listing,
  makeCa,
  makeLeaf,
  openssl,
  readCertificate,
  removeFolders,
  tcld,
  type RunResult,
} from './helpers.js';

interface Fixtures {
  folder: string;
  /** The CN of ca.pem, to ask for a leaf with the very same subject. */
  caCommonName: string;
}

interface BadCase {
  title: string;
  args: (fixtures: Fixtures) => string[];
  code: 1 | 2;
  /** Exit 2 for an input that cannot be used (a bad file, a bad value): one line, without the pointer to --help. */
  input?: boolean;
  message: RegExp;
  /** Replaces the default environment, AUTO_CONFIRM=true. */
  env?: Record<string, string>;
  needsOpenssl?: boolean;
}

const ca = (...args: string[]) => () => ['gen', 'ca', ...args];
const leaf =
  (...args: string[]) =>
  () => ['gen', 'leaf', '--org', 'myco', ...args];
const leafFrom = (caCert: string, caKey: string, ...args: string[]) =>
  leaf('--ca-cert', caCert, '--ca-key', caKey, '--cert', 'out.pem', '--key', 'out.key', ...args);

const CASES: BadCase[] = [
  {
    title: 'gen ca without --org',
    args: ca('-d', '1y', '--ca-cert', 'n.pem', '--ca-key', 'n.key'),
    code: 2,
    message: /required flag --organization not set/,
  },
  {
    title: 'gen ca with a blank --org "  "',
    args: ca('--org', '  ', '-d', '1y', '--ca-cert', 'n.pem', '--ca-key', 'n.key'),
    code: 2,
    input: true,
    message: /organization must not be blank/,
  },
  {
    title: 'gen ca with -d 1w (no such unit)',
    args: ca('--org', 'myco', '-d', '1w', '--ca-cert', 'n.pem', '--ca-key', 'n.key'),
    code: 2,
    message: /validity-period.*"1w"/,
  },
  {
    title: 'gen ca with -d 7d (not more than 7 days)',
    args: ca('--org', 'myco', '-d', '7d', '--ca-cert', 'n.pem', '--ca-key', 'n.key'),
    code: 2,
    input: true,
    message: /7d is out of range/,
  },
  {
    title: 'gen ca with -d 366d (more than a year)',
    args: ca('--org', 'myco', '-d', '366d', '--ca-cert', 'n.pem', '--ca-key', 'n.key'),
    code: 2,
    input: true,
    message: /366d is out of range/,
  },
  {
    title: 'gen ca without -d',
    args: ca('--org', 'myco', '--ca-cert', 'n.pem', '--ca-key', 'n.key'),
    code: 2,
    message: /required flag --validity-period not set/,
  },
  {
    title: 'gen ca with an unknown flag',
    args: ca('--org', 'myco', '-d', '1y', '--ca-cert', 'n.pem', '--ca-key', 'n.key', '--bogus'),
    code: 2,
    message: /flag provided but not defined: --bogus/,
  },
  { title: 'the unknown command tcld gen bogus', args: () => ['gen', 'bogus'], code: 2, message: /unknown command "bogus"/ },
  {
    title: 'gen ca with a folder as the certificate path',
    args: ca('--org', 'myco', '-d', '1y', '--ca-cert', 'dir', '--ca-key', 'n.key'),
    code: 1,
    message: /directory: dir/,
  },
  {
    title: 'gen ca into a folder that does not exist',
    args: ca('--org', 'myco', '-d', '1y', '--ca-cert', 'missing/n.pem', '--ca-key', 'missing/n.key'),
    code: 1,
    message: /folder missing does not exist/,
  },
  {
    title: 'gen ca with one path for the certificate and the key',
    args: ca('--org', 'myco', '-d', '1y', '--ca-cert', 'same', '--ca-key', 'same'),
    code: 2,
    message: /two different paths/,
  },
  {
    title: 'gen ca with one file spelled two ways for the certificate and the key (ca2.pem and ./ca2.pem)',
    args: ca('--org', 'myco', '-d', '1y', '--ca-cert', 'ca2.pem', '--ca-key', './ca2.pem'),
    code: 2,
    message: /two different paths/,
  },
  {
    title: 'gen ca with AUTO_CONFIRM=maybe in the environment',
    args: ca('--org', 'myco', '-d', '1y', '--ca-cert', 'n.pem', '--ca-key', 'n.key'),
    env: { AUTO_CONFIRM: 'maybe' },
    code: 2,
    message: /AUTO_CONFIRM=maybe is not a boolean/,
  },
  {
    title: 'gen leaf without --org',
    args: () => ['gen', 'leaf', '--ca-cert', 'ca.pem', '--ca-key', 'ca.key', '--cert', 'o.pem', '--key', 'o.key'],
    code: 2,
    message: /required flag --organization not set/,
  },
  {
    title: 'gen leaf with a CA certificate file that does not exist',
    args: leafFrom('nope.pem', 'ca.key'),
    code: 2,
    input: true,
    message: /cannot read CA certificate file nope\.pem/,
  },
  {
    title: 'gen leaf with a CA certificate path that cannot be read (a folder)',
    args: leafFrom('dir', 'ca.key'),
    code: 2,
    input: true,
    message: /cannot read CA certificate file dir/,
  },
  {
    title: 'gen leaf with a CA key file that does not exist',
    args: leafFrom('ca.pem', 'nope.key'),
    code: 2,
    input: true,
    message: /cannot read CA key file nope\.key/,
  },
  {
    title: 'gen leaf with a CA certificate file of garbage text',
    args: leafFrom('garbage.pem', 'ca.key'),
    code: 2,
    input: true,
    message: /no PEM certificate/,
  },
  {
    title: 'gen leaf with a CA certificate whose base64 is truncated',
    args: leafFrom('truncated.pem', 'ca.key'),
    code: 2,
    input: true,
    message: /malformed/,
  },
  {
    title: 'gen leaf with a leaf certificate as the CA certificate',
    args: leafFrom('leaf.pem', 'leaf.key'),
    code: 2,
    input: true,
    message: /is not a CA/,
  },
  {
    title: 'gen leaf with the key of another CA',
    args: leafFrom('ca.pem', 'other.key'),
    code: 2,
    input: true,
    message: /CA key does not belong to the CA certificate/,
  },
  {
    title: 'gen leaf with an encrypted CA key',
    args: leafFrom('ca.pem', 'encrypted.key'),
    code: 2,
    input: true,
    message: /CA key is encrypted/,
    needsOpenssl: true,
  },
  {
    title: 'gen leaf with an Ed25519 CA',
    args: leafFrom('ed25519.pem', 'ed25519.key'),
    code: 2,
    input: true,
    message: /unsupported key type ed25519/,
    needsOpenssl: true,
  },
  {
    title: 'gen leaf with an Ed25519 key for an ECDSA CA',
    args: leafFrom('ca.pem', 'ed25519.key'),
    code: 2,
    input: true,
    message: /unsupported key type ed25519|does not belong/,
    needsOpenssl: true,
  },
  {
    title: 'gen leaf with a CA whose key usage lacks keyCertSign',
    args: leafFrom('nosign.pem', 'nosign.key'),
    code: 2,
    input: true,
    message: /keyCertSign/,
    needsOpenssl: true,
  },
  { title: 'gen leaf with an expired CA', args: leafFrom('expired.pem', 'expired.key'), code: 2,
    input: true, message: /CA certificate expired on/ },
  {
    title: 'gen leaf with a CA that is not valid yet',
    args: leafFrom('future.pem', 'future.key'),
    code: 2,
    input: true,
    message: /not valid before/,
  },
  {
    title: 'gen leaf with -d 2y from a 1y CA',
    args: leafFrom('ca.pem', 'ca.key', '-d', '2y'),
    code: 2,
    input: true,
    message: /outlive its CA .* by 36[45]d[\dhms]*: use at most 36[45]d/,
  },
  {
    title: 'gen leaf with -d 0',
    args: leafFrom('ca.pem', 'ca.key', '-d', '0'),
    code: 2,
    input: true,
    message: /must be positive/,
  },
  {
    title: 'gen leaf with one path for the certificate and the key',
    args: leaf('--ca-cert', 'ca.pem', '--ca-key', 'ca.key', '--cert', 'same', '--key', 'same'),
    code: 2,
    message: /two different paths/,
  },
  {
    title: 'gen leaf with one file spelled two ways for the certificate and the key (out.pem and dir/../out.pem)',
    args: leaf('--ca-cert', 'ca.pem', '--ca-key', 'ca.key', '--cert', 'out.pem', '--key', 'dir/../out.pem'),
    code: 2,
    message: /two different paths/,
  },
  {
    title: 'gen leaf without -d from a CA that expires within 24 hours',
    args: leafFrom('ending.pem', 'ending.key'),
    code: 2,
    input: true,
    message: /too soon to issue a certificate/,
  },
  {
    title: "gen leaf whose --key is its own CA's key file",
    args: leaf('--ca-cert', 'ca.pem', '--ca-key', 'ca.key', '--cert', 'out.pem', '--key', './ca.key'),
    code: 2,
    message: /\.\/ca\.key is the --ca-key-file file/,
  },
  {
    title: 'gen leaf with a folder as the key path',
    args: leaf('--ca-cert', 'ca.pem', '--ca-key', 'ca.key', '--cert', 'out.pem', '--key', 'dir'),
    code: 1,
    message: /directory: dir/,
  },
  {
    title: "gen leaf with --common-name equal to its CA's CN (same subject as the CA)",
    args: ({ caCommonName }) => leafFrom('ca.pem', 'ca.key', '--common-name', caCommonName)(),
    code: 2,
    input: true,
    message: /distinct names/,
  },
];

/** Every input the cases need, made once; each case runs in its own copy. */
async function makeFixtures(): Promise<Fixtures> {
  const folder = freshFolder();
  await makeCa(folder, 'ca.pem', 'ca.key');
  await makeCa(folder, 'other.pem', 'other.key');
  await makeLeaf(folder, { certificate: 'ca.pem', key: 'ca.key' }, { certificate: 'leaf.pem', key: 'leaf.key' });
  writeFileSync(join(folder, 'garbage.pem'), 'this is not a certificate\n');
  const lines = readFileSync(join(folder, 'ca.pem'), 'utf8').trim().split('\n');
  writeFileSync(join(folder, 'truncated.pem'), [...lines.slice(0, Math.ceil(lines.length / 2)), lines.at(-1)].join('\n') + '\n');
  const write = async (name: string, now: Date) => {
    const made = await generateCertificateAuthority({ organization: name, validityMs: 30 * DAY, now });
    writeFileSync(join(folder, `${name}.pem`), made.certificatePem);
    writeFileSync(join(folder, `${name}.key`), made.privateKeyPem, { mode: 0o600 });
  };
  await write('expired', new Date(Date.now() - 400 * DAY));
  await write('future', new Date(Date.now() + 10 * DAY));
  await write('ending', new Date(Date.now() - 30 * DAY + 12 * HOUR)); // 30 days of validity, 12 hours left
  if (HAS_OPENSSL) {
    openssl(['pkey', '-in', 'ca.key', '-aes256', '-passout', 'pass:x', '-out', 'encrypted.key'], folder);
    openssl(['genpkey', '-algorithm', 'ed25519', '-out', 'ed25519.key'], folder);
    const caExtensions = ['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign'];
    const ed25519Ca = ['req', '-x509', '-key', 'ed25519.key', '-out', 'ed25519.pem', '-days', '30', '-subj', '/O=x/CN=ed25519 CA'];
    openssl([...ed25519Ca, ...caExtensions], folder);
    const newP256 = ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256', '-nodes', '-days', '30'];
    const noSign = ['-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,digitalSignature'];
    openssl([...newP256, '-keyout', 'nosign.key', '-out', 'nosign.pem', '-subj', '/O=x/CN=no sign', ...noSign], folder);
  }
  mkdirSync(join(folder, 'dir')); // a folder to pass where a file is expected
  writeFileSync(join(folder, 'dir', 'inside.txt'), 'keeps the folder non-empty\n');
  const caCommonName = /CN=(.*)$/.exec(readCertificate(join(folder, 'ca.pem')).subject)![1]!;
  return { folder, caCommonName };
}

describe('bad input', { concurrency: 4 }, () => {
  let fixtures: Promise<Fixtures>;
  before(() => {
    fixtures = makeFixtures();
  });
  after(removeFolders);

  for (const bad of CASES) {
    describe(bad.title, { skip: bad.needsOpenssl && !HAS_OPENSSL ? 'openssl is not installed' : false }, () => {
      let run: Promise<{ result: RunResult; before: string[]; after: string[] }> | undefined;
      /** Runs the case once, in a fresh copy of the fixtures, for both tests below. */
      const outcome = () =>
        (run ??= (async () => {
          const fx = await fixtures;
          const folder = freshFolder();
          cpSync(fx.folder, folder, { recursive: true });
          const before = listing(folder);
          const result = await tcld(bad.args(fx), { cwd: folder, env: bad.env ?? { AUTO_CONFIRM: 'true' } });
          return { result, before, after: listing(folder) };
        })());

      it('fails with one error line naming the problem, no stack trace, and nothing written', async () => {
        const { result, before, after } = await outcome();
        assert.deepEqual(after, before, 'the folder changed');
        assert.equal(result.stdout, '');
        assertOneLineError(result, bad.message); // last, so that a wrong message is reported only once the rest holds
      });

      const kind = bad.input ? 'bad input' : bad.code === 2 ? 'a usage error' : 'a user error';
      it(`exits ${bad.code} as ${kind}, not as an internal error`, async () => {
        const { result } = await outcome();
        assert.doesNotMatch(result.stderr, /internal error|a bug in tcld/);
        assert.equal(result.code, bad.code, result.stderr);
        if (bad.code === 2) assert.match(result.stderr, bad.input ? /^(?![\s\S]*--help)/ : /--help/);
      });
    });
  }

  it('gen leaf from a CA that expires within 24 hours still issues a certificate with a short -d 1h', async () => {
    const folder = freshFolder();
    cpSync((await fixtures).folder, folder, { recursive: true });
    const result = await tcld(leafFrom('ending.pem', 'ending.key', '-d', '1h')(), { cwd: folder, env: { AUTO_CONFIRM: 'true' } });
    assertExit(result, 0);
    assert.equal(readCertificate(join(folder, 'out.pem')).checkIssued(readCertificate(join(folder, 'ending.pem'))), true);
  });
});
