import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageError } from '../errors.js';
import { parseOptions } from './parse.js';
import { allCommands, resolveCommand } from './resolve.js';
import { isGroup } from './spec.js';
import { COMMAND_TABLE, GLOBAL_FLAGS } from './table.js';

const commands = allCommands(COMMAND_TABLE);
const everyFlag = [...GLOBAL_FLAGS, ...commands.flatMap((c) => c.spec.flags)];

/** What the CLI would hand the handler: the command's canonical path and its options. */
function route(argv: string[], env: Record<string, string> = {}) {
  const resolved = resolveCommand(COMMAND_TABLE, argv, everyFlag);
  assert.ok(!isGroup(resolved.node), `argv ${argv.join(' ')} names a group`);
  const entry = commands.find((c) => c.spec === resolved.node)!;
  const options = parseOptions(entry.paths, [...entry.spec.flags, ...GLOBAL_FLAGS], argv, env, entry.spec.args);
  const given = Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined));
  return { path: resolved.path.join(' '), options: given };
}

const CA = 'generate-certificates certificate-authority-certificate';
const LEAF = 'generate-certificates end-entity-certificate';

const cases: Array<[string, string[], Record<string, string>, string, Record<string, unknown>]> = [
  ['the announcement\'s gen ca', ['gen', 'ca', '--org', 'myco', '-d', '1y', '--ca-cert', 'ca.pem', '--ca-key', 'ca.key'], {}, CA,
    { organization: 'myco', validityPeriod: '1y', caCertificateFile: 'ca.pem', caKeyFile: 'ca.key' }],
  ['gen ca spelled out in full', ['generate-certificates', 'certificate-authority-certificate', '--organization=myco', '--validity-period', '90d', '--ca-certificate-file', 'ca.crt', '--ca-key-file', 'ca.key', '--rsa-algorithm'], {}, CA,
    { organization: 'myco', validityPeriod: '90d', caCertificateFile: 'ca.crt', caKeyFile: 'ca.key', rsaAlgorithm: true }],
  ['a global flag before the command and --rsa', ['--auto_confirm', 'gen', 'ca', '--rsa', '--org', 'o', '-d', '8d', '--ca-cert', 'c', '--ca-key', 'k'], {}, CA,
    { organization: 'o', validityPeriod: '8d', caCertificateFile: 'c', caKeyFile: 'k', rsaAlgorithm: true, autoConfirm: true }],
  ['AUTO_CONFIRM from the environment', ['gen', 'ca', '--org', 'o', '-d', '8d', '--ca-cert', 'c', '--ca-key', 'k'], { AUTO_CONFIRM: 'true' }, CA,
    { organization: 'o', validityPeriod: '8d', caCertificateFile: 'c', caKeyFile: 'k', autoConfirm: true }],
  ['the announcement\'s gen leaf', ['gen', 'leaf', '--org', 'myco', '--ca-cert', 'ca.pem', '--ca-key', 'ca.key', '--cert', 'client.pem', '--key', 'client.key'], {}, LEAF,
    { organization: 'myco', caCertificateFile: 'ca.pem', caKeyFile: 'ca.key', certificateFile: 'client.pem', keyFile: 'client.key' }],
  ['gen leaf with every optional flag and --auto-confirm', ['generate-certificates', 'leaf', '--org', 'o', '--organizational-unit', 'ou', '--common-name', 'cn', '-d', '30d', '--ca-certificate-file', 'c', '--ca-key-file', 'k', '--certificate-file', 'l.pem', '--key-file', 'l.key', '--auto-confirm'], {}, LEAF,
    { organization: 'o', organizationUnit: 'ou', commonName: 'cn', validityPeriod: '30d', caCertificateFile: 'c', caKeyFile: 'k', certificateFile: 'l.pem', keyFile: 'l.key', autoConfirm: true }],
  ['version', ['version'], {}, 'version', {}],
  ['the announcement\'s n ca a with connection flags before the command', ['--api-key', 'K', '--insecure', '-s', '127.0.0.1:7390', 'n', 'ca', 'a', '-n', 'myns.acct', '-f', 'ca.pem'], {}, 'namespace accepted-client-ca add',
    { apiKey: 'K', insecure: true, server: '127.0.0.1:7390', namespace: 'myns.acct', caCertificateFile: 'ca.pem' }],
  ['n ca l with the connection from the environment and flags after the command', ['n', 'ca', 'l', '-n', 'ns', '--api-key', 'K', '-o', 'table'], { TEMPORAL_CLOUD_API_SERVER: 'h:1' }, 'namespace accepted-client-ca list',
    { namespace: 'ns', apiKey: 'K', output: 'table', server: 'h:1' }],
  ['the namespace from TEMPORAL_CLOUD_NAMESPACE and the default server', ['namespace', 'get'], { TEMPORAL_CLOUD_NAMESPACE: 'ns.acct', TEMPORAL_CLOUD_API_KEY: 'K' }, 'namespace get',
    { namespace: 'ns.acct', apiKey: 'K', server: 'saas-api.tmprl.cloud:443' }],
  ['n ca r by fingerprint with every mutation flag', ['n', 'ca', 'r', '-n', 'ns', '--fp', 'ab12', '-r', 'req-1', '-v', 'rv-1', '--idempotent', '--wait', '--remove-expired', '--auto_confirm'], {}, 'namespace accepted-client-ca remove',
    { namespace: 'ns', caCertificateFingerprint: 'ab12', requestId: 'req-1', resourceVersion: 'rv-1', idempotent: true, wait: true, removeExpired: true, autoConfirm: true, server: 'saas-api.tmprl.cloud:443' }],
  ['n cf imp with -i', ['n', 'cf', 'imp', '-n', 'ns', '-i', '{"filters":[]}'], {}, 'namespace certificate-filters import',
    { namespace: 'ns', certificateFilterInput: '{"filters":[]}', server: 'saas-api.tmprl.cloud:443' }],
  ['r g', ['r', 'g', '-r', 'op-1', '--wait'], {}, 'request get', { requestId: 'op-1', wait: true, server: 'saas-api.tmprl.cloud:443' }],
  ['n l with tcld\'s paging flags and --output', ['n', 'l', '--page-size', '2', '--page-token', 't0', '-o', 'table'], {}, 'namespace list',
    { pageSize: '2', pageToken: 't0', output: 'table', server: 'saas-api.tmprl.cloud:443' }],
  ['r g with --output api', ['r', 'g', '-r', 'op-1', '--output', 'api'], {}, 'request get', { requestId: 'op-1', output: 'api', server: 'saas-api.tmprl.cloud:443' }],
  ['dev-server with repeated keys and namespaces', ['dev-server', '--api-key', 'a', '--api-key', 'b', '--namespace', 'x.acct', '--port', '0'], {}, 'dev-server',
    { apiKey: ['a', 'b'], namespace: ['x.acct'], port: '0', ip: '127.0.0.1', account: 'local', asyncDelay: '200ms', gatewayPort: '7233' }],
];

