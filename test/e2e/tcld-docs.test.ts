/**
 * tcld invocations copied from Go tcld's README and Temporal's tcld documentation, run in order against
 * one dev-server as a user or a script runs them. Only the placeholders are replaced (namespace, files,
 * request id, fingerprint, etag); the connection comes from tcld's environment variables, so each command
 * line reads as documented, and every row checks that it does (`doc` against `argv`). Each row is checked
 * for its exit code and for the output a tcld script reads (the JSON paths jq takes, the files written);
 * mutations are also checked through the official @temporalio/cloud client, and certificates with node:crypto.
 *
 * Sources (each row names one):
 *   README   github.com/temporalio/tcld README.md at f89fc4a, by line
 *   CERTS    https://docs.temporal.io/cloud/certificates ("Use tcld to generate certificates", "Update certificates using tcld")
 *   GEN      https://docs.temporal.io/cloud/tcld/generate-certificates
 *   NS       https://docs.temporal.io/cloud/tcld/namespace (its examples; where the namespace is left out,
 *            "the value of the environment variable $TEMPORAL_CLOUD_NAMESPACE is used")
 *   REQ      https://docs.temporal.io/cloud/tcld/request
 *   INDEX    https://docs.temporal.io/cloud/tcld ("Global modifiers": --auto_confirm, AUTO_CONFIRM)
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { TEST_KEY } from '../../src/emulator/test-support.js';
import { DAY, HOUR, assertOneLineError, listing } from './helpers.js';
import {
  FILTER,
  REMOVE_QUESTION,
  RFC3339,
  YES,
  asked,
  file,
  generated,
  holds,
  json,
  keyPair,
  mutation,
  namespaceGot,
  namespaceList,
  playRows,
  requestStatus,
  validFor,
  unchanged,
  type Context,
  type Filter,
  type Row,
} from './tcld-docs-support.js';

const ROLLOVER = 'rollover.acct';
const DOCS = 'docs.acct';
const NAMESPACES = [DOCS, ROLLOVER, 'spare.acct'];
const VERSION = (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version;
/** The sample JSON of the certificate-filters docs. */
const SAMPLE_FILTERS = '{ "filters": [ { "commonName": "test1" } ] }';
const TWO_FILTERS = '{ "filters": [ { "commonName": "test1" }, { "organization": "temporal" } ] }';

