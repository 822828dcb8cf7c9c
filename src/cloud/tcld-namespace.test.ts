import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { INamespace } from './proto.js';
import { tcldNamespace } from './tcld-namespace.js';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';

const cloudNamespace: INamespace = {
  namespace: 'myns.acct',
  resourceVersion: 'rv-7',
  spec: {
    name: 'myns',
    regions: ['aws-us-east-1', 'gcp-europe-west1'],
    retentionDays: 14,
    mtlsAuth: { enabled: true, acceptedClientCa: Buffer.from(PEM), certificateFilters: [{ organization: 'myco' }, { commonName: 'w*', subjectAlternativeName: '' }] },
    apiKeyAuth: { enabled: false },
    searchAttributes: { zeta: 1, alpha: 2 },
    lifecycle: { enableDeleteProtection: true },
  },
  state: 4,
  asyncOperationId: 'op-9',
  endpoints: { webAddress: 'myns.acct.web.tmprl.cloud', mtlsGrpcAddress: 'myns.acct.tmprl.cloud:7233', grpcAddress: 'x:7233' },
  lastModifiedTime: { seconds: '1714557600', nanos: 0 } as unknown as INamespace['lastModifiedTime'],
  tags: { team: 'payments', env: 'prod' },
};

describe('tcldNamespace', () => {
  it("prints every field of tcld's Namespace, in tcld's order", () => {
    const printed = tcldNamespace(cloudNamespace);
    assert.deepEqual(Object.keys(printed), [
      'namespace',
      'resourceVersion',
      'spec',
      'state',
      'requestId',
      'lastModifiedTime',
      'uri',
      'envelope',
      'allowedPrincipals',
      'regions',
      'connectivityRules',
      'tags',
    ]);
    assert.deepEqual(Object.keys(printed.spec), [
      'acceptedClientCa',
      'retentionDays',
      'searchAttributes',
      'certificateFilters',
      'environment',
      'codecSpec',
      'passiveRegions',
      'authMethod',
      'regionId',
      'lifecycle',
      'highAvailability',
      'passiveRegionIds',
      'connectivityRuleIds',
    ]);
  });

  it('gives the bundle as base64 of its PEM, and every filter field, "" when unset', () => {
    const { spec } = tcldNamespace(cloudNamespace);
    assert.equal(Buffer.from(spec.acceptedClientCa, 'base64').toString(), PEM);
    assert.deepEqual(spec.certificateFilters, [
      { commonName: '', organization: 'myco', organizationalUnit: '', subjectAlternativeName: '' },
      { commonName: 'w*', organization: '', organizationalUnit: '', subjectAlternativeName: '' },
    ]);
  });

  it("takes the bundle from the deprecated base64 field when the bytes field is empty", () => {
    const base64 = Buffer.from(PEM).toString('base64');
    const printed = tcldNamespace({ namespace: 'a.b', spec: { mtlsAuth: { acceptedClientCa: new Uint8Array(), acceptedClientCaDeprecated: base64 } } });
    assert.equal(printed.spec.acceptedClientCa, base64);
  });

  it("spells states, auth methods, regions and search attribute types as tcld's enums do", () => {
    const printed = tcldNamespace(cloudNamespace);
    assert.equal(printed.state, 'Updating');
    assert.equal(printed.spec.authMethod, 'Mtls');
    assert.deepEqual(printed.spec.regionId, { name: 'us-east-1', provider: 'CloudProviderAws' });
    assert.deepEqual(printed.spec.passiveRegionIds, [{ name: 'europe-west1', provider: 'CloudProviderGcp' }]);
    assert.deepEqual(Object.entries(printed.spec.searchAttributes), [['alpha', 'Keyword'], ['zeta', 'Text']]);
    assert.deepEqual(Object.keys(printed.tags), ['env', 'team']);
    const both = tcldNamespace({ spec: { mtlsAuth: { enabled: true }, apiKeyAuth: { enabled: true } }, state: 3 });
    assert.deepEqual([both.spec.authMethod, both.state], ['ApiKeyOrMtls', 'Active']);
    assert.equal(tcldNamespace({ spec: {} }).spec.authMethod, 'Restricted');
    assert.equal(tcldNamespace({ stateDeprecated: 'activation_failed' }).state, 'ActivationFailed');
  });

  it('carries the request, the time and the endpoint, and prints what the API lacks as empty', () => {
    const printed = tcldNamespace(cloudNamespace);
    assert.equal(printed.requestId, 'op-9');
    assert.equal(printed.lastModifiedTime, '2024-05-01T10:00:00Z');
    assert.equal(printed.uri?.grpc, 'myns.acct.tmprl.cloud:7233');
    assert.deepEqual(printed.spec.lifecycle, { enableDeleteProtection: true });
    assert.deepEqual([printed.spec.codecSpec, printed.spec.highAvailability, printed.envelope], [null, null, null]);
    assert.deepEqual([printed.allowedPrincipals, printed.regions, printed.connectivityRules, printed.spec.connectivityRuleIds], [[], [], [], []]);
    const bare = tcldNamespace({ namespace: 'a.b' });
    assert.deepEqual([bare.resourceVersion, bare.spec.acceptedClientCa, bare.lastModifiedTime, bare.uri, bare.spec.regionId], ['', '', null, null, null]);
  });
});
