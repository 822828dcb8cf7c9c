/**
 * `tcld n create`'s flag values as tcld reads them: regions with their cloud provider, `key=value`
 * tags, `name=type` search attributes. Pure; each refusal is one UsageError in tcld's words.
 */
import { UsageError } from '../../errors.js';

export const CLOUD_PROVIDERS = ['aws', 'gcp'] as const;
export type CloudProvider = (typeof CLOUD_PROVIDERS)[number];

/** tcld's limit: "namespace can only be replicated up to 2 regions". */
const MAX_REGIONS = 2;

/**
 * Region IDs as the Cloud Ops API takes them (`aws-us-east-1`), as tcld makes them: a region given
 * with its provider's prefix is kept, one without gets `--cloud-provider`'s; mixing the two is refused.
 */
export function regionIds(regions: readonly string[], cloudProvider: CloudProvider): string[] {
  if (regions.length === 0) throw new UsageError('required flag --region (-re) not set');
  if (regions.length > MAX_REGIONS) throw new UsageError(`namespace can only be replicated up to ${MAX_REGIONS} regions`);
  const prefixed = (region: string) => CLOUD_PROVIDERS.some((provider) => region.startsWith(`${provider}-`));
  if (regions.some(prefixed)) {
    const other = regions.find((region) => !prefixed(region));
    if (other !== undefined) throw new UsageError(`all regions must have the same cloud provider prefix. Found ${other}`);
    return [...regions];
  }
  return regions.map((region) => `${cloudProvider}-${region}`);
}

/** `--tag key=value`, as tcld reads it: exactly one `=`, each key once. */
export function parseTags(tags: readonly string[]): Record<string, string> {
  const parsed: Record<string, string> = {};
  for (const tag of tags) {
    const parts = tag.split('=');
    if (parts.length !== 2) throw new UsageError(`invalid tag format '${tag}', must be 'key=value'`);
    const [key, value] = parts as [string, string];
    if (Object.hasOwn(parsed, key)) throw new UsageError(`duplicate tag key '${key}' found`);
    parsed[key] = value;
  }
  return parsed;
}

/**
 * tcld's search attribute type names, in its order, with the Cloud Ops API's numbers for them
 * (`temporal.api.cloud.namespace.v1.NamespaceSpec.SearchAttributeType`, which orders TEXT before KEYWORD).
 */
const SEARCH_ATTRIBUTE_TYPES: ReadonlyArray<readonly [string, number]> = [
  ['Keyword', 2],
  ['Text', 1],
  ['Int', 3],
  ['Double', 4],
  ['Datetime', 6],
  ['Bool', 5],
  ['KeywordList', 7],
];

/** `--search-attribute name=type`, as tcld reads it (type names case-sensitive: Keyword, Text…). */
export function parseSearchAttributes(attributes: readonly string[]): Record<string, number> {
  const parsed: Record<string, number> = {};
  for (const attribute of attributes) {
    const parts = attribute.split('=');
    if (parts.length !== 2) throw new UsageError(`invalid search attribute "${attribute}" must be of format: "name=type"`);
    const [name, typeName] = parts as [string, string];
    const type = SEARCH_ATTRIBUTE_TYPES.find(([known]) => known === typeName);
    if (!type) {
      throw new UsageError(`search attribute type "${typeName}" does not exist, acceptable types are: [${SEARCH_ATTRIBUTE_TYPES.map(([known]) => known).join(' ')}]`);
    }
    if (Object.hasOwn(parsed, name)) throw new UsageError(`attribute with name '${name}' already exists`);
    parsed[name] = type[1];
  }
  return parsed;
}
