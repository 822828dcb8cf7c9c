/**
 * A namespace's page: its CAs (timeline and cards), the form that adds CAs, its certificate filters and
 * the form that replaces them, and the endpoint's last admissions and refusals, kept live by the page's
 * script. After a refusal the page comes back with the message beside the form and what was typed.
 */
import type { AuthMethod } from '../../cloud/auth-method.js';
import { FILTER_FIELDS, formatFiltersJson, type CertificateFilter } from '../../pki/filters.js';
import type { AdmissionEvent } from './admission-log.js';
import { caCards, timelineSvg } from './ca-section.js';
import type { CaView } from './certificate-view.js';
import { admissionEventsPath } from './events-route.js';
import { alertBox, consolePage, dateTime, escapeHtml, hiddenFields, NAMESPACE_PATH, namespaceHref, type Viewer } from './layout.js';
import { NAMESPACE_SCRIPT } from './namespace-script.js';

export const ADD_CA_PATH = `${NAMESPACE_PATH}/add-ca`;
export const REMOVE_CA_PATH = `${NAMESPACE_PATH}/remove-ca`;
export const FILTERS_PATH = `${NAMESPACE_PATH}/filters`;

/** The namespace page's forms, for saying which one an outcome belongs to. */
export type NamespaceForm = 'add-ca' | 'remove-ca' | 'filters';

export type FormOutcome = { form: NamespaceForm; ok: true; operationId: string } | { form: NamespaceForm; ok: false; message: string };

export interface NamespaceView {
  id: string;
  authMethod: AuthMethod;
  endpoint: string;
  state: string;
  resourceVersion: string;
}

export interface NamespacePage {
  namespace: NamespaceView;
  cas: readonly CaView[];
  filters: readonly CertificateFilter[];
  /** Newest first, as AdmissionLog.recent gives them. */
  admissions: readonly AdmissionEvent[];
  now: Date;
  nonce: string;
  viewer: Viewer;
  outcome?: FormOutcome;
  /** What was typed in the forms, kept after a refusal. */
  drafts?: { pem?: string; filters?: string };
}

const DONE: Record<NamespaceForm, string> = {
  'add-ca': 'The CA was added',
  'remove-ca': 'The CA was removed',
  filters: 'The certificate filters were saved',
};

export function namespacePage(p: NamespacePage): string {
  const { namespace: ns, viewer } = p;
  const here = namespaceHref(ns.id);
  const accepted =
    p.outcome?.ok === true
      ? `<p class="notice" role="status">${escapeHtml(DONE[p.outcome.form])}: async operation <code>${escapeHtml(p.outcome.operationId)}</code> (<code>tcld request get -r ${escapeHtml(p.outcome.operationId)}</code>).</p>\n`
      : '';
  const refusal = (form: NamespaceForm) => (p.outcome?.ok === false && p.outcome.form === form ? alertBox(p.outcome.message, `${form}-error`) : '');
  const common = { id: ns.id, resource_version: ns.resourceVersion, csrf_token: viewer.csrfToken };
  const signInHint = viewer.signedInAs === undefined ? '<p class="muted">Changes need signing in with an API key (top right); reading does not.</p>\n' : '';

  const summary = `<section aria-label="Summary"><dl>
<dt>Auth method</dt><dd><code>${escapeHtml(ns.authMethod)}</code></dd>
<dt>Endpoint</dt><dd><code class="fp">${escapeHtml(ns.endpoint)}</code></dd>
<dt>State</dt><dd>${escapeHtml(ns.state)}</dd>
<dt>Resource version</dt><dd><code>${escapeHtml(ns.resourceVersion)}</code></dd>
</dl></section>`;

  const cas =
    p.cas.length === 0
      ? '<p>No accepted CA: no client can connect with a certificate.</p>'
      : `${timelineSvg(p.cas, p.now)}
${caCards(p.cas, { actions: (ca, index) => `<p><a href="${escapeHtml(`${REMOVE_CA_PATH}?id=${encodeURIComponent(ns.id)}&fingerprint=${ca.sha1}`)}" aria-describedby="ca-${index + 1}">Remove CA ${index + 1}…</a></p>` })}`;

  const addForm = `<form method="post" action="${ADD_CA_PATH}" id="add-ca">
${hiddenFields(common)}
${refusal('add-ca')}<label for="pem">PEM of the CA certificates to add</label>
<textarea id="pem" name="pem" rows="6" spellcheck="false" placeholder="-----BEGIN CERTIFICATE-----" aria-describedby="pem-help${p.outcome?.ok === false && p.outcome.form === 'add-ca' ? ' add-ca-error' : ''}">${escapeHtml(p.drafts?.pem ?? '')}</textarea>
<p class="muted" id="pem-help">Paste, or choose a file below. Temporal Cloud's bundle rules apply: CA certificates only, none expired, at most 16 and 32 KB.</p>
<label for="pem-file">Or upload a PEM file</label>
<input type="file" id="pem-file" accept=".pem,.crt,.cer,application/x-pem-file">
<p><button type="submit" class="primary">Add CA</button></p>
</form>`;

  const filterRows = p.filters.map((filter) => `<tr>${FILTER_FIELDS.map((field) => `<td>${filter[field] === undefined ? '<span class="muted">any</span>' : escapeHtml(filter[field]!)}</td>`).join('')}</tr>`);
  const filters = `${
    p.filters.length === 0
      ? '<p>No certificate filter: any client certificate issued by the CAs above is admitted.</p>'
      : `<table><thead><tr><th scope="col">Common name</th><th scope="col">Organization</th><th scope="col">Organizational unit</th><th scope="col">Subject alternative name</th></tr></thead>
<tbody>${filterRows.join('\n')}</tbody></table>`
  }
<form method="post" action="${FILTERS_PATH}" id="filters">
${hiddenFields(common)}
${refusal('filters')}<label for="filters-json">Filters as JSON (the format of <code>tcld namespace certificate-filters export</code>)</label>
<textarea id="filters-json" name="filters" rows="8" spellcheck="false" aria-describedby="filters-help">${escapeHtml(p.drafts?.filters ?? formatFiltersJson(p.filters))}</textarea>
<p class="muted" id="filters-help">A client is admitted when any one filter matches it (every field a filter sets must match; <code>*</code> is a wildcard). An empty list admits every certificate of the CAs.</p>
<p><button type="submit" class="primary">Save filters</button></p>
</form>`;

  const body = `${accepted}${summary}
<section aria-labelledby="cas-heading">
<h2 id="cas-heading">Accepted client CAs</h2>
${refusal('remove-ca')}${signInHint}${cas}
<h3>Add CAs</h3>
${addForm}
</section>
<section aria-labelledby="filters-heading">
<h2 id="filters-heading">Certificate filters</h2>
${filters}
</section>
<section aria-labelledby="admissions-heading">
<h2 id="admissions-heading">Recent connections</h2>
${admissionsTable(ns.id, p.admissions)}
</section>`;
  return consolePage({ title: ns.id, body, nonce: p.nonce, viewer, here, script: NAMESPACE_SCRIPT });
}