const GEN_ROWS: Row[] = [
  {
    source: 'CERTS',
    doc: 'tcld gen ca --org temporal -d 1y --ca-cert ca.pem --ca-key ca.key',
    argv: ['gen', 'ca', '--org', 'temporal', '-d', '1y', '--ca-cert', 'ca.pem', '--ca-key', 'ca.key'],
    input: YES,
    exit: 0,
    shows: 'writes a one-year CA for O=temporal and its key, and says where',
    check(result, c) {
      generated(result, 'certificate authority', 'ca.pem', 'ca.key');
      asked(result, /^storing the certificate authority \(private\) key at ca\.key, do not share this key with anyone\. confirm: \[y\/n\]/);
      const ca = keyPair(c, 'ca.pem', 'ca.key');
      assert.equal(ca.ca, true);
      assert.match(ca.subject, /^O=temporal$/m);
      validFor(c, ca, 365 * DAY);
    },
  },
  {
    source: 'CERTS',
    doc: 'tcld gen leaf --org temporal -d 364d --ca-cert ca.pem --ca-key ca.key --cert client.pem --key client.key',
    argv: ['gen', 'leaf', '--org', 'temporal', '-d', '364d', '--ca-cert', 'ca.pem', '--ca-key', 'ca.key', '--cert', 'client.pem', '--key', 'client.key'],
    input: YES,
    exit: 0,
    shows: 'writes a 364-day client certificate that the CA issued, and its key',
    check(result, c) {
      generated(result, 'end entity certificate', 'client.pem', 'client.key');
      const leaf = keyPair(c, 'client.pem', 'client.key');
      const ca = c.certificate('ca.pem');
      assert.equal(leaf.ca, false);
      assert.ok(leaf.checkIssued(ca) && leaf.verify(ca.publicKey));
      assert.match(leaf.subject, /^O=temporal$/m);
      validFor(c, leaf, 364 * DAY);
    },
  },
  {
    source: 'GEN (its modifiers, each documented with an example, together)',
    doc: 'tcld generate-certificates certificate-authority-certificate --organization <value> --validity-period <value> --ca-certificate-file <path> --ca-key-file <path>',
    argv: ['generate-certificates', 'certificate-authority-certificate', '--organization', 'temporal', '--validity-period', '1y', '--ca-certificate-file', 'new-ca.pem', '--ca-key-file', 'new-ca.key'],
    input: YES,
    exit: 0,
    shows: 'the long names write a CA as gen ca does',
    check(result, c) {
      generated(result, 'certificate authority', 'new-ca.pem', 'new-ca.key');
      assert.equal(keyPair(c, 'new-ca.pem', 'new-ca.key').ca, true);
    },
  },
  {
    source: 'GEN (--rsa-algorithm, and the 30d10h format it describes)',
    doc: 'tcld generate-certificates certificate-authority-certificate --organization <value> --validity-period 30d10h --ca-certificate-file <path> --ca-key-file <path> --rsa-algorithm',
    argv: ['generate-certificates', 'certificate-authority-certificate', '--organization', 'temporal', '--validity-period', '30d10h', '--ca-certificate-file', 'rsa-ca.pem', '--ca-key-file', 'rsa-ca.key', '--rsa-algorithm'],
    input: YES,
    exit: 0,
    shows: 'a 4096-bit RSA CA valid 30 days and 10 hours',
    check(result, c) {
      generated(result, 'certificate authority', 'rsa-ca.pem', 'rsa-ca.key');
      const ca = keyPair(c, 'rsa-ca.pem', 'rsa-ca.key');
      assert.deepEqual([ca.publicKey.asymmetricKeyType, ca.publicKey.asymmetricKeyDetails?.modulusLength], ['rsa', 4096]);
      validFor(c, ca, 30 * DAY + 10 * HOUR);
    },
  },
  {
    source: 'GEN (--rsa-algorithm <boolean>, its value as the next word)',
    doc: 'tcld generate-certificates certificate-authority-certificate --organization <value> --validity-period <value> --ca-certificate-file <path> --ca-key-file <path> --rsa-algorithm <boolean>',
    argv: ['generate-certificates', 'certificate-authority-certificate', '--organization', 'temporal', '--validity-period', '30d', '--ca-certificate-file', 'rsa2-ca.pem', '--ca-key-file', 'rsa2-ca.key', '--rsa-algorithm', 'true'],
    input: YES,
    exit: 0,
    shows: 'a boolean given its value as the next word, as the docs write it',
    check(result, c) {
      generated(result, 'certificate authority', 'rsa2-ca.pem', 'rsa2-ca.key');
      assert.equal(keyPair(c, 'rsa2-ca.pem', 'rsa2-ca.key').publicKey.asymmetricKeyType, 'rsa');
    },
  },
  {
    source: 'GEN (end-entity-certificate, its modifiers together)',
    doc: 'tcld generate-certificates end-entity-certificate --organization <value> --organization-unit <value> --validity-period <value> --ca-certificate-file <path> --ca-key-file <path> --certificate-file <path> --key-file <path>',
    argv: [
      'generate-certificates', 'end-entity-certificate', '--organization', 'temporal', '--organization-unit', 'payments', '--validity-period', '30d',
      '--ca-certificate-file', 'new-ca.pem', '--ca-key-file', 'new-ca.key', '--certificate-file', 'new-client.pem', '--key-file', 'new-client.key',
    ],
    input: YES,
    exit: 0,
    shows: 'a 30-day leaf with OU=payments, issued by the new CA',
    check(result, c) {
      generated(result, 'end entity certificate', 'new-client.pem', 'new-client.key');
      const leaf = keyPair(c, 'new-client.pem', 'new-client.key');
      assert.match(leaf.subject, /^OU=payments$/m);
      assert.ok(leaf.checkIssued(c.certificate('new-ca.pem')));
      validFor(c, leaf, 30 * DAY);
    },
  },
  {
    source: 'GEN (the --organization example alone)',
    doc: 'tcld generate-certificates certificate-authority-certificate --organization <value>',
    argv: ['generate-certificates', 'certificate-authority-certificate', '--organization', 'temporal'],
    input: YES,
    exit: 2,
    shows: 'a missing required flag is a usage error, and nothing is written',
    check(result, c) {
      assertOneLineError(result, /required flag --validity-period not set/);
      assert.equal(result.stdout, '');
      assert.deepEqual(listing(c.folder), c.listed);
    },
  },
];

