/**
 * The sign-in pages a person reads: plain semantic HTML that reads well without its stylesheet, every
 * value escaped, the style inline under the response's CSP nonce, no script.
 */
import type { DeviceRequest } from './device-codes.js';

/** `&`, `<`, `>`, `"` and `'` as entities: safe in text and in quoted attributes. */
/** A message as a sentence: capitalised, ending in a full stop. */
export function sentence(message: string): string {
  const text = message.charAt(0).toUpperCase() + message.slice(1);
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `
body { font: 16px/1.5 system-ui, sans-serif; margin: 0; background: #f5f5f7; color: #1d1d1f; }
main { max-width: 32rem; margin: 4rem auto; padding: 2rem; background: #fff; border-radius: 12px; box-shadow: 0 1px 4px rgba(0,0,0,.12); }
h1 { font-size: 1.4rem; margin-top: 0; }
.code { font: 600 2rem/1.2 ui-monospace, monospace; letter-spacing: .15em; margin: 1rem 0; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
dt { color: #555; }
dd { margin: 0; word-break: break-word; }
.actions { display: flex; gap: 1rem; margin-top: 1.5rem; }
button { font: inherit; padding: .5rem 1.25rem; border-radius: 8px; border: 1px solid #888; background: #fff; cursor: pointer; }
button.primary { background: #1d4ed8; border-color: #1d4ed8; color: #fff; }
button:focus-visible, input:focus-visible { outline: 3px solid #f59e0b; outline-offset: 2px; }
input { font: 600 1.25rem ui-monospace, monospace; padding: .4rem; }
#user_code { text-transform: uppercase; }
#api_key { width: 100%; box-sizing: border-box; }
.hint { color: #555; font-size: .9rem; }
.error { color: #b91c1c; font-weight: 600; }
form.signout { margin-top: 1rem; }
footer { margin-top: 2rem; font-size: .85rem; color: #555; }
`;

/** A whole page: `title` in the tab and as the heading, `body` already escaped HTML. */
export function page(title: string, body: string, nonce: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)} · tcld dev-server</title>
<style nonce="${escapeHtml(nonce)}">${STYLE}</style>
</head>
<body>
<main>
<h1>${escapeHtml(title)}</h1>
${body}
<footer>tcld dev-server, a local emulator of Temporal Cloud. Its sign-in has one user, its admin.</footer>
</main>
</body>
</html>
`;
}

/** Where a person types the code tcld printed (verification_uri without the code). */
export function enterCodePage(nonce: string, hint?: string): string {
  return page(
    'Sign in to the tcld dev-server',
    `${hint ? `<p role="alert">${escapeHtml(hint)}</p>\n` : ''}<form method="get" action="/activate">
<p><label for="user_code">Code that <code>tcld login</code> printed</label></p>
<p><input id="user_code" name="user_code" autocomplete="off" autocapitalize="characters" spellcheck="false" required maxlength="20" placeholder="BCDF-GHJK"></p>
<p><button type="submit" class="primary">Continue</button></p>
</form>`,
    nonce,
  );
}

export interface ConfirmPage {
  userCode: string;
  request: DeviceRequest;
  expiresAt: Date;
  now: Date;
  csrfToken: string;
  nonce: string;
  /** Who is signed in in this browser (Approve needs no key), or the API key field, with why the last key was refused. */
  session: { signedInAs: string } | { error?: string };
}

/** The code to confirm, what asks for it, and Approve and Deny as one form POST. */
export function confirmPage(p: ConfirmPage): string {
  const minutes = Math.max(1, Math.ceil((p.expiresAt.getTime() - p.now.getTime()) / 60_000));
  const details = [
    ['Application', `tcld (client ID ${p.request.clientId})`],
    ['Access', p.request.scope || '(none asked)'],
    ...(p.request.audience ? [['For', p.request.audience]] : []),
    ['Expires', `in ${minutes} minute${minutes === 1 ? '' : 's'}`],
  ];
  return page(
    'Approve sign-in?',
    `<p id="code-help">A <code>tcld login</code> asks to sign in as the dev-server's admin user. Approve only if this code is the one it printed:</p>
