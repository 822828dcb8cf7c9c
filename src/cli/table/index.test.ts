import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { UsageError } from '../../errors.js';
import { parseOptions } from '../parse.js';
import { allCommands, resolveCommand } from '../resolve.js';
import { isGroup } from '../spec.js';
import { COMMAND_TABLE } from './index.js';

const commands = allCommands(COMMAND_TABLE);

/** What the CLI would hand the handler: the command's canonical path and the options that were set. */
function route(argv: string[], env: Record<string, string> = {}) {
  const resolved = resolveCommand(COMMAND_TABLE, argv);
  assert.ok(!isGroup(resolved.node), `argv ${argv.join(' ')} names a group`);
  assert.equal(resolved.unknown, undefined);
  const options = parseOptions(resolved.node, argv, env, resolved.pathWords);
  const DEFAULT_SERVER = 'saas-api.tmprl.cloud:443';
  const given = Object.fromEntries(Object.entries(options).filter(([key, v]) => v !== undefined && !(key === 'server' && v === DEFAULT_SERVER)));
  return { path: resolved.path.join(' '), options: given };
}

const CA = 'generate-certificates certificate-authority-certificate';
const LEAF = 'generate-certificates end-entity-certificate';
const CA_FLAGS = { organization: 'myco', validityPeriod: '1y', caCertificateFile: 'ca.pem', caKeyFile: 'ca.key' };

