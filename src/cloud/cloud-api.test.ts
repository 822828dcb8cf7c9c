import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cloudApiDescriptor, protobufLight, protobufRuntime } from './cloud-api-source.js';
import { CLOUD_METHODS, cloudMethod, cloudType, cloudTypeNames, type ReflectedType } from './cloud-api.js';
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
  it('declares every field of every type of the compact descriptor as the full @temporalio/proto package does', () => {
    const protobuf = protobufLight() as { Root: { fromJSON(json: object): { resolveAll(): object } } };
    const types = everyType(protobuf.Root.fromJSON(cloudApiDescriptor(CLOUD_SERVICE, CLOUD_METHODS)).resolveAll() as Reflected);
    assert.ok(types.length > 60, `only ${types.length} types`);
    for (const type of types) assert.deepEqual(shape(type), shape(fullType(type.fullName)), type.fullName);
  });

  it("gives every static type the full package's fields, in its order, holding the same types", () => {
    const names = cloudTypeNames();
    assert.ok(names.length > 50, `only ${names.length} types`);
    for (const name of names) {
      const fields = (type: { fieldsArray: Array<{ name: string; repeated: boolean; map: boolean; resolvedType: unknown }> }) =>
        type.fieldsArray.map((f) => ({ name: f.name, repeated: f.repeated, map: f.map, type: (f.resolvedType as { fullName?: string; values?: object } | null)?.fullName ?? (f.resolvedType ? 'enum' : null) }));
      const full = fullType(name) as unknown as Parameters<typeof fields>[0];
      const expected = fields(full).map((f, i) => (f.type !== null && !('fieldsArray' in (full.fieldsArray[i]!.resolvedType as object)) ? { ...f, type: 'enum' } : f));
      assert.deepEqual(fields(cloudType(name) as unknown as Parameters<typeof fields>[0]), expected, name);
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

  it('makes its types from the code generated ahead: protobufjs builds no reflection and generates no code at run time', () => {
    cloudTypeNames(); // the static code exists (run from source, it is generated now)
    const { util } = protobufRuntime() as { util: { codegen?: (...args: unknown[]) => unknown } };
    const { Type } = protobufLight() as { Type: new (...args: never[]) => unknown };
    const codegen = util.codegen;
    let generated = 0;
    util.codegen = (...args) => (generated++, codegen!(...args));
    try {
      for (const [name, value] of [['temporal.api.cloud.namespace.v1.Namespace', NAMESPACE], ['temporal.api.cloud.cloudservice.v1.UpdateNamespaceRequest', UPDATE]] as const) {
        const type = cloudType(name);
        assert.ok(!(type instanceof Type), `${name} is protobufjs reflection`);
        type.toObject(type.decode(type.encode(type.fromObject(value)).finish()), { defaults: true, longs: String });
      }
    } finally {
      util.codegen = codegen;
    }
    assert.equal(generated, 0);
  });

  it('holds the methods the client calls and what they reach, not the rest of the API', () => {
    const service = (proto() as unknown as { lookupService(name: string): { methods: Record<string, { responseStream?: boolean; resolve(): { resolvedRequestType: { fullName: string } } }> } }).lookupService(CLOUD_SERVICE);
    for (const method of CLOUD_METHODS) {
      const { path, requestType, responseStream } = cloudMethod(method);
      assert.equal(path, `/temporal.api.cloud.cloudservice.v1.CloudService/${method}`);
      assert.equal((requestType as ReflectedType).fullName, service.methods[method]!.resolve().resolvedRequestType.fullName);
      assert.equal(responseStream, service.methods[method]!.responseStream === true, `${method} is unary`);
    }
    const names = new Set(cloudTypeNames());
    assert.ok(names.has('.temporal.api.cloud.identity.v1.ApiKey') && names.has('.temporal.api.cloud.cloudservice.v1.UpdateNamespaceRequest'));
    assert.ok(!names.has('.temporal.api.cloud.identity.v1.UserGroup'));
    assert.ok(![...names].some((name) => name.startsWith('.temporal.api.workflowservice.')));
    assert.ok((cloudType('temporal.api.cloud.operation.v1.AsyncOperation') as ReflectedType).fieldsArray.length > 0);
  });
});