<p class="code" id="user-code" aria-describedby="code-help">${escapeHtml(p.userCode)}</p>
<dl>
${details.map(([term, value]) => `<dt>${escapeHtml(term!)}</dt><dd>${escapeHtml(value!)}</dd>`).join('\n')}
</dl>
${'signedInAs' in p.session ? `<p id="session">Signed in as <strong>${escapeHtml(p.session.signedInAs)}</strong>.</p>\n` : ''}<form method="post" action="/activate">
<input type="hidden" name="user_code" value="${escapeHtml(p.userCode)}">
<input type="hidden" name="csrf_token" value="${escapeHtml(p.csrfToken)}">
${'signedInAs' in p.session ? '' : apiKeyField(p.session.error)}<div class="actions">
<button type="submit" name="decision" value="approve" class="primary" aria-describedby="user-code">Approve</button>
<button type="submit" name="decision" value="deny" formnovalidate aria-describedby="user-code">Deny</button>
</div>
</form>
<p>If you did not just run <code>tcld login</code>, choose Deny.</p>${'signedInAs' in p.session ? signOutForm(p.userCode) : ''}`,
    p.nonce,
  );
}

/** The key is typed, never filled in: a page never carries it back. Deny skips the `required` check (formnovalidate). */
function apiKeyField(error: string | undefined): string {
  const describedBy = error === undefined ? 'api-key-help' : 'api-key-help api-key-error';
  return `<p><label for="api_key">API key</label></p>
<p class="hint" id="api-key-help">Approving signs tcld in as the account's admin, so sign in as the admin: the dev-server's <code>--api-key</code> or an API key the admin made (<code>tcld apikey create</code>). Deny needs no key.</p>
${error === undefined ? '' : `<p class="error" role="alert" id="api-key-error">${escapeHtml(error)}</p>\n`}<p><input id="api_key" name="api_key" type="password" autocomplete="current-password" spellcheck="false" required aria-describedby="${describedBy}"${error === undefined ? '' : ' aria-invalid="true" autofocus'}></p>
`;
}

function signOutForm(userCode: string): string {
  return `
<form method="post" action="/signout" class="signout">
<input type="hidden" name="user_code" value="${escapeHtml(userCode)}">
<button type="submit">Sign out</button>
</form>`;
}

/** The outcomes a page can tell, by code (the pages' words may change; the codes are what tests and routes switch on). */
export type Outcome =
  | 'approved'
  | 'denied'
  | 'already-approved'
  | 'already-denied'
  | 'unknown'
  | 'expired'
  | 'refused'
  | 'too-many-codes'
  | 'signed-out'
  | 'browser-signed-out';

const OUTCOMES: Record<Outcome, { title: string; text: string }> = {
  approved: { title: 'Signed in', text: 'tcld is signed in. You can close this window and return to tcld.' },
  denied: { title: 'Sign-in denied', text: 'You denied this sign-in; tcld will say so. You can close this window and return to tcld.' },
  'already-approved': { title: 'Already approved', text: 'This code was already approved. You can close this window and return to tcld.' },
  'already-denied': { title: 'Already denied', text: 'This code was already denied. Run tcld login again to sign in. You can close this window.' },
  unknown: { title: 'Unknown code', text: 'This code is not one the dev-server gave out. Check it against the code tcld login printed, or run tcld login again.' },
  expired: { title: 'Code expired', text: 'This code has expired. Run tcld login again for a new one.' },
  refused: {
    title: 'Request refused',
    text: 'This approval did not come from the page this server showed you (or the page is too old), so nothing was approved. Open the link tcld login printed again.',
  },
  'too-many-codes': {
    title: 'Too many unknown codes',
    text: 'Too many codes that the dev-server did not give out were tried here in the last minute, so it checks no code for now. Wait a minute, then open the link tcld login printed again.',
  },
  'signed-out': { title: 'Signed out', text: 'You are signed out: tcld logout has removed its stored tokens, and this browser is signed out of the dev-server. You can close this window.' },
  'browser-signed-out': { title: 'Signed out', text: 'This browser is signed out of the dev-server: approving a sign-in asks for an API key again.' },
};

/** The page of an outcome; `userCode` is shown when known. */
export function outcomePage(outcome: Outcome, nonce: string, userCode?: string): string {
  const { title, text } = OUTCOMES[outcome];
  const code = userCode ? `<p>Code: <span class="code">${escapeHtml(userCode)}</span></p>\n` : '';
  const retry = outcome === 'unknown' ? '\n<p><a href="/activate">Enter a code</a></p>' : '';
  const back = outcome === 'browser-signed-out' && userCode ? `\n<p><a href="/activate?user_code=${encodeURIComponent(userCode)}">Back to code ${escapeHtml(userCode)}</a></p>` : '';
  return page(title, `${code}<p role="status">${escapeHtml(text)}</p>${retry}${back}`, nonce);
}
