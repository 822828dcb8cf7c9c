import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { protobufLight } from './cloud-api-source.js';
import { CLOUD_METHODS, buildCloudApi, cloudApi, cloudMethod, cloudType, type ReflectedType } from './cloud-api.js';
import { CLOUD_SERVICE, proto, type MessageType } from './proto.js';

interface Reflected {
  fullName: string;
  nestedArray?: Reflected[];
  fieldsArray?: Array<{
    name: string;
    id: number;
    type: string;
    repeated: boolean;
    map: boolean;
    keyType?: string;
    packed: boolean;
    delimited: boolean;
    hasPresence: boolean;
    partOf: { name: string } | null;
    resolvedType: { fullName: string } | null;
  }>;
  values?: Record<string, number>;
}

/** The full package's type of the same name. */
function fullType(name: string): MessageType & Reflected {
  const root = (proto() as unknown as { lookupService(name: string): { root: { lookup(name: string): unknown } } }).lookupService(CLOUD_SERVICE).root;
  const found = root.lookup(name) as MessageType & Reflected & { resolveAll?(): void };
  found.resolveAll?.(); // settles the fields' features (packed, presence), as the first encode would
  return found;
}

/** What decides a type's encoding, as plain data to compare. */
function shape(type: Reflected): unknown {
  if (type.values) return { values: { ...type.values } };
  return (type.fieldsArray ?? []).map((f) => ({
    name: f.name,
    id: f.id,
    type: f.resolvedType?.fullName ?? f.type,
    repeated: f.repeated,
    map: f.map,
    keyType: f.keyType,
    packed: f.packed,
    delimited: f.delimited,
    hasPresence: Boolean(f.hasPresence), // a OneOf object for a member of one
    oneof: f.partOf?.name,
  }));
}

function everyType(namespace: Reflected): Reflected[] {
  return (namespace.nestedArray ?? []).flatMap((child) => [...('fieldsArray' in child || 'values' in child ? [child] : []), ...everyType(child)]);
}

const NAMESPACE = {
  namespace: 'billing.a1b2c',
  resourceVersion: '7f3a',
  spec: {
    name: 'billing',
    regions: ['aws-us-east-1'],
    retentionDays: 30,
    mtlsAuth: { acceptedClientCa: Buffer.from('-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n'), certificateFilters: [{ commonName: 'worker', organization: 'acme' }], enabled: true },
    apiKeyAuth: { enabled: true },
    searchAttributes: { CustomerId: 2, Amount: 4 },
    customSearchAttributes: { Legacy: 'Keyword' },
    codecServer: { endpoint: 'https://codec.example', passAccessToken: true },
  },
  state: 3,
  asyncOperationId: 'op-9',
  endpoints: { webAddress: 'https://cloud.temporal.io/namespaces/billing.a1b2c', grpcAddress: 'billing.a1b2c.tmprl.cloud:7233' },
  activeRegion: 'aws-us-east-1',
  limits: { actionsPerSecondLimit: 500 },
  createdTime: { seconds: '1714557600', nanos: 5_000_000 },
  lastModifiedTime: { seconds: '9007199254740993', nanos: 0 },
  tags: { team: 'payments' },
};

const UPDATE = {
  namespace: 'billing.a1b2c',
  spec: NAMESPACE.spec,
  resourceVersion: '7f3a',
  asyncOperationId: '4c4d3c0e-6d2e-4e0f-9b59-1f5b7b0c9d11',
};

/** Encodes `value` with `from`, decodes with `to`, both the client's way (fromObject, toObject with defaults and string longs). */
function roundTrip(from: MessageType, to: MessageType, value: object): { bytes: Buffer; object: Record<string, unknown> } {
  const bytes = Buffer.from(from.encode(from.fromObject(value)).finish());
  return { bytes, object: to.toObject(to.decode(bytes), { defaults: true, longs: String }) };
}

