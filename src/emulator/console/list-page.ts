/** The console's first page: every namespace with its auth method, endpoint, CAs and the expiry that comes first. */
import type { AuthMethod } from '../../cloud/auth-method.js';
import { soonestExpiry, type CaView } from './certificate-view.js';
import { CONSOLE_PATH, consolePage, dateTime, escapeHtml, expiryBadge, namespaceHref, type Viewer } from './layout.js';

export interface NamespaceSummary {
  id: string;
  authMethod: AuthMethod;
  endpoint: string;
  state: string;
  cas: readonly CaView[];
}

export interface NamespaceListPage {
  namespaces: readonly NamespaceSummary[];
  /** More namespaces exist than are listed. */
  more: boolean;
  nonce: string;
  viewer: Viewer;
}

export function namespaceListPage(p: NamespaceListPage): string {
  const rows = p.namespaces.map((n) => {
    const soonest = soonestExpiry(n.cas);
    const expiry = soonest ? `${dateTime(soonest.notAfter)} ${expiryBadge(soonest.daysLeft, soonest.level)}` : '<span class="muted">no CA</span>';
    return `<tr>
<th scope="row"><a href="${escapeHtml(namespaceHref(n.id))}">${escapeHtml(n.id)}</a></th>
<td><code>${escapeHtml(n.authMethod)}</code></td>
<td><code class="nowrap">${escapeHtml(n.endpoint)}</code></td>
<td>${n.cas.length}</td>
<td>${expiry}</td>
<td>${escapeHtml(n.state)}</td>
</tr>`;
  });
  const table =
    p.namespaces.length === 0
      ? '<p>No namespace yet: make one with <code>tcld namespace create</code>, or start the dev-server with <code>--namespace myns.acct</code>.</p>'
      : `<table>
<caption class="muted">CA expiry is coloured as Temporal Cloud sends its notices: within 30, 15 and 5 days.</caption>
<thead><tr><th scope="col">Namespace</th><th scope="col">Auth method</th><th scope="col">Endpoint</th><th scope="col">CAs</th><th scope="col">Soonest CA expiry</th><th scope="col">State</th></tr></thead>
<tbody>
${rows.join('\n')}
</tbody>
</table>${p.more ? '\n<p class="muted">More namespaces exist than are listed here: <code>tcld namespace list</code> shows them all.</p>' : ''}`;
  return consolePage({ title: 'Namespaces', body: `<section aria-label="Namespaces">\n${table}\n</section>`, nonce: p.nonce, viewer: p.viewer, here: CONSOLE_PATH });
}