const cases: Array<[string, string[], Record<string, string>, string, Record<string, unknown>]> = [
  ["the announcement's gen ca", ['gen', 'ca', '--org', 'myco', '-d', '1y', '--ca-cert', 'ca.pem', '--ca-key', 'ca.key'], {}, CA, CA_FLAGS],
  ['gen ca spelled out in full', ['generate-certificates', 'certificate-authority-certificate', '--organization=myco', '--validity-period', '90d', '--ca-certificate-file', 'ca.crt', '--ca-key-file', 'ca.key', '--rsa-algorithm'], {}, CA,
    { organization: 'myco', validityPeriod: '90d', caCertificateFile: 'ca.crt', caKeyFile: 'ca.key', rsaAlgorithm: true }],
  ["Go's single-dash long flags", ['gen', 'ca', '-org', 'myco', '-d', '1y', '-ca-cert', 'ca.pem', '-ca-key=ca.key'], {}, CA, CA_FLAGS],
  ['a double-dash short flag, as Go reads it', ['gen', 'ca', '--org', 'myco', '--d', '1y', '--ca-cert', 'ca.pem', '--ca-key', 'ca.key'], {}, CA, CA_FLAGS],
  ['a value that starts with - after =', ['gen', 'ca', '--org=-myco-', '-d', '1y', '--ca-cert', 'ca.pem', '--ca-key', 'ca.key'], {}, CA, { ...CA_FLAGS, organization: '-myco-' }],
  ['--auto_confirm=true and --rsa=false', ['gen', 'ca', ...['--org', 'myco', '-d', '1y', '--ca-cert', 'ca.pem', '--ca-key', 'ca.key'], '--auto_confirm=true', '--rsa=false'], {}, CA,
    { ...CA_FLAGS, autoConfirm: true, rsaAlgorithm: false }],
  ["a boolean's value as the next word, as tcld's docs write it (a command without arguments)", ['gen', 'ca', '--rsa-algorithm', 'true', ...['--org', 'myco', '-d', '1y', '--ca-cert', 'ca.pem', '--ca-key', 'ca.key'], '--auto_confirm', 'false'], {}, CA,
    { ...CA_FLAGS, rsaAlgorithm: true, autoConfirm: false }],
  ['--auto_confirm=false over AUTO_CONFIRM', ['gen', 'ca', ...['--org', 'myco', '-d', '1y', '--ca-cert', 'ca.pem', '--ca-key', 'ca.key'], '--auto_confirm=false'], { AUTO_CONFIRM: 'true' }, CA,
    { ...CA_FLAGS, autoConfirm: false }],
  ['every global flag before gen, ignored there', ['--server', 'h:1', '--api-key', 'K', '--insecure', '--tls-server-name', 'x', '--enable-debug-logs', '--idempotent', '--config-dir', '/c', '--auto_confirm', 'gen', 'ca', '--org', 'myco', '-d', '1y', '--ca-cert', 'ca.pem', '--ca-key', 'ca.key'], {}, CA,
    { ...CA_FLAGS, server: 'h:1', apiKey: 'K', insecure: true, tlsServerName: 'x', enableDebugLogs: true, idempotent: true, configDir: '/c', autoConfirm: true }],
  ['AUTO_CONFIRM from the environment', ['gen', 'ca', '--org', 'myco', '-d', '1y', '--ca-cert', 'ca.pem', '--ca-key', 'ca.key'], { AUTO_CONFIRM: '1' }, CA, { ...CA_FLAGS, autoConfirm: true }],
  ["the announcement's gen leaf", ['gen', 'leaf', '--org', 'myco', '--ca-cert', 'ca.pem', '--ca-key', 'ca.key', '--cert', 'client.pem', '--key', 'client.key'], {}, LEAF,
    { organization: 'myco', caCertificateFile: 'ca.pem', caKeyFile: 'ca.key', certificateFile: 'client.pem', keyFile: 'client.key' }],
  ['gen leaf with every optional flag and --auto-confirm', ['generate-certificates', 'leaf', '--org', 'o', '--organizational-unit', 'ou', '--common-name', 'cn', '-d', '30d', '--ca-certificate-file', 'c', '--ca-key-file', 'k', '--certificate-file', 'l.pem', '--key-file', 'l.key', '--auto-confirm'], {}, LEAF,
    { organization: 'o', organizationUnit: 'ou', commonName: 'cn', validityPeriod: '30d', caCertificateFile: 'c', caKeyFile: 'k', certificateFile: 'l.pem', keyFile: 'l.key', autoConfirm: true }],
  ['version', ['version'], {}, 'version', {}],
  ["the announcement's n ca a with connection flags before the command", ['--api-key', 'K', '--insecure', '-s', '127.0.0.1:7390', 'n', 'ca', 'a', '-n', 'myns.acct', '-f', 'ca.pem'], {}, 'namespace accepted-client-ca add',
    { apiKey: 'K', insecure: true, server: '127.0.0.1:7390', namespace: 'myns.acct', caCertificateFile: 'ca.pem' }],
  ["every tcld environment variable", ['n', 'ca', 'a', '-f', 'ca.pem'],
    { TEMPORAL_CLOUD_API_SERVER: 'h:1', TEMPORAL_CLOUD_API_KEY: 'K', TEMPORAL_CLOUD_INSECURE_CONNECTION: 'TRUE', TEMPORAL_CLOUD_TLS_SERVER_NAME: 'api.local', TEMPORAL_CLOUD_ENABLE_DEBUG_LOGS: 't', TEMPORAL_CLOUD_IDEMPOTENT: 'True', TEMPORAL_CLOUD_CONFIG_DIR: '/c', TEMPORAL_CLOUD_NAMESPACE: 'ns.acct', AUTO_CONFIRM: 'F' },
    'namespace accepted-client-ca add',
    { server: 'h:1', apiKey: 'K', insecure: true, tlsServerName: 'api.local', enableDebugLogs: true, idempotent: true, configDir: '/c', namespace: 'ns.acct', autoConfirm: false, caCertificateFile: 'ca.pem' }],
  ['n ca l with flags after the command', ['n', 'ca', 'l', '-n', 'ns', '--api-key', 'K', '-o', 'table'], { TEMPORAL_CLOUD_API_SERVER: 'h:1' }, 'namespace accepted-client-ca list',
    { namespace: 'ns', apiKey: 'K', output: 'table', server: 'h:1' }],
  ['the namespace from TEMPORAL_CLOUD_NAMESPACE', ['namespace', 'get'], { TEMPORAL_CLOUD_NAMESPACE: 'ns.acct', TEMPORAL_CLOUD_API_KEY: 'K' }, 'namespace get',
    { namespace: 'ns.acct', apiKey: 'K' }],
  ['n ca r by fingerprint with every mutation flag', ['n', 'ca', 'r', '-n', 'ns', '--fp', 'ab12', '-r', 'req-1', '-v', 'rv-1', '--idempotent', '--wait', '--remove-expired', '--auto_confirm'], {}, 'namespace accepted-client-ca remove',
    { namespace: 'ns', caCertificateFingerprint: 'ab12', requestId: 'req-1', resourceVersion: 'rv-1', idempotent: true, wait: true, removeExpired: true, autoConfirm: true }],
  ['n cf imp with -i', ['n', 'cf', 'imp', '-n', 'ns', '-i', '{"filters":[]}'], {}, 'namespace certificate-filters import', { namespace: 'ns', certificateFilterInput: '{"filters":[]}' }],
  ['r g', ['r', 'g', '-r', 'op-1', '--wait'], {}, 'request get', { requestId: 'op-1', wait: true }],
  ["r g with the -n of tcld's README (ignored)", ['r', 'g', '-r', 'op-1', '-n', 'ns'], { TEMPORAL_CLOUD_NAMESPACE: 'env-ns' }, 'request get', { requestId: 'op-1', namespace: 'ns' }],
  ["n l with tcld's paging flags and --output", ['n', 'l', '--page-size', '2', '--page-token', 't0', '-o', 'table'], {}, 'namespace list', { pageSize: '2', pageToken: 't0', output: 'table' }],
  ['r g with --output api', ['r', 'g', '-r', 'op-1', '--output', 'api'], {}, 'request get', { requestId: 'op-1', output: 'api' }],
  ['tcld ct as connectivity test', ['ct', '--address', 'h:7233', '--tls-cert-path', 'c.pem', '--tls-key-path', 'c.key'], {}, 'connectivity test',
    { address: 'h:7233', tlsCertPath: 'c.pem', tlsKeyPath: 'c.key' }],
  ['tcld ct test and connectivity test', ['connectivity', 'test', '--address', 'h:7233', '--tls-cert-path', 'c.pem', '--tls-key-path', 'c.key', '--tls-server-name', 'ns.acct.tmprl.local'], { TEMPORAL_CLOUD_TLS_SERVER_NAME: 'api.local' }, 'connectivity test',
    { address: 'h:7233', tlsCertPath: 'c.pem', tlsKeyPath: 'c.key', tlsServerName: 'ns.acct.tmprl.local' }],
  ["tcld login with tcld's hidden flags", ['login', '-d', 'http://127.0.0.1:9', '-a', 'aud', '-id', 'cid', '--disable-pop-up', '--config-dir', '/c'], {}, 'login',
    { domain: 'http://127.0.0.1:9', audience: 'aud', clientId: 'cid', disablePopUp: true, configDir: '/c' }],
  ['tcld l and tcld lo', ['l'], { TEMPORAL_CLOUD_CONFIG_DIR: '/c' }, 'login', { configDir: '/c' }],
  ['tcld lo with --domain', ['lo', '--domain', 'login.example.com', '--disable-pop-up'], {}, 'logout', { domain: 'login.example.com', disablePopUp: true }],
  ["ak c with tcld's short flags", ['ak', 'c', '-n', 'ci', '-desc', 'd', '-d', '30d', '-e', '2030-01-01T00:00:00Z', '-si', 'sa-1', '-r', 'req'], {}, 'apikey create',
    { name: 'ci', description: 'd', duration: '30d', expiry: '2030-01-01T00:00:00Z', serviceAccountId: 'sa-1', requestId: 'req' }],
  ['ak g', ['apikey', 'get', '--id', 'k'], {}, 'apikey get', { id: 'k' }],
  ['ak l with the owner filters', ['ak', 'l', '-oid', 'u', '-ot', 'service-account'], {}, 'apikey list', { ownerId: 'u', ownerType: 'service-account' }],
  ['ak d', ['ak', 'd', '-i', 'k', '-v', 'v1', '-r', 'r', '--wait'], {}, 'apikey delete', { id: 'k', resourceVersion: 'v1', requestId: 'r', wait: true }],
  ['ak da with --idempotent', ['ak', 'da', '-i', 'k', '--idempotent'], {}, 'apikey disable', { id: 'k', idempotent: true }],
  ['ak ea', ['ak', 'ea', '-i', 'k'], {}, 'apikey enable', { id: 'k' }],
  ['dev-server with repeated keys and namespaces', ['dev-server', '--api-key', 'a', '--api-key', 'b', '--namespace', 'x.acct', '--port', '0', '--auth-port', '0'], {}, 'dev-server',
    { apiKey: ['a', 'b'], namespace: ['x.acct'], port: '0', ip: '127.0.0.1', account: 'local', asyncDelay: '200ms', gatewayPort: '7233', authPort: '0' }],
  ['a g with --output table', ['a', 'g', '-o', 'table', '--api-key', 'K'], {}, 'account get', { output: 'table', apiKey: 'K' }],
  ['a m ca a, with the namespace flags but --namespace', ['a', 'm', 'ca', 'a', '-f', 'ca.pem', '-r', 'req-1', '-v', 'rv-1', '--remove-expired', '--wait', '--idempotent'], { TEMPORAL_CLOUD_NAMESPACE: 'ns' }, 'account metrics accepted-client-ca add',
    { caCertificateFile: 'ca.pem', requestId: 'req-1', resourceVersion: 'rv-1', removeExpired: true, wait: true, idempotent: true }],
  ['account metrics accepted-client-ca remove by fingerprint', ['account', 'metrics', 'accepted-client-ca', 'remove', '--fp', 'ab12', '--auto_confirm'], {}, 'account metrics accepted-client-ca remove',
    { caCertificateFingerprint: 'ab12', autoConfirm: true }],
  ['a m enable', ['a', 'm', 'enable'], {}, 'account metrics enable', {}],
  ['a m disable', ['a', 'm', 'disable', '--wait'], {}, 'account metrics disable', { wait: true }],
  ['dev-server with --account-metrics-port', ['dev-server', '--account-metrics-port', '0'], {}, 'dev-server',
    { accountMetricsPort: '0', port: '7390', ip: '127.0.0.1', account: 'local', asyncDelay: '200ms', gatewayPort: '7233', authPort: '7391' }],
  ['dev-server with --api-key-file, ignoring the global TEMPORAL_CLOUD_API_KEY', ['dev-server', '--api-key-file', 'keys.txt'], { TEMPORAL_CLOUD_API_KEY: 'K' }, 'dev-server',
    { apiKeyFile: 'keys.txt', port: '7390', ip: '127.0.0.1', account: 'local', asyncDelay: '200ms', gatewayPort: '7233', authPort: '7391' }],
];

