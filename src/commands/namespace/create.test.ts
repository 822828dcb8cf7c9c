import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { errorKind } from '../../errors.js';
import { bytesDeps, makePki, type Pki } from '../certificates/test-fixtures.js';
import type { Deps } from '../deps.js';
import { run, type CreatedNamespace, type NamespaceCreateOptions } from './create.js';
import { parseSearchAttributes, parseTags, regionIds } from './create-spec.js';
import { fakeCloud } from './fake-cloud.js';

describe('n create', () => {
  let pki: Pki;
  before(async () => {
    pki = await makePki();
  });

  function setUp(files: Record<string, string> = {}) {
    const cloud = fakeCloud([{ namespace: 'taken.acct', spec: { name: 'taken' } }]);
    const faked = bytesDeps({ 'ca.pem': pki.ca.certificatePem, ...files });
    const deps: Deps = { ...faked.deps, cloud: async () => cloud.client };
    return { cloud, deps };
  }
  const base: NamespaceCreateOptions = { namespace: 'orders', region: ['aws-us-east-1'], caCertificateFile: 'ca.pem', requestId: 'req-1' };

  it("sends an mTLS spec with the CA bundle, filters, retention, protection and search attributes, and prints tcld's response with the ID and endpoints", async () => {
    const { cloud, deps } = setUp({ 'filters.json': '{"filters":[{"organization":"acme"}]}' });
    const outcome = await run(
      { ...base, certificateFilterFile: 'filters.json', retentionDays: '7', enableDeleteProtection: true, searchAttribute: ['Customer=Keyword', 'Amount=Double'], tag: ['team=payments'] },
      deps,
    );
    const [sent] = cloud.creates;
    assert.equal(sent!.asyncOperationId, 'req-1');
    assert.deepEqual(sent!.tags, { team: 'payments' });
    const spec = sent!.spec;
    assert.equal(spec.name, 'orders');
    assert.deepEqual(spec.regions, ['aws-us-east-1']);
    assert.equal(spec.retentionDays, 7);
    assert.equal(spec.mtlsAuth?.enabled, true);
    assert.equal(Buffer.from(spec.mtlsAuth!.acceptedClientCa!).toString().trim(), pki.ca.certificatePem.trim());
    assert.deepEqual(spec.mtlsAuth?.certificateFilters, [{ commonName: '', organization: 'acme', organizationalUnit: '', subjectAlternativeName: '' }]);
    assert.equal(spec.apiKeyAuth?.enabled, false);
    assert.equal(spec.lifecycle?.enableDeleteProtection, true);
    assert.deepEqual(spec.searchAttributes, { Customer: 2, Amount: 4 });
    assert.equal(outcome.code, 'requested');
    const response: CreatedNamespace = outcome.response;
    assert.equal(response.namespace, 'orders.acct');
    assert.deepEqual(response.endpoints, { grpcAddress: 'orders.acct.tmprl.local:7233', mtlsGrpcAddress: 'orders.acct.tmprl.local:7233' });
    assert.equal(response.requestStatus.resourceId, 'orders.acct');
    assert.equal(response.requestStatus.operationType, 'create-namespace');
  });

  it('sends api_key without a CA, with mTLS off; a CA given anyway is kept', async () => {
    const { cloud, deps } = setUp();
    await run({ namespace: 'keyed', region: ['us-east-1'], authMethod: 'api_key' }, deps);
    assert.deepEqual({ mtls: cloud.creates[0]!.spec.mtlsAuth, apiKey: cloud.creates[0]!.spec.apiKeyAuth, regions: cloud.creates[0]!.spec.regions }, {
      mtls: { enabled: false },
      apiKey: { enabled: true },
      regions: ['aws-us-east-1'],
    });
    await run({ namespace: 'both', region: ['gcp-us-central1'], authMethod: 'api_key_or_mtls', caCertificateFile: 'ca.pem' }, deps);
    assert.equal(cloud.creates[1]!.spec.mtlsAuth?.enabled, true);
    assert.equal(cloud.creates[1]!.spec.apiKeyAuth?.enabled, true);
  });

  for (const [what, options, pattern] of [
    ['a bad name', { namespace: 'Orders' }, /^namespace name "Orders" contains "O"/],
    ['a namespace ID for a name', { namespace: 'orders.acct' }, /is a namespace ID: give the name alone \("orders"\)/],
    ['mtls without a CA', { caCertificateFile: undefined }, /^required flag --ca-certificate-file \(-cf\) or --ca-certificate \(-c\) not set: auth method mtls/],
    ['api_key_or_mtls without a CA', { caCertificateFile: undefined, authMethod: 'api_key_or_mtls' }, /auth method api_key_or_mtls/],
    ['three regions', { region: ['aws-a', 'aws-b', 'aws-c'] }, /up to 2 regions/],
    ['a retention of 0', { retentionDays: '0' }, /^retention cannot be 0 or negative$/],
    ['a retention that is not a number', { retentionDays: 'ten' }, /invalid value "ten" for flag -retention-days/],
    ['a bad filter', { certificateFilterInput: '{"filters":[{}]}' }, /filter/],
  ] as const) {
    it(`refuses ${what} before sending anything`, async () => {
      const { cloud, deps } = setUp();
      const error = await run({ ...base, ...options } as NamespaceCreateOptions, deps).catch((e: Error) => e);
      assert.ok(error instanceof Error && errorKind(error) !== undefined, String(error));
      assert.match(error.message, pattern);
      assert.deepEqual(cloud.creates, []);
    });
  }

  it("refuses a bundle Temporal Cloud would refuse (a certificate that is not a CA), as n ca a does", async () => {
    const { cloud, deps } = setUp({ 'leaf.pem': pki.leaf.certificatePem });
    await assert.rejects(run({ ...base, caCertificateFile: 'leaf.pem' }, deps), /not a CA/);
    assert.deepEqual(cloud.creates, []);
  });

  it('passes on the service\'s refusal of a taken name', async () => {
    const { deps } = setUp();
    await assert.rejects(run({ ...base, namespace: 'taken' }, deps), /already exists/);
  });
});

