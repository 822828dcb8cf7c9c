/**
 * One namespace per connection: which calls a client admitted for namespace N may make through the
 * gateway. Temporal Cloud's endpoint `<namespace>.<account>.tmprl.cloud` serves that namespace only,
 * so a call forwarded upstream must be about N:
 * - its `temporal-namespace` header, when sent, is N (the gateway sets it when absent);
 * - the request's `namespace` field, when its message has one, is N (an empty one is refused too:
 *   the upstream would read it as "no namespace", not as N), and so are the namespaces of the requests
 *   nested in it (ExecuteMultiOperation's operations);
 * - a namespace named by ID instead (DescribeNamespace's `id`, DeleteNamespace's `namespace_id`)
 *   is refused: the gateway cannot tell whose ID it is;
 * - methods about every namespace or the cluster's administration (ListNamespaces, the Nexus endpoint
 *   registry, remote clusters) are refused; system calls without a namespace (GetSystemInfo,
 *   GetClusterInfo, GetSearchAttributes, grpc.health.v1.Health) pass.
 * Methods of other services are not forwarded. Refusals are PERMISSION_DENIED, unknown methods
 * UNIMPLEMENTED. What a request carries beyond these fields (task tokens, links to workflows of other
 * namespaces) is for the upstream to judge: a Temporal server checks that a task token's namespace is
 * the request's.
 */
import { status } from '@grpc/grpc-js';
import { HEALTH_SERVICE, serviceMethods, type MessageType } from '../../cloud/proto.js';
import { WORKFLOW_SERVICE } from './frontend.js';

export const OPERATOR_SERVICE = 'temporal.api.operatorservice.v1.OperatorService';
export const NAMESPACE_HEADER = 'temporal-namespace';

/** Methods refused whatever their request says: they are about every namespace, or administer the cluster. */
const NOT_FOR_ONE_NAMESPACE: Readonly<Record<string, string>> = {
  [`/${WORKFLOW_SERVICE}/ListNamespaces`]: 'lists every namespace of the server',
  [`/${WORKFLOW_SERVICE}/RegisterNamespace`]: 'creates a namespace',
  [`/${OPERATOR_SERVICE}/AddOrUpdateRemoteCluster`]: 'administers the cluster',
  [`/${OPERATOR_SERVICE}/RemoveRemoteCluster`]: 'administers the cluster',
  [`/${OPERATOR_SERVICE}/ListClusters`]: 'administers the cluster',
  [`/${OPERATOR_SERVICE}/GetNexusEndpoint`]: "reads the account's Nexus endpoint registry",
  [`/${OPERATOR_SERVICE}/CreateNexusEndpoint`]: "changes the account's Nexus endpoint registry",
  [`/${OPERATOR_SERVICE}/UpdateNexusEndpoint`]: "changes the account's Nexus endpoint registry",
  [`/${OPERATOR_SERVICE}/DeleteNexusEndpoint`]: "changes the account's Nexus endpoint registry",
  [`/${OPERATOR_SERVICE}/ListNexusEndpoints`]: "reads the account's Nexus endpoint registry",
};

/** Fields that name a namespace by ID, which the gateway cannot check: they must be empty. */
const ID_FIELDS: Readonly<Record<string, string>> = {
  [`/${WORKFLOW_SERVICE}/DescribeNamespace`]: 'id',
  [`/${OPERATOR_SERVICE}/DeleteNamespace`]: 'namespaceId',
};

/** Nested requests are followed this deep at most (ExecuteMultiOperation needs 2). */
const MAX_DEPTH = 3;

export type MethodRule =
  | { kind: 'deny'; message: string }
  | { kind: 'check'; requestType: MessageType; namespacePaths: string[][]; idField?: string };

export type GuardVerdict = { ok: true } | { ok: false; code: status; message: string };

export interface NamespaceGuard {
  /** The rule of a `:path`, or undefined for a method the gateway does not forward. */
  ruleOf(path: string): MethodRule | undefined;
}

