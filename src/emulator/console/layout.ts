/**
 * The console's page frame: the navigation, who is signed in (or the link to sign in), the stylesheet
 * under the response's CSP nonce, and the small pieces every page uses (expiry badges, dates). Every
 * value is escaped here or by the caller with escapeHtml; no page builds HTML from unescaped input.
 */
import { escapeHtml, sentence } from '../identity/pages.js';
import type { ExpiryLevel } from './certificate-view.js';

export { escapeHtml, sentence };

export const CONSOLE_PATH = '/console';
export const NAMESPACE_PATH = '/console/namespace';
export const ACCOUNT_PATH = '/console/account';
export const SIGN_IN_PATH = '/console/signin';
export const SIGN_OUT_PATH = '/console/signout';

/** Where a namespace's page is. */
export function namespaceHref(id: string): string {
  return `${NAMESPACE_PATH}?id=${encodeURIComponent(id)}`;
}

/** Who this browser is signed in as, and the CSRF token its forms carry. */
export interface Viewer {
  signedInAs?: string;
  csrfToken: string;
}

export interface ConsolePage {
  title: string;
  /** Escaped HTML of the page's content, under its heading. */
  body: string;
  nonce: string;
  viewer: Viewer;
  /** This page's path and query, where signing in or out comes back to. */
  here: string;
  /** Script run at the end of the page (under the nonce); none by default. */
  script?: string;
}

export const CONSOLE_STYLE = `
:root { color-scheme: light; }
body { font: 15px/1.5 system-ui, sans-serif; margin: 0; background: #f5f5f7; color: #1d1d1f; }
a { color: #1d4ed8; }
.skip { position: absolute; left: -999px; }
.skip:focus { left: 1rem; top: 1rem; background: #fff; padding: .5rem; z-index: 1; }
header { background: #1e293b; color: #f8fafc; }
header .bar { max-width: 72rem; margin: 0 auto; padding: .6rem 1.5rem; display: flex; gap: 1.5rem; align-items: center; flex-wrap: wrap; }
header a { color: #f8fafc; font-weight: 600; text-decoration: none; }
header a:hover, header a[aria-current] { text-decoration: underline; }
header .brand { font-weight: 700; }
header .session { margin-left: auto; display: flex; gap: .75rem; align-items: center; font-size: .875rem; }
header .session form { margin: 0; }
header button { background: transparent; color: #f8fafc; border-color: #94a3b8; }
main { max-width: 72rem; margin: 1.5rem auto; padding: 0 1.5rem; }
h1 { font-size: 1.5rem; margin: 0 0 1rem; word-break: break-all; }
h2 { font-size: 1.15rem; margin: 0 0 .75rem; }
h3 { font-size: 1rem; margin: 1.25rem 0 .5rem; word-break: break-all; }
.ca h3 { margin-top: 0; }
section, .card { background: #fff; border-radius: 10px; box-shadow: 0 1px 3px rgba(0,0,0,.12); padding: 1rem 1.25rem; margin-bottom: 1rem; }
table { border-collapse: collapse; width: 100%; }
caption { text-align: left; padding-bottom: .5rem; }
.nowrap { white-space: nowrap; }
th, td { text-align: left; padding: .45rem .6rem; border-bottom: 1px solid #e2e8f0; vertical-align: top; }
th { font-size: .85rem; color: #475569; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .2rem 1rem; margin: 0; }
dt { color: #475569; }
dd { margin: 0; word-break: break-word; }
code, .fp { font: 13px ui-monospace, monospace; }
.fp { word-break: break-all; }
.muted { color: #475569; font-size: .9rem; }
.badge { display: inline-block; padding: .05rem .5rem; border-radius: 999px; font-weight: 600; font-size: .85rem; white-space: nowrap; }
.level-ok { background: #dcfce7; color: #14532d; }
.level-within-30-days { background: #fef9c3; color: #713f12; }
.level-within-15-days { background: #ffedd5; color: #7c2d12; }
.level-within-5-days { background: #fee2e2; color: #7f1d1d; }
.level-expired { background: #7f1d1d; color: #fff; }
.result-admitted { background: #dcfce7; color: #14532d; }
.result-refused { background: #fee2e2; color: #7f1d1d; }
.result-closed { background: #e2e8f0; color: #1e293b; }
button { font: inherit; padding: .35rem 1rem; border-radius: 8px; border: 1px solid #64748b; background: #fff; color: #1d1d1f; cursor: pointer; }
button.primary { background: #1d4ed8; border-color: #1d4ed8; color: #fff; }
button.danger { border-color: #b91c1c; color: #b91c1c; }
a:focus-visible, button:focus-visible, input:focus-visible, textarea:focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
textarea { width: 100%; box-sizing: border-box; font: 13px ui-monospace, monospace; padding: .5rem; }
input[type=password] { font: inherit; padding: .35rem; width: 100%; max-width: 32rem; box-sizing: border-box; }
label { font-weight: 600; display: block; margin: .5rem 0 .25rem; }
.error { color: #b91c1c; font-weight: 600; }
.notice { background: #eff6ff; border-left: 4px solid #1d4ed8; padding: .5rem .75rem; }
.cas { display: grid; gap: .75rem; }
.ca { border: 1px solid #e2e8f0; border-radius: 8px; padding: .75rem 1rem; }
.ca form { margin-top: .5rem; }
svg.timeline { width: 100%; height: auto; display: block; margin: .5rem 0 1rem; }
svg .track { fill: #f1f5f9; }
svg .window { fill: #93c5fd; stroke: #1d4ed8; }
svg .window.expired { fill: #fca5a5; stroke: #7f1d1d; }
svg .overlap { fill: #1d4ed8; opacity: .25; }
svg .now { stroke: #b91c1c; stroke-width: 2; }
svg text { font: 11px system-ui, sans-serif; fill: #1e293b; }
footer { max-width: 72rem; margin: 2rem auto; padding: 0 1.5rem; font-size: .85rem; color: #475569; }
`;