describe('the command table', () => {
  for (const [label, argv, env, path, options] of cases) {
    it(`routes ${label} to its handler with its options`, () => {
      assert.deepEqual(route(argv, env), { path, options });
    });
  }

  it('refuses a missing required flag by its tcld name', () => {
    assert.throws(() => route(['gen', 'ca', '--org', 'o', '--ca-cert', 'c', '--ca-key', 'k']), (e: unknown) => e instanceof UsageError && /required flag --validity-period not set/.test(e.message));
  });

  it('takes positional arguments, and refuses a missing required one', () => {
    assert.deepEqual(route(['cert', 'check-expiry', 'a.pem', 'b.pem', '--within', '7d']), {
      path: 'certificates check-expiry',
      options: { files: ['a.pem', 'b.pem'], within: '7d' },
    });
    assert.deepEqual(route(['cert', 'inspect', '-o', 'json', 'a.pem']), { path: 'certificates inspect', options: { file: 'a.pem', output: 'json' } });
    assert.throws(() => route(['cert', 'check-expiry']), /missing argument <file>/);
  });

  it('refuses an unknown flag and a flag without its value', () => {
    assert.throws(() => route(['gen', 'ca', '--bogus']), /flag provided but not defined: --bogus/);
    assert.throws(() => route(['gen', 'ca', '--org']), /flag needs an argument: --org/);
  });

  it('refuses an AUTO_CONFIRM that is not a boolean', () => {
    assert.throws(() => route(['gen', 'ca', '--org', 'o', '-d', '8d', '--ca-cert', 'c', '--ca-key', 'k'], { AUTO_CONFIRM: 'maybe' }), /AUTO_CONFIRM=maybe is not a boolean/);
  });

  it('reports the first word that names no command, and --help anywhere', () => {
    const resolved = resolveCommand(COMMAND_TABLE, ['gen', 'bogus', '--help'], everyFlag);
    assert.equal(resolved.unknown, 'bogus');
    assert.equal(resolved.help, true);
    assert.deepEqual(resolved.path, ['generate-certificates']);
  });

  it('does not mistake a flag value for a command', () => {
    const resolved = resolveCommand(COMMAND_TABLE, ['gen', 'ca', '--org', 'leaf'], everyFlag);
    assert.deepEqual(resolved.path, ['generate-certificates', 'certificate-authority-certificate']);
    assert.equal(resolved.unknown, undefined);
  });

  it('loads a handler with a run function for every command', async () => {
    for (const { spec } of commands) assert.equal(typeof (await spec.load()).run, 'function', spec.names[0]);
  });

  it('gives every command a description and one to three examples that start with tcld', () => {
    for (const { spec } of commands) {
      assert.ok(spec.description.length > 0);
      assert.ok(spec.examples.length >= 1 && spec.examples.length <= 3, spec.names[0]);
      for (const example of spec.examples) assert.match(example, /^tcld /);
    }
  });
});