interface ReflectedType {
  fullName: string;
  fields: Record<string, { name: string; type: string; repeated: boolean; resolvedType: ReflectedType | null }>;
  resolveAll(): void;
}

export function createNamespaceGuard(): NamespaceGuard {
  const rules = new Map<string, MethodRule>();
  for (const serviceName of [WORKFLOW_SERVICE, OPERATOR_SERVICE, HEALTH_SERVICE]) {
    for (const method of serviceMethods(serviceName)) {
      const denied = NOT_FOR_ONE_NAMESPACE[method.path];
      if (denied) {
        rules.set(method.path, { kind: 'deny', message: `${method.name} ${denied}: this endpoint serves one namespace` });
        continue;
      }
      // The request type is protobufjs's reflected Type, whose fields this walks once they are resolved.
      const type = method.requestType as unknown as ReflectedType;
      type.resolveAll();
      const rule: MethodRule = { kind: 'check', requestType: method.requestType, namespacePaths: namespacePaths(type, MAX_DEPTH) };
      if (ID_FIELDS[method.path]) rule.idField = ID_FIELDS[method.path];
      rules.set(method.path, rule);
    }
  }
  return { ruleOf: (path) => rules.get(path) };
}

/** Paths to the `namespace` string fields of a request and of the requests nested in it. */
function namespacePaths(type: ReflectedType, depth: number): string[][] {
  const paths: string[][] = [];
  for (const field of Object.values(type.fields)) {
    if (field.name === 'namespace' && field.type === 'string') paths.push([field.name]);
    const nested = field.resolvedType;
    if (depth > 1 && nested?.fields && /\.(workflowservice|operatorservice)\.v1\./.test(`${nested.fullName}.`)) {
      for (const rest of namespacePaths(nested, depth - 1)) paths.push([field.name, ...rest]);
    }
  }
  return paths;
}

/** The `temporal-namespace` header's verdict: absent or `namespace`. */
export function checkHeader(value: string | string[] | undefined, namespace: string): GuardVerdict {
  if (value === undefined) return { ok: true };
  const sent = Array.isArray(value) ? value : [value];
  if (sent.every((v) => v === namespace)) return { ok: true };
  return denied(`this endpoint serves namespace ${namespace}; the call's ${NAMESPACE_HEADER} header names ${JSON.stringify(sent.join(', '))}`);
}

/** A request message's verdict under the rule of its method. */
export function checkRequest(rule: Extract<MethodRule, { kind: 'check' }>, message: Uint8Array, namespace: string): GuardVerdict {
  if (rule.namespacePaths.length === 0 && !rule.idField) return { ok: true };
  let decoded: Record<string, unknown>;
  try {
    decoded = rule.requestType.decode(message) as Record<string, unknown>;
  } catch (error) {
    return { ok: false, code: status.INVALID_ARGUMENT, message: `cannot decode the request: ${(error as Error).message}` };
  }
  if (rule.idField && typeof decoded[rule.idField] === 'string' && decoded[rule.idField] !== '') {
    return denied(`this endpoint serves namespace ${namespace} and does not take a namespace by ID; name it in the namespace field instead`);
  }
  for (const path of rule.namespacePaths) {
    for (const value of valuesAt(decoded, path)) {
      if (value !== namespace) return denied(`this endpoint serves namespace ${namespace}; the request names namespace ${JSON.stringify(value ?? '')}`);
    }
  }
  return { ok: true };
}

/** The values at a path of a decoded message, through repeated fields; a nested message that is absent has none. */
function valuesAt(message: unknown, path: readonly string[]): Array<string | undefined> {
  if (path.length === 1) return [(message as Record<string, unknown>)[path[0]!] as string | undefined];
  const next = (message as Record<string, unknown>)[path[0]!];
  if (next === undefined || next === null) return [];
  const items = Array.isArray(next) ? next : [next];
  return items.flatMap((item) => valuesAt(item, path.slice(1)));
}

function denied(message: string): GuardVerdict {
  return { ok: false, code: status.PERMISSION_DENIED, message };
}