describe('the compact Cloud Ops API descriptor', () => {
  it("declares every field of every type of every method's part as the full @temporalio/proto package does", () => {
    for (const methods of [CLOUD_METHODS, ...CLOUD_METHODS.map((method) => [method])]) {
      const types = everyType(cloudApi(methods) as unknown as Reflected);
      assert.ok(types.length >= 5, `only ${types.length} types for ${methods.join()}`);
      for (const type of types) assert.deepEqual(shape(type), shape(fullType(type.fullName)), `${methods.join()}: ${type.fullName}`);
    }
  });

  it('encodes a namespace to the same bytes as the full package, and each decodes the other', () => {
    const compact = cloudType('temporal.api.cloud.namespace.v1.Namespace');
    const full = fullType('temporal.api.cloud.namespace.v1.Namespace');
    const mine = roundTrip(compact, full, NAMESPACE);
    const theirs = roundTrip(full, compact, NAMESPACE);
    assert.ok(mine.bytes.length > 200);
    assert.deepEqual(mine.bytes, theirs.bytes);
    assert.deepEqual(mine.object, theirs.object);
    assert.equal((mine.object['lastModifiedTime'] as { seconds: string }).seconds, '9007199254740993', 'int64 beyond 2^53 survives');
  });

  it('encodes an update request to the same bytes as the full package, and each decodes the other', () => {
    const { requestType } = cloudMethod('UpdateNamespace');
    const full = fullType('temporal.api.cloud.cloudservice.v1.UpdateNamespaceRequest');
    const mine = roundTrip(requestType, full, UPDATE);
    const theirs = roundTrip(full, requestType, UPDATE);
    assert.deepEqual(mine.bytes, theirs.bytes);
    assert.deepEqual(mine.object, theirs.object);
  });

  it('converts to JSON as the full package does, an Any of a type outside the descriptor included', () => {
    const full = (proto() as unknown as { temporal: { api: { cloud: { cloudservice: { v1: Record<string, MessageType> } } } } }).temporal.api.cloud.cloudservice.v1;
    const input = full['CreateUserRequest']!;
    const operation = {
      id: 'op-1',
      state: 2,
      startedTime: { seconds: '1714557600', nanos: 0 },
      operationInput: { typeUrl: 'type.googleapis.com/temporal.api.cloud.cloudservice.v1.CreateUserRequest', value: input.encode(input.fromObject({ spec: { email: 'a@b.c' } })).finish() },
    };
    const json = { bytes: String, enums: String, longs: String, json: true };
    const compact = cloudType('temporal.api.cloud.operation.v1.AsyncOperation');
    const reference = fullType('temporal.api.cloud.operation.v1.AsyncOperation');
    assert.deepEqual(compact.toObject(compact.fromObject(operation), json), reference.toObject(reference.fromObject(operation), json));
  });

  it('converts with the code generated ahead: protobufjs generates none at run time', () => {
    const fresh = { GetNamespace: buildCloudApi(['GetNamespace']), UpdateNamespace: buildCloudApi(['UpdateNamespace']) };
    const { util } = protobufLight() as { util: { codegen: (...args: unknown[]) => unknown } };
    const codegen = util.codegen;
    let generated = 0;
    util.codegen = (...args) => (generated++, codegen(...args));
    try {
      for (const [method, name] of [['GetNamespace', 'temporal.api.cloud.namespace.v1.Namespace'], ['UpdateNamespace', 'temporal.api.cloud.cloudservice.v1.UpdateNamespaceRequest']] as const) {
        const type = fresh[method].lookupType(name);
        const value = name.endsWith('Namespace') ? NAMESPACE : UPDATE;
        type.toObject(type.decode(type.encode(type.fromObject(value)).finish()), { defaults: true, longs: String });
      }
    } finally {
      util.codegen = codegen;
    }
    assert.equal(generated, 0);
  });

  it('holds, for each method the client calls, that method and what it reaches, not the rest of the API', () => {
    for (const method of CLOUD_METHODS) {
      assert.equal(cloudMethod(method).path, `/temporal.api.cloud.cloudservice.v1.CloudService/${method}`);
      const root = cloudApi([method]) as unknown as { lookup(name: string): unknown };
      assert.equal(root.lookup('temporal.api.cloud.identity.v1.UserGroup'), null);
      assert.equal(root.lookup('temporal.api.workflowservice.v1.WorkflowService'), null);
    }
    const namespaceOnly = cloudApi(['GetNamespace']) as unknown as { lookup(name: string): unknown };
    assert.equal(namespaceOnly.lookup('temporal.api.cloud.identity.v1.ApiKey'), null, "GetNamespace's part holds no API key type");
    assert.equal(namespaceOnly.lookup('temporal.api.cloud.cloudservice.v1.UpdateNamespaceRequest'), null);
    const whole = cloudApi() as unknown as { lookup(name: string): unknown };
    assert.ok(whole.lookup('temporal.api.cloud.identity.v1.ApiKey') && whole.lookup('temporal.api.cloud.cloudservice.v1.UpdateNamespaceRequest'), 'the whole descriptor, for --output api, holds every method\'s types');
    assert.equal(whole.lookup('temporal.api.cloud.identity.v1.UserGroup'), null);
    assert.ok((cloudType('temporal.api.cloud.operation.v1.AsyncOperation') as ReflectedType).fieldsArray.length > 0);
  });
});