/** The last admissions and refusals as the server knows them; the script adds newer ones at the top. */
function admissionsTable(id: string, events: readonly AdmissionEvent[]): string {
  const rows = events.map(
    (e) => `<tr data-seq="${e.seq}"><td>${dateTime(new Date(e.at))}</td><td><span class="badge result-${escapeHtml(e.result)}">${escapeHtml(e.result)}</span></td><td>${escapeHtml(e.subject || '(no certificate)')}</td><td><code class="fp">${escapeHtml(e.fingerprint)}</code></td><td>${e.code ? `<code>${escapeHtml(e.code)}</code>${e.message ? ` ${escapeHtml(e.message)}` : ''}` : ''}</td></tr>`,
  );
  const last = events.reduce((max, e) => Math.max(max, e.seq), 0);
  return `<p class="muted">The last 50 clients the endpoint admitted, refused, or closed after a change, newest first.</p>
<p id="live-status" class="muted" role="status" aria-live="polite">Live updates need JavaScript; reload to see newer connections.</p>
<table>
<thead><tr><th scope="col">Time</th><th scope="col">Result</th><th scope="col">Client subject</th><th scope="col">Fingerprint (SHA-256)</th><th scope="col">Reason</th></tr></thead>
<tbody id="admissions" data-events="${escapeHtml(admissionEventsPath(id))}" data-last-seq="${last}" data-live="off">
${rows.join('\n')}
</tbody>
</table>
<p id="admissions-empty"${events.length > 0 ? ' hidden' : ''}>No client has connected since the dev-server started.</p>`;
}

export interface RemoveCaPage {
  namespace: NamespaceView;
  ca: CaView;
  nonce: string;
  viewer: Viewer;
}

/** The question before a CA is removed (as tcld asks), with the one button that removes it. */
export function removeCaPage(p: RemoveCaPage): string {
  const { namespace: ns, ca, viewer } = p;
  const body = `<section>
<p>Remove this CA from namespace <strong>${escapeHtml(ns.id)}</strong>? Clients with certificates it issued will be refused.</p>
<dl>
<dt>Subject</dt><dd>${escapeHtml(ca.subject)}</dd>
<dt>SHA-1</dt><dd><code class="fp">${escapeHtml(ca.sha1)}</code></dd>
<dt>Not after</dt><dd>${dateTime(ca.notAfter)}</dd>
</dl>
${viewer.signedInAs === undefined ? '<p class="muted">Removing needs signing in with an API key (top right).</p>\n' : ''}<form method="post" action="${REMOVE_CA_PATH}">
${hiddenFields({ id: ns.id, resource_version: ns.resourceVersion, fingerprint: ca.sha1, csrf_token: viewer.csrfToken })}
<p><button type="submit" class="danger">Remove CA</button> <a href="${escapeHtml(namespaceHref(ns.id))}">Cancel</a></p>
</form>
</section>`;
  return consolePage({ title: `Remove a CA from ${ns.id}`, body, nonce: p.nonce, viewer, here: `${REMOVE_CA_PATH}?id=${encodeURIComponent(ns.id)}&fingerprint=${ca.sha1}` });
}