/** A whole console page. */
export function consolePage(p: ConsolePage): string {
  const current = (path: string) => (p.here.split('?')[0] === path ? ' aria-current="page"' : '');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(p.title)} · tcld dev-server console</title>
<style nonce="${escapeHtml(p.nonce)}">${CONSOLE_STYLE}</style>
</head>
<body>
<a class="skip" href="#main">Skip to the content</a>
<header>
<div class="bar">
<span class="brand">tcld dev-server</span>
<nav aria-label="Console"><a href="${CONSOLE_PATH}"${current(CONSOLE_PATH)}>Namespaces</a> · <a href="${ACCOUNT_PATH}"${current(ACCOUNT_PATH)}>Account</a></nav>
<div class="session">${sessionBox(p.viewer, p.here)}</div>
</div>
</header>
<main id="main" tabindex="-1">
<h1>${escapeHtml(p.title)}</h1>
${p.body}
</main>
<footer>The console of tcld dev-server, a local emulator of Temporal Cloud: changes made here go through its Cloud Ops API's own rules and async operations.</footer>
${p.script === undefined ? '' : `<script nonce="${escapeHtml(p.nonce)}">${p.script}</script>\n`}</body>
</html>
`;
}

function sessionBox(viewer: Viewer, here: string): string {
  if (viewer.signedInAs === undefined) {
    return `<span>Reading only.</span> <a href="${SIGN_IN_PATH}?next=${encodeURIComponent(here)}">Sign in</a>`;
  }
  return `<span>Signed in as ${escapeHtml(viewer.signedInAs)}</span>
<form method="post" action="${SIGN_OUT_PATH}">${hiddenFields({ csrf_token: viewer.csrfToken, next: here })}<button type="submit">Sign out</button></form>`;
}

/** Hidden inputs, escaped. */
export function hiddenFields(fields: Record<string, string>): string {
  return Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${escapeHtml(name)}" value="${escapeHtml(value)}">`)
    .join('');
}

const LEVEL_WORDS: Record<ExpiryLevel, string> = {
  ok: 'more than 30 days left',
  'within-30-days': 'expires within 30 days',
  'within-15-days': 'expires within 15 days',
  'within-5-days': 'expires within 5 days',
  expired: 'expired',
};

/** `29 days left` (or `expired 3 days ago`) coloured by level, with the level in words for screen readers and the colour-blind. */
export function expiryBadge(daysLeft: number, level: ExpiryLevel): string {
  const text = level === 'expired' ? (daysLeft === 0 ? 'expired today' : `expired ${-daysLeft} day${daysLeft === -1 ? '' : 's'} ago`) : `${daysLeft} day${daysLeft === 1 ? '' : 's'} left`;
  return `<span class="badge level-${level}" title="${LEVEL_WORDS[level]}">${escapeHtml(text)}</span>`;
}

/** `2026-11-27 12:00:00 UTC`, in a <time> element. */
export function dateTime(date: Date): string {
  const iso = date.toISOString();
  return `<time datetime="${iso}">${formatInstant(iso)}</time>`;
}

/** An ISO 8601 instant as the console shows it (the live script formats the same way). */
export function formatInstant(iso: string): string {
  return iso.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC');
}

/** A refusal or confirmation shown above a form. */
export function alertBox(message: string, id: string): string {
  return `<p class="error" role="alert" id="${escapeHtml(id)}">${escapeHtml(sentence(message))}</p>`;
}