const ALL_LISTED = { namespaces: NAMESPACES, nextPageToken: '' };

const LIST_ROWS: Row[] = [
  {
    source: 'README L46-47 (the key from TEMPORAL_CLOUD_API_KEY), L111',
    doc: 'tcld namespace list',
    argv: ['namespace', 'list'],
    exit: 0,
    shows: '{"namespaces": [every id], "nextPageToken": ""}',
    check: (result) => assert.deepEqual(namespaceList(result), ALL_LISTED),
  },
  {
    source: 'README L42',
    doc: 'tcld --api-key <api-key> ...',
    argv: ['--api-key', TEST_KEY, 'namespace', 'list'],
    unset: ['TEMPORAL_CLOUD_API_KEY'],
    exit: 0,
    shows: 'the key as a global flag before the command',
    check: (result) => assert.deepEqual(namespaceList(result), ALL_LISTED),
  },
  {
    source: "NS (list's --page-size)",
    doc: 'tcld namespace list --page-size <size>',
    argv: ['namespace', 'list', '--page-size', '2'],
    exit: 0,
    shows: 'one page and the token of the next',
    check(result, c) {
      const page = namespaceList(result);
      assert.deepEqual(page.namespaces, NAMESPACES.slice(0, 2));
      assert.notEqual(page.nextPageToken, '');
      c.pageToken = page.nextPageToken;
    },
  },
  {
    source: "NS (list's --page-token)",
    doc: 'tcld namespace list --page-size <size> --page-token <token>',
    argv: (c) => ['namespace', 'list', '--page-size', '2', '--page-token', c.pageToken],
    exit: 0,
    shows: 'the last page, with an empty token',
    check: (result) => assert.deepEqual(namespaceList(result), { namespaces: NAMESPACES.slice(2), nextPageToken: '' }),
  },
];