describe("n create's flag values", () => {
  it('regionIds › adds the cloud provider to regions given without one, and refuses a mix', () => {
    assert.deepEqual(regionIds(['us-east-1', 'us-west-2'], 'aws'), ['aws-us-east-1', 'aws-us-west-2']);
    assert.deepEqual(regionIds(['gcp-us-central1'], 'aws'), ['gcp-us-central1']);
    assert.throws(() => regionIds(['aws-us-east-1', 'us-west-2'], 'aws'), /^UsageError: all regions must have the same cloud provider prefix. Found us-west-2$/);
  });

  it("parseTags › takes key=value, refusing tcld's bad formats and a repeated key", () => {
    assert.deepEqual(parseTags(['a=1', 'b=']), { a: '1', b: '' });
    assert.throws(() => parseTags(['novalue']), /invalid tag format 'novalue', must be 'key=value'/);
    assert.throws(() => parseTags(['a=1', 'a=2']), /duplicate tag key 'a' found/);
  });

  it("parseSearchAttributes › maps tcld's type names to the Cloud Ops API's numbers", () => {
    assert.deepEqual(parseSearchAttributes(['a=Text', 'b=Keyword', 'c=KeywordList', 'd=Datetime', 'e=Bool', 'f=Int']), { a: 1, b: 2, c: 7, d: 6, e: 5, f: 3 });
    assert.throws(() => parseSearchAttributes(['a=text']), /search attribute type "text" does not exist, acceptable types are: \[Keyword Text Int Double Datetime Bool KeywordList\]/);
    assert.throws(() => parseSearchAttributes(['a']), /invalid search attribute "a" must be of format: "name=type"/);
  });
});
