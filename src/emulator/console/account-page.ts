/** The account's page: its metrics endpoint and that endpoint's CA bundle, and its API keys (never a secret). */
import type { ApiKeyRecord } from './actions.js';
import { caCards, timelineSvg } from './ca-section.js';
import { daysLeft, expiryLevel, type CaView } from './certificate-view.js';
import { ACCOUNT_PATH, consolePage, dateTime, escapeHtml, expiryBadge, type Viewer } from './layout.js';

export interface AccountPage {
  id: string;
  /** The endpoint's URI while it is on and served. */
  metricsUri?: string;
  metricsCas: readonly CaView[];
  apiKeys: readonly ApiKeyRecord[];
  now: Date;
  nonce: string;
  viewer: Viewer;
}

export function accountPage(p: AccountPage): string {
  const endpoint =
    p.metricsUri !== undefined
      ? `<p>Prometheus scrapes <code class="fp">${escapeHtml(p.metricsUri)}</code> with a client certificate issued by one of the CAs below.</p>`
      : p.metricsCas.length > 0
        ? '<p>On (its bundle holds a CA), but this dev-server does not serve it: start it with <code>--account-metrics-port</code>.</p>'
        : "<p>Off: its CA bundle is empty. Adding a CA turns it on: <code>tcld account metrics accepted-client-ca add</code>.</p>";
  const cas = p.metricsCas.length === 0 ? '' : `${timelineSvg(p.metricsCas, p.now)}\n${caCards(p.metricsCas)}`;
  const keys =
    p.apiKeys.length === 0
      ? "<p>No API key made yet (<code>tcld apikey create</code>). The dev-server's own <code>--api-key</code> keys are not listed.</p>"
      : `<table>
<thead><tr><th scope="col">ID</th><th scope="col">Name</th><th scope="col">Description</th><th scope="col">Owner</th><th scope="col">Expires</th><th scope="col">State</th></tr></thead>
<tbody>
${p.apiKeys.map(keyRow(p.now)).join('\n')}
</tbody>
</table>
<p class="muted">Secrets are never shown: the dev-server keeps only a digest of each. Its own <code>--api-key</code> keys are not listed.</p>`;
  const body = `<section aria-label="Account"><dl><dt>Account</dt><dd><code>${escapeHtml(p.id)}</code></dd></dl></section>
<section aria-labelledby="metrics-heading">
<h2 id="metrics-heading">Metrics endpoint</h2>
${endpoint}
${cas}
</section>
<section aria-labelledby="keys-heading">
<h2 id="keys-heading">API keys</h2>
${keys}
</section>`;
  return consolePage({ title: 'Account', body, nonce: p.nonce, viewer: p.viewer, here: ACCOUNT_PATH });
}

function keyRow(now: Date) {
  return (key: ApiKeyRecord) =>
    `<tr><th scope="row"><code>${escapeHtml(key.id)}</code></th><td>${escapeHtml(key.displayName)}</td><td>${escapeHtml(key.description)}</td><td><code>${escapeHtml(key.ownerId)}</code></td><td>${dateTime(key.expiry)} ${expiryBadge(daysLeft(key.expiry, now), expiryLevel(key.expiry, now))}</td><td>${escapeHtml(key.disabled ? 'disabled' : key.state)}</td></tr>`;
}