const ROLLOVER_ROWS: Row[] = [
  {
    source: 'README L121',
    doc: 'tcld namespace accepted-client-ca set -n <namespace> --ca-certificate-file <ca-pem-filepath>',
    argv: ['namespace', 'accepted-client-ca', 'set', '-n', ROLLOVER, '--ca-certificate-file', 'ca.pem'],
    exit: 0,
    shows: '{"requestStatus"} and the bundle is the file',
    async check(result, c) {
      mutation(result, ROLLOVER);
      assert.equal(result.stderr, '');
      await holds(c, ROLLOVER, ['ca.pem']);
    },
  },
  {
    source: 'README L116',
    doc: 'tcld namespace get -n <namespace>',
    argv: ['namespace', 'get', '-n', ROLLOVER],
    exit: 0,
    shows: "tcld's Namespace: .spec.acceptedClientCa, .spec.certificateFilters, .resourceVersion, .state",
    check: (result, c) => namespaceGot(result, c, ROLLOVER, ['ca.pem']),
  },
  {
    source: 'README L131',
    doc: 'tcld namespace accepted-client-ca add -n <namespace> --ca-certificate-file <new-ca-pem-filepath>',
    argv: ['namespace', 'accepted-client-ca', 'add', '-n', ROLLOVER, '--ca-certificate-file', 'new-ca.pem'],
    exit: 0,
    shows: 'the new CA joins the old one',
    async check(result, c) {
      mutation(result, ROLLOVER);
      await holds(c, ROLLOVER, ['ca.pem', 'new-ca.pem']);
    },
  },
  {
    source: 'README L131, run twice',
    doc: 'tcld namespace accepted-client-ca add -n <namespace> --ca-certificate-file <new-ca-pem-filepath>',
    argv: ['namespace', 'accepted-client-ca', 'add', '-n', ROLLOVER, '--ca-certificate-file', 'new-ca.pem'],
    exit: 1,
    shows: 'a CA already in the bundle is refused, as tcld refuses it, and nothing is sent',
    async check(result, c) {
      assertOneLineError(result, /already exists/);
      assert.equal(result.stdout, '');
      await unchanged(c, ROLLOVER);
    },
  },
  {
    source: 'README L319',
    doc: 'tcld request get -r <request-id> -n <namespace>',
    argv: (c) => ['request', 'get', '-r', c.requestIds.at(-1)!, '-n', ROLLOVER],
    exit: 0,
    shows: "the add's request, as {\"requestStatus\"}",
    check: (result, c) => void requestStatus(result, c.requestIds.at(-1)),
  },
  {
    source: 'README L131 (a third CA, to remove by fingerprint)',
    doc: 'tcld namespace accepted-client-ca add -n <namespace> --ca-certificate-file <new-ca-pem-filepath>',
    argv: ['namespace', 'accepted-client-ca', 'add', '-n', ROLLOVER, '--ca-certificate-file', 'rsa-ca.pem'],
    exit: 0,
    shows: 'the bundle holds three CAs',
    async check(result, c) {
      mutation(result, ROLLOVER);
      await holds(c, ROLLOVER, ['ca.pem', 'new-ca.pem', 'rsa-ca.pem']);
    },
  },
  {
    source: 'README L137',
    doc: 'tcld namespace accepted-client-ca remove -n <namespace> --ca-certificate-file <old-ca-pem-filepath>',
    argv: ['namespace', 'accepted-client-ca', 'remove', '-n', ROLLOVER, '--ca-certificate-file', 'ca.pem'],
    input: YES,
    exit: 0,
    shows: 'asks, and removes the old CA',
    async check(result, c) {
      asked(result, REMOVE_QUESTION(ROLLOVER));
      mutation(result, ROLLOVER);
      await holds(c, ROLLOVER, ['new-ca.pem', 'rsa-ca.pem']);
    },
  },
  {
    source: 'README L142',
    doc: 'tcld namespace accepted-client-ca remove -n <namespace> --ca-certificate-fingerprint <old-ca-fingerprint>',
    argv: (c) => ['namespace', 'accepted-client-ca', 'remove', '-n', ROLLOVER, '--ca-certificate-fingerprint', c.fingerprint('rsa-ca.pem')],
    input: YES,
    exit: 0,
    shows: 'asks, and removes the CA with the fingerprint n ca l lists',
    async check(result, c) {
      asked(result, REMOVE_QUESTION(ROLLOVER));
      mutation(result, ROLLOVER);
      await holds(c, ROLLOVER, ['new-ca.pem']);
    },
  },
  {
    source: 'README L142, with the fingerprint of a CA no longer in the bundle, and no one to answer',
    doc: 'tcld namespace accepted-client-ca remove -n <namespace> --ca-certificate-fingerprint <old-ca-fingerprint>',
    argv: (c) => ['namespace', 'accepted-client-ca', 'remove', '-n', ROLLOVER, '--ca-certificate-fingerprint', c.fingerprint('ca.pem')],
    exit: 1,
    shows: 'says the certificate is not there before asking anything, as tcld, and nothing is sent',
    async check(result, c) {
      assertOneLineError(result, /certificate with fingerprint '[0-9a-f]{40}' does not exist in the bundle/);
      await unchanged(c, ROLLOVER);
    },
  },
];

/** The docs leave the namespace out of most examples: tcld then reads TEMPORAL_CLOUD_NAMESPACE. */
const IN_DOCS = { TEMPORAL_CLOUD_NAMESPACE: DOCS };

