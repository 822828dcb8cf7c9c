/**
 * Derives the compact descriptor of the Cloud Ops API that tcld's client loads: from the installed
 * @temporalio/proto's reflection data (every Temporal API message), only the CloudService methods the
 * client calls and the message and enum types they reach, as protobufjs JSON (`Root.fromJSON`).
 * scripts/build.mjs runs this at build time; run from source, cloud-api-source.ts runs it on first use.
 * Options that only document (file options, HTTP and OpenAPI annotations on methods) are left out;
 * everything that decides the encoding (field numbers, types, rules, map keys, editions, packed) stays.
 */

/** The part of a protobufjs reflection object this reads. */
export interface ReflectedRoot {
  lookupService(name: string): {
    fullName: string;
    methods: Record<string, { resolve(): unknown; resolvedRequestType: ReflectedType | null; resolvedResponseType: ReflectedType | null }>;
  };
  toJSON(): DescriptorJson;
}

interface ReflectedType {
  fullName: string;
  fieldsArray?: Array<{ resolve(): unknown; resolvedType: ReflectedType | null }>;
}

/** protobufjs's JSON of a namespace, type, enum or service (INamespace and its kin). */
export interface DescriptorJson {
  nested?: Record<string, DescriptorJson>;
  methods?: Record<string, DescriptorJson>;
  options?: Record<string, unknown>;
  parsedOptions?: unknown;
  [key: string]: unknown;
}

/** Every type `methods` of `serviceName` reach, and that JSON of them, nested in their packages. */
export function deriveCloudApi(full: ReflectedRoot, serviceName: string, methods: readonly string[]): DescriptorJson {
  const service = full.lookupService(serviceName);
  const reached = new Set<string>();
  const visit = (type: ReflectedType | null): void => {
    if (!type || reached.has(type.fullName)) return;
    reached.add(type.fullName);
    for (const field of type.fieldsArray ?? []) {
      field.resolve();
      visit(field.resolvedType);
    }
  };
  for (const name of methods) {
    const method = service.methods[name];
    if (!method) throw new Error(`${serviceName} has no method ${name} in the installed @temporalio/proto`);
    method.resolve();
    visit(method.resolvedRequestType);
    visit(method.resolvedResponseType);
  }
  reached.add(service.fullName);
  const kept = (fullName: string): 'self' | 'below' | undefined => {
    if (reached.has(fullName)) return 'self';
    const prefix = `${fullName}.`;
    for (const name of reached) if (name.startsWith(prefix)) return 'below';
    return undefined;
  };
  const prune = (json: DescriptorJson, fullName: string): DescriptorJson => {
    const out: DescriptorJson = { ...json };
    if (fullName === service.fullName) out.methods = Object.fromEntries(methods.map((name) => [name, withoutOptions(json.methods![name]!)]));
    // A package's options (go_package, java_package...) only name generated code; a type's stay.
    if (!('fields' in json || 'values' in json)) {
      delete out.options;
      delete out.parsedOptions;
    }
    delete out.nested;
    const nested = Object.entries(json.nested ?? {}).flatMap(([name, child]) => {
      const childName = `${fullName}.${name}`;
      return kept(childName) ? [[name, prune(child, childName)] as const] : [];
    });
    if (nested.length > 0) out.nested = Object.fromEntries(nested);
    return out;
  };
  return prune(full.toJSON(), '');
}

function withoutOptions(method: DescriptorJson): DescriptorJson {
  const { options: _options, parsedOptions: _parsed, ...rest } = method;
  return rest;
}