describe('the command table', () => {
  for (const [label, argv, env, path, options] of cases) {
    it(`routes ${label} to its handler with its options`, () => {
      assert.deepEqual(route(argv, env), { path, options: { ...defaultsOf(path), ...options } });
    });
  }

  it('refuses a missing required flag by its tcld name', () => {
    assert.throws(() => route(['gen', 'ca', '--org', 'o', '--ca-cert', 'c', '--ca-key', 'k']), (e: unknown) => e instanceof UsageError && /required flag --validity-period not set/.test(e.message));
  });

  it('takes positional arguments, and refuses a missing required one or one too many', () => {
    assert.deepEqual(route(['cert', 'check-expiry', 'a.pem', 'b.pem', '--within', '7d']), {
      path: 'certificates check-expiry',
      options: { files: ['a.pem', 'b.pem'], within: '7d', output: 'text' },
    });
    assert.deepEqual(route(['cert', 'inspect', '-o', 'json', 'a.pem']), { path: 'certificates inspect', options: { file: 'a.pem', output: 'json' } });
    assert.throws(() => route(['cert', 'check-expiry']), /missing argument <file>/);
    assert.throws(() => route(['cert', 'inspect', 'a.pem', 'b.pem']), /unexpected argument: b\.pem/);
    // Where a command takes arguments, a word after a boolean is an argument, not its value.
    assert.deepEqual(route(['cert', 'check-expiry', '--insecure', 'true']).options, { files: ['true'], insecure: true, within: '30d', output: 'text' });
    assert.throws(() => route(['gen', 'ca', 'stray', ...['--org', 'o', '-d', '8d', '--ca-cert', 'c', '--ca-key', 'k']]), /unexpected argument: stray/);
  });

  it('refuses an unknown flag, suggesting the closest one, and a flag without its value', () => {
    assert.throws(() => route(['gen', 'ca', '--bogus']), /^UsageError: flag provided but not defined: --bogus$/);
    assert.throws(() => route(['gen', 'ca', '--orgg', 'x']), /flag provided but not defined: --orgg \(did you mean --org\?\)/);
    assert.throws(() => route(['gen', 'ca', '--org']), /flag needs an argument: --org$/);
  });

  it('refuses to take another flag as a value, and says how to give a value that starts with -', () => {
    assert.throws(() => route(['gen', 'ca', '--org', '--ca-cert', 'c']), /flag needs an argument: --org \(for a value that starts with -, write --org=--ca-cert\)/);
  });

  it('refuses a value outside a flag\'s allowed values, naming them', () => {
    assert.throws(() => route(['n', 'ca', 'l', '-n', 'ns', '-o', 'yaml']), /--output must be json or table, not "yaml"/);
    assert.throws(() => route(['n', 'l', '-o', 'yaml']), /--output must be json, table or api, not "yaml"/);
    assert.throws(() => route(['n', 'g', '-n', 'ns', '-o', 'table']), /--output must be json or api, not "table"/);
    assert.throws(() => route(['cert', 'inspect', 'a.pem', '--output=xml']), /--output must be text or json, not "xml"/);
    assert.throws(() => route(['ak', 'l', '-ot', 'group']), /--owner-type must be user or service-account, not "group"/);
  });

  it('refuses a boolean that Go would not parse, from a flag or the environment', () => {
    assert.throws(() => route(['gen', 'ca', '--auto_confirm=maybe']), /flag --auto_confirm=maybe is not a boolean/);
    assert.throws(() => route(['n', 'l'], { TEMPORAL_CLOUD_INSECURE_CONNECTION: 'yes' }), /TEMPORAL_CLOUD_INSECURE_CONNECTION=yes is not a boolean/);
  });

  it('reports the first word that names no command, and --help anywhere', () => {
    const resolved = resolveCommand(COMMAND_TABLE, ['gen', 'bogus', '--help']);
    assert.equal(resolved.unknown, 'bogus');
    assert.equal(resolved.help, true);
    assert.deepEqual(resolved.path, ['generate-certificates']);
  });

  it('does not mistake a flag value for a command', () => {
    const resolved = resolveCommand(COMMAND_TABLE, ['gen', 'ca', '--org', 'leaf']);
    assert.deepEqual(resolved.path, ['generate-certificates', 'certificate-authority-certificate']);
    assert.equal(resolved.unknown, undefined);
  });

  it('loads a handler with a run function for every command', async () => {
    for (const { spec } of commands) assert.equal(typeof ((await spec.load()) as { run?: unknown }).run, 'function', spec.names[0]);
  });

  it('gives every command a description and one to three examples that start with tcld', () => {
    for (const { spec } of commands) {
      assert.ok(spec.description.length > 0);
      assert.ok(spec.examples.length >= 1 && spec.examples.length <= 3, spec.names[0]);
      for (const example of spec.examples) assert.match(example, /^tcld /);
    }
  });

  it('gives no two flags of one command the same name', () => {
    for (const { spec, path } of commands) {
      const names = spec.flags.flatMap((flag) => flag.names.map((n) => n.replace(/^--?/, '')));
      assert.equal(new Set(names).size, names.length, path.join(' '));
    }
  });
});

/** The values a command's flags always have (defaults), so that each case lists only what it set. */
function defaultsOf(path: string): Record<string, unknown> {
  const outputs: Record<string, string> = {
    'namespace list': 'json',
    'namespace get': 'json',
    'request get': 'json',
    'namespace accepted-client-ca list': 'json',
    'certificates inspect': 'text',
    'certificates verify': 'text',
    'certificates check-expiry': 'text',
  };
  return path in outputs ? { output: outputs[path] } : {};
}