const CA_ROWS: Row[] = [
  {
    source: 'NS (accepted-client-ca add --namespace)',
    doc: 'tcld namespace accepted-client-ca add --namespace <namespace_id> --ca-certificate <encoded_certificate>',
    argv: (c) => ['namespace', 'accepted-client-ca', 'add', '--namespace', DOCS, '--ca-certificate', c.base64('ca.pem')],
    exit: 0,
    shows: 'the base64 of a PEM file is added',
    async check(result, c) {
      mutation(result, DOCS);
      await holds(c, DOCS, ['ca.pem']);
    },
  },
  {
    source: 'NS (accepted-client-ca add --request-id)',
    doc: 'tcld namespace accepted-client-ca add --request-id <request_id> --ca-certificate <encoded_certificate>',
    argv: (c) => ['namespace', 'accepted-client-ca', 'add', '--request-id', 'docs-add-1', '--ca-certificate', c.base64('new-ca.pem')],
    env: IN_DOCS,
    exit: 0,
    shows: 'the request carries the ID given, in the namespace of TEMPORAL_CLOUD_NAMESPACE',
    async check(result, c) {
      mutation(result, DOCS, 'docs-add-1');
      await holds(c, DOCS, ['ca.pem', 'new-ca.pem']);
    },
  },
  {
    source: 'REQ',
    doc: 'tcld request get --request-id <request_id>',
    argv: ['request', 'get', '--request-id', 'docs-add-1'],
    exit: 0,
    shows: '{"requestStatus"} of that request',
    check: (result) => void requestStatus(result, 'docs-add-1'),
  },
  {
    source: 'NS (accepted-client-ca add --resource-version)',
    doc: 'tcld namespace accepted-client-ca add --resource-version <etag> --ca-certificate <encoded_certificate>',
    async argv(c) {
      c.etag = await c.resourceVersion(DOCS);
      return ['namespace', 'accepted-client-ca', 'add', '--resource-version', c.etag, '--ca-certificate', c.base64('rsa-ca.pem')];
    },
    env: IN_DOCS,
    exit: 0,
    shows: 'an update from the current etag (as n g prints it) goes through',
    async check(result, c) {
      mutation(result, DOCS);
      await holds(c, DOCS, ['ca.pem', 'new-ca.pem', 'rsa-ca.pem']);
    },
  },
  {
    source: 'NS (accepted-client-ca list --namespace)',
    doc: 'tcld namespace accepted-client-ca list --namespace <namespace_id>',
    argv: ['namespace', 'accepted-client-ca', 'list', '--namespace', DOCS],
    exit: 0,
    shows: "tcld's array of {fingerprint, issuer, subject, notBefore, notAfter, base64EncodedData}",
    check(result, c) {
      assert.match(result.stdout, /^\[\n {4}\{\n {8}"fingerprint": /);
      const entries = json<Array<Record<string, string>>>(result);
      const files = ['ca.pem', 'new-ca.pem', 'rsa-ca.pem'];
      assert.deepEqual(entries.map((e) => e['fingerprint']), files.map((name) => c.fingerprint(name)));
      entries.forEach((entry, i) => {
        const cert = c.certificate(files[i]!);
        assert.match(entry['subject']!, /^CN=client\.root\.temporal\.\w+,O=temporal$/);
        assert.equal(entry['issuer'], entry['subject']);
        assert.equal(Date.parse(entry['notBefore']!), Date.parse(cert.validFrom));
        assert.equal(Date.parse(entry['notAfter']!), Date.parse(cert.validTo));
        assert.match(entry['notAfter']!, RFC3339);
        assert.equal(Buffer.from(entry['base64EncodedData']!, 'base64').toString().trim(), readFileSync(file(c, files[i]!), 'utf8').trim());
      });
    },
  },
  {
    source: 'NS (accepted-client-ca remove --namespace)',
    doc: 'tcld namespace accepted-client-ca remove --namespace <namespace_id> --ca-certificate <encoded_certificate>',
    argv: (c) => ['namespace', 'accepted-client-ca', 'remove', '--namespace', DOCS, '--ca-certificate', c.base64('rsa-ca.pem')],
    input: YES,
    exit: 0,
    shows: 'asks, and removes the certificate given as base64',
    async check(result, c) {
      asked(result, REMOVE_QUESTION(DOCS));
      mutation(result, DOCS);
      await holds(c, DOCS, ['ca.pem', 'new-ca.pem']);
    },
  },
  {
    source: 'NS (accepted-client-ca add --resource-version), with an etag read before the last two updates',
    doc: 'tcld namespace accepted-client-ca add --resource-version <etag> --ca-certificate <encoded_certificate>',
    argv: (c) => ['namespace', 'accepted-client-ca', 'add', '--resource-version', c.etag, '--ca-certificate', c.base64('rsa-ca.pem')],
    env: IN_DOCS,
    exit: 1,
    shows: 'a stale etag is refused and nothing is sent',
    async check(result, c) {
      assertOneLineError(result, /resource version .* is stale/);
      await unchanged(c, DOCS);
    },
  },
  {
    source: 'NS (accepted-client-ca remove --ca-certificate-fingerprint)',
    doc: 'tcld namespace accepted-client-ca remove --ca-certificate-fingerprint <fingerprint>',
    argv: (c) => ['namespace', 'accepted-client-ca', 'remove', '--ca-certificate-fingerprint', c.fingerprint('new-ca.pem')],
    env: IN_DOCS,
    input: YES,
    exit: 0,
    shows: 'asks, and removes by fingerprint',
    async check(result, c) {
      asked(result, REMOVE_QUESTION(DOCS));
      mutation(result, DOCS);
      await holds(c, DOCS, ['ca.pem']);
    },
  },
  {
    source: 'NS (accepted-client-ca add --ca-certificate-file)',
    doc: 'tcld namespace accepted-client-ca add --ca-certificate-file <path>',
    argv: ['namespace', 'accepted-client-ca', 'add', '--ca-certificate-file', 'new-ca.pem'],
    env: IN_DOCS,
    exit: 0,
    shows: 'the PEM file is added',
    async check(result, c) {
      mutation(result, DOCS);
      await holds(c, DOCS, ['ca.pem', 'new-ca.pem']);
    },
  },
  {
    source: 'INDEX (--auto_confirm) and NS (the --fp alias of remove)',
    doc: 'tcld --auto_confirm namespace accepted-client-ca remove --fp <fingerprint>',
    argv: (c) => ['--auto_confirm', 'namespace', 'accepted-client-ca', 'remove', '--fp', c.fingerprint('new-ca.pem')],
    env: IN_DOCS,
    exit: 0,
    shows: 'removes without asking (stdin closed)',
    async check(result, c) {
      assert.doesNotMatch(result.stderr, /\[y\/n\]/);
      mutation(result, DOCS);
      await holds(c, DOCS, ['ca.pem']);
    },
  },
  {
    source: 'CERTS (update certificates using tcld, step 2: a file with the old and the new CA)',
    doc: 'tcld namespace accepted-client-ca set --ca-certificate-file <path>',
    argv(c) {
      writeFileSync(file(c, 'old-and-new.pem'), readFileSync(file(c, 'ca.pem'), 'utf8') + readFileSync(file(c, 'new-ca.pem'), 'utf8'));
      return ['namespace', 'accepted-client-ca', 'set', '--ca-certificate-file', 'old-and-new.pem'];
    },
    env: IN_DOCS,
    exit: 0,
    shows: 'the bundle becomes both CAs',
    async check(result, c) {
      mutation(result, DOCS);
      await holds(c, DOCS, ['ca.pem', 'new-ca.pem']);
    },
  },
  {
    source: 'CERTS (step 5: a file with only the new CA)',
    doc: 'tcld namespace accepted-client-ca set --ca-certificate-file <path>',
    argv: ['namespace', 'accepted-client-ca', 'set', '--ca-certificate-file', 'new-ca.pem'],
    env: IN_DOCS,
    exit: 0,
    shows: 'the bundle becomes the new CA alone',
    async check(result, c) {
      mutation(result, DOCS);
      await holds(c, DOCS, ['new-ca.pem']);
    },
  },
  {
    source: 'NS (accepted-client-ca set --namespace)',
    doc: 'tcld namespace accepted-client-ca set --namespace <namespace_id> --ca-certificate <encoded_certificate>',
    argv: (c) => ['namespace', 'accepted-client-ca', 'set', '--namespace', DOCS, '--ca-certificate', c.base64('old-and-new.pem')],
    exit: 0,
    shows: 'the base64 of a two-certificate bundle sets both',
    async check(result, c) {
      mutation(result, DOCS);
      await holds(c, DOCS, ['ca.pem', 'new-ca.pem']);
    },
  },
  {
    source: 'NS (get --namespace)',
    doc: 'tcld namespace get --namespace <namespace_id>',
    argv: ['namespace', 'get', '--namespace', DOCS],
    exit: 0,
    shows: "tcld's Namespace with the two-certificate bundle",
    check: (result, c) => namespaceGot(result, c, DOCS, ['ca.pem', 'new-ca.pem']),
  },
];

const TEST1 = FILTER({ commonName: 'test1' });
const TEMPORAL = FILTER({ organization: 'temporal' });
const IMPORT_QUESTION = /^confirm certificate filter import operation \[y\/n\]$/m;

async function filtersAre(c: Context, expected: Filter[]): Promise<void> {
  assert.deepEqual(await c.filters(DOCS), expected);
}

const FILTER_ROWS: Row[] = [
  {
    source: 'NS (certificate-filters import --certificate-filter-file, with its sample JSON)',
    doc: 'tcld namespace certificate-filters import --certificate-filter-file <path>',
    argv(c) {
      writeFileSync(file(c, 'filters.json'), SAMPLE_FILTERS);
      return ['namespace', 'certificate-filters', 'import', '--certificate-filter-file', 'filters.json'];
    },
    env: IN_DOCS,
    input: YES,
    exit: 0,
    shows: 'shows the change, asks, and sets the filters',
    async check(result, c) {
      assert.match(result.stderr, /^this import will result in the following changes to certificate filters:$/m);
      assert.match(result.stderr, /^\+ +"commonName": "test1",$/m);
      asked(result, IMPORT_QUESTION);
      mutation(result, DOCS);
      await filtersAre(c, [TEST1]);
    },
  },
  {
    source: 'NS (certificate-filters import --namespace --certificate-filter-input)',
    doc: 'tcld namespace certificate-filters import --namespace <namespace_id> --certificate-filter-input <json>',
    argv: ['namespace', 'certificate-filters', 'import', '--namespace', DOCS, '--certificate-filter-input', TWO_FILTERS],
    input: YES,
    exit: 0,
    shows: 'the inline JSON replaces the filters',
    async check(result, c) {
      asked(result, IMPORT_QUESTION);
      mutation(result, DOCS);
      await filtersAre(c, [TEST1, TEMPORAL]);
    },
  },
  {
    source: 'NS (certificate-filters import --request-id)',
    doc: 'tcld namespace certificate-filters import --request-id <request_id> --certificate-filter-input <json>',
    argv: ['namespace', 'certificate-filters', 'import', '--request-id', 'docs-cf-1', '--certificate-filter-input', '{ "filters": [ { "organizationalUnit": "payments" } ] }'],
    env: IN_DOCS,
    input: YES,
    exit: 0,
    shows: 'the request carries the ID given',
    async check(result, c) {
      mutation(result, DOCS, 'docs-cf-1');
      await filtersAre(c, [FILTER({ organizationalUnit: 'payments' })]);
    },
  },
  {
    source: 'NS (certificate-filters import --resource-version)',
    doc: 'tcld namespace certificate-filters import --resource-version <etag> --certificate-filter-input <json>',
    argv: async (c) => ['namespace', 'certificate-filters', 'import', '--resource-version', await c.resourceVersion(DOCS), '--certificate-filter-input', TWO_FILTERS],
    env: IN_DOCS,
    input: YES,
    exit: 0,
    shows: 'an import from the current etag goes through',
    async check(result, c) {
      mutation(result, DOCS);
      await filtersAre(c, [TEST1, TEMPORAL]);
    },
  },
  {
    source: 'NS (certificate-filters export --certificate-filter-file)',
    doc: 'tcld namespace certificate-filters export --certificate-filter-file <path>',
    argv: ['namespace', 'certificate-filters', 'export', '--certificate-filter-file', 'exported.json'],
    env: IN_DOCS,
    exit: 0,
    shows: 'writes {"filters": [...]} with the four fields of each, and prints the same',
    async check(result, c) {
      assert.match(result.stdout, /^\{\n {4}"filters": \[\n/);
      assert.deepEqual(json(result), { filters: [TEST1, TEMPORAL] });
      assert.equal(readFileSync(file(c, 'exported.json'), 'utf8'), result.stdout);
      await filtersAre(c, [TEST1, TEMPORAL]);
    },
  },
  {
    source: 'NS (certificate-filters add --namespace --certificate-filter-input)',
    doc: 'tcld namespace certificate-filters add --namespace <namespace_id> --certificate-filter-input <json>',
    argv: ['namespace', 'certificate-filters', 'add', '--namespace', DOCS, '--certificate-filter-input', '{ "filters": [ { "commonName": "test2" } ] }'],
    input: YES,
    exit: 0,
    shows: 'shows the filters to add, asks, and adds them',
    async check(result, c) {
      asked(result, /^confirm add operation \[y\/n\]$/m);
      mutation(result, DOCS);
      await filtersAre(c, [TEST1, TEMPORAL, FILTER({ commonName: 'test2' })]);
    },
  },
  {
    source: 'NS (certificate-filters clear --namespace) with INDEX (AUTO_CONFIRM)',
    doc: 'tcld namespace certificate-filters clear --namespace <namespace_id>',
    argv: ['namespace', 'certificate-filters', 'clear', '--namespace', DOCS],
    env: { AUTO_CONFIRM: 'true' },
    exit: 0,
    shows: 'clears the filters without asking',
    async check(result, c) {
      assert.doesNotMatch(result.stderr, /\[y\/n\]/);
      mutation(result, DOCS);
      await filtersAre(c, []);
    },
  },
  {
    source: 'NS (certificate-filters export --certificate-filter-file), no filters left',
    doc: 'tcld namespace certificate-filters export --certificate-filter-file <path>',
    argv: ['namespace', 'certificate-filters', 'export', '--certificate-filter-file', 'none.json'],
    env: IN_DOCS,
    exit: 0,
    shows: 'prints and writes {} as tcld (its filters field is omitempty)',
    check(result, c) {
      assert.deepEqual(json(result), {});
      assert.equal(readFileSync(file(c, 'none.json'), 'utf8'), result.stdout);
    },
  },
];

const OTHER_ROWS: Row[] = [
  {
    source: "REQ (its --namespace example, which tcld refuses too: namespace get has no --request-id)",
    doc: 'tcld namespace get --namespace <namespace_id> --request-id <request_id>',
    argv: ['namespace', 'get', '--namespace', DOCS, '--request-id', 'docs-add-1'],
    exit: 2,
    shows: 'an unknown flag is a usage error',
    check: (result) => assertOneLineError(result, /flag provided but not defined: --request-id/),
  },
  {
    source: 'NS (accepted-client-ca add --ca-certificate-file) without TEMPORAL_CLOUD_NAMESPACE',
    doc: 'tcld namespace accepted-client-ca add --ca-certificate-file <path>',
    argv: ['namespace', 'accepted-client-ca', 'add', '--ca-certificate-file', 'rsa-ca.pem'],
    exit: 2,
    shows: 'a missing required flag is a usage error that names the variable, and nothing is sent',
    async check(result, c) {
      assertOneLineError(result, /required flag --namespace not set \(or set TEMPORAL_CLOUD_NAMESPACE\)/);
      for (const namespace of NAMESPACES) await unchanged(c, namespace);
    },
  },
  {
    source: 'README L28, https://docs.temporal.io/cloud/tcld/version',
    doc: 'tcld version',
    argv: ['version'],
    exit: 0,
    shows: 'the version',
    check: (result) => assert.match(result.stdout, new RegExp(`\\b${VERSION.replace(/\./g, '\\.')}\\b`)),
  },
];

playRows("tcld's README and docs, run in order against the dev-server", NAMESPACES, [...GEN_ROWS, ...LIST_ROWS, ...ROLLOVER_ROWS, ...CA_ROWS, ...FILTER_ROWS, ...OTHER_ROWS]);
