/** Help and version: exit 0, on stdout, naming every command, alias and flag as tcld spells them. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { assertExit, freshFolder, listing, removeFolders, tcld, type RunResult } from './helpers.js';

const VERSION = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;

async function help(args: string[]): Promise<RunResult> {
  const result = await tcld(args, { cwd: freshFolder() });
  assertExit(result, 0);
  assert.equal(result.stderr, '');
  return result;
}

function assertLists(text: string, names: string[]): void {
  for (const name of names) assert.ok(text.includes(name), `help lacks ${JSON.stringify(name)}:\n${text}`);
}

describe('help', { concurrency: 4 }, () => {
  after(removeFolders);

  it('tcld --help lists the command groups with their aliases and the global flags', async () => {
    const { stdout } = await help(['--help']);
    assert.match(stdout, /^NAME:\n {3}tcld - /);
    assertLists(stdout, ['generate-certificates, gen', 'version, v', '--auto_confirm, --auto-confirm', '$AUTO_CONFIRM', '--help, -h']);
  });

  it('tcld -h and tcld without arguments print the same help', async () => {
    const full = (await help(['--help'])).stdout;
    assert.equal((await help(['-h'])).stdout, full);
    assert.equal((await help([])).stdout, full);
  });

  it('tcld gen --help lists both commands with their aliases', async () => {
    const { stdout } = await help(['gen', '--help']);
    assertLists(stdout, ['tcld generate-certificates', 'certificate-authority-certificate, ca', 'end-entity-certificate, leaf']);
  });

  it('tcld gen ca --help lists every flag of gen ca under both names, and the example', async () => {
    const { stdout } = await help(['gen', 'ca', '--help']);
    assertLists(stdout, [
      'tcld generate-certificates certificate-authority-certificate',
      '--organization value, --org value',
      '--validity-period value, -d value',
      '--ca-certificate-file value, --ca-cert value',
      '--ca-key-file value, --ca-key value',
      '--rsa-algorithm, --rsa',
      '--auto_confirm, --auto-confirm',
      'tcld gen ca --org myco -d 1y --ca-cert ca.pem --ca-key ca.key',
    ]);
    assert.match(stdout, /ALIASES:\n {3}ca\n/);
  });

  it('tcld generate-certificates end-entity-certificate --help lists every flag of gen leaf under both names', async () => {
    const { stdout } = await help(['generate-certificates', 'end-entity-certificate', '--help']);
    assertLists(stdout, [
      '--organization value, --org value',
      '--organization-unit value, --organizational-unit value',
      '--common-name value',
      '--validity-period value, -d value',
      '--ca-certificate-file value, --ca-cert value',
      '--ca-key-file value, --ca-key value',
      '--certificate-file value, --cert value',
      '--key-file value, --key value',
      '--auto_confirm, --auto-confirm',
      'tcld gen leaf --org myco --ca-cert ca.pem --ca-key ca.key --cert client.pem --key client.key',
    ]);
    assert.match(stdout, /ALIASES:\n {3}leaf\n/);
  });

  it('tcld gen leaf --help is the same page as the long spelling', async () => {
    const long = (await help(['generate-certificates', 'end-entity-certificate', '--help'])).stdout;
    assert.equal((await help(['gen', 'leaf', '--help'])).stdout, long);
  });

  it('--help wins over a complete command line: it writes nothing and asks nothing', async () => {
    const folder = freshFolder();
    const args = '--auto_confirm gen ca --org myco -d 1y --ca-cert ca.pem --ca-key ca.key --help'.split(' ');
    const result = await tcld(args, { cwd: folder });
    assertExit(result, 0);
    assert.match(result.stdout, /--validity-period value, -d value/);
    assert.deepEqual(listing(folder), []);
  });
});

describe('version', () => {
  after(removeFolders);

  it(`tcld version prints the package version`, async () => {
    const { stdout } = await help(['version']);
    assert.match(stdout, new RegExp(`^Version: ${VERSION.replace(/\./g, '\\.')}\\b`));
  });

  it('tcld v is an alias of tcld version', async () => {
    assert.equal((await help(['v'])).stdout, (await help(['version'])).stdout);
  });

  it('tcld --version prints the version on one line', async () => {
    const { stdout } = await help(['--version']);
    assert.equal(stdout, `tcld version ${VERSION}\n`);
  });
});
