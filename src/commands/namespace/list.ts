import { apiJson } from '../../cloud/api-json.js';
import type { NamespacePage } from '../../cloud/client.js';
import type { TcldNamespaceList } from '../../cloud/tcld-json.js';
import { tcldNamespace } from '../../cloud/tcld-namespace.js';
import { UsageError } from '../../errors.js';
import { withCloud, type ConnectionFlags } from '../cloud-flags.js';
import type { Deps } from '../deps.js';
import { API_INDENT, printJson, TCLD_PROTO_INDENT, type Printable } from '../output-format.js';

/** tcld's bounds for --page-size. */
export const MAX_PAGE_SIZE = 1000;

export interface NamespaceListOptions extends ConnectionFlags {
  /** --page-size: a whole number from 1 to 1000. */
  pageSize?: string;
  /** --page-token: the nextPageToken a previous page printed. */
  pageToken?: string;
  /** json (default), tcld's list of IDs; table; api, the Cloud Ops API's GetNamespacesResponse. */
  output?: 'json' | 'table' | 'api';
}

/**
 * `tcld n l`: the namespaces the API key can see. As tcld: with --page-size or --page-token, the one
 * page asked for and its nextPageToken; without either, every page, and nextPageToken "".
 */
export async function run(options: NamespaceListOptions, deps: Deps): Promise<Printable> {
  const output = options.output ?? 'json';
  const pageSize = parsePageSize(options.pageSize);
  const onePage = pageSize !== undefined || Boolean(options.pageToken);
  const page: NamespacePage = await withCloud(options, deps, async (client) =>
    onePage
      ? client.getNamespacesPage({ pageSize: pageSize ?? 0, pageToken: options.pageToken ?? '' })
      : { namespaces: await client.getNamespaces(), nextPageToken: '' },
  );
  if (output === 'api') return printJson(apiJson('GetNamespacesResponse', page), API_INDENT);
  if (output === 'table') {
    const rows = page.namespaces.map(tcldNamespace).map((n) => [n.namespace, n.state, n.spec.authMethod, n.uri?.grpc ?? '']);
    const notes = page.nextPageToken ? [`more namespaces: --page-token ${page.nextPageToken}`] : [];
    return { format: 'table', header: ['NAMESPACE', 'STATE', 'AUTH METHOD', 'GRPC ENDPOINT'], rows, notes };
  }
  const list: TcldNamespaceList = { namespaces: page.namespaces.map((n) => String(n.namespace)), nextPageToken: page.nextPageToken };
  return printJson(list, TCLD_PROTO_INDENT);
}

/** --page-size as tcld checks it (its messages), or undefined when not given. */
function parsePageSize(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  if (!/^-?\d+$/.test(text.trim())) throw new UsageError(`--page-size must be a whole number, not ${JSON.stringify(text)}`);
  const size = Number(text.trim());
  if (size <= 0) throw new UsageError('page size cannot be less than or equal to 0');
  if (size > MAX_PAGE_SIZE) throw new UsageError(`page size cannot be greater than ${MAX_PAGE_SIZE}`);
  return size;
}
