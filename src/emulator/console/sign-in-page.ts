/**
 * Signing in to the console: the same API key sign-in as the page that approves `tcld login` (the
 * same session cookie, so signing in on one signs in on the other), and the page for a refused form.
 */
import { alertBox, consolePage, CONSOLE_PATH, escapeHtml, hiddenFields, SIGN_IN_PATH, type Viewer } from './layout.js';

export interface SignInPage {
  /** Where to go back to once signed in. */
  next: string;
  nonce: string;
  viewer: Viewer;
  /** Why the last key was refused. */
  error?: string;
}

export function signInPage(p: SignInPage): string {
  if (p.viewer.signedInAs !== undefined) {
    return consolePage({
      title: 'Signed in',
      body: `<section><p>This browser is signed in as <strong>${escapeHtml(p.viewer.signedInAs)}</strong>.</p><p><a href="${escapeHtml(p.next)}">Back</a></p></section>`,
      nonce: p.nonce,
      viewer: p.viewer,
      here: p.next,
    });
  }
  const describedBy = p.error === undefined ? 'api-key-help' : 'api-key-help api-key-error';
  const body = `<section>
<form method="post" action="${SIGN_IN_PATH}">
${hiddenFields({ csrf_token: p.viewer.csrfToken, next: p.next })}
<p id="api-key-help">Changing a namespace from the console takes the account's admin: sign in with the dev-server's <code>--api-key</code> or an API key the admin made (<code>tcld apikey create</code>). The key is checked once and never kept in the browser: a cookie names this browser's session until it expires (12 hours) or you sign out.</p>
${p.error === undefined ? '' : `${alertBox(p.error, 'api-key-error')}\n`}<label for="api_key">API key</label>
<input id="api_key" name="api_key" type="password" autocomplete="current-password" spellcheck="false" required aria-describedby="${describedBy}"${p.error === undefined ? ' autofocus' : ' aria-invalid="true" autofocus'}>
<p><button type="submit" class="primary">Sign in</button> <a href="${escapeHtml(p.next)}">Cancel</a></p>
</form>
</section>`;
  return consolePage({ title: 'Sign in to the console', body, nonce: p.nonce, viewer: p.viewer, here: p.next });
}

/** A page for a form the server did not take: refused (CSRF), or naming something that is not there. */
export function messagePage(title: string, message: string, p: { nonce: string; viewer: Viewer; here?: string }): string {
  return consolePage({
    title,
    body: `<section><p role="alert">${escapeHtml(message)}</p><p><a href="${CONSOLE_PATH}">Back to the namespaces</a></p></section>`,
    nonce: p.nonce,
    viewer: p.viewer,
    here: p.here ?? CONSOLE_PATH,
  });
}
