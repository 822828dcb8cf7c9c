import { checkVerificationUrl, LOGIN_DEFAULTS, parseDomain } from '../cloud/login/domain.js';
import { newTokenConfig, withTokens, type TokenResponse } from '../cloud/login/token-config.js';
import { configFolder, tokensPath, writeLogin } from '../cloud/login/token-store.js';
import { InterruptedError, UsageError } from '../errors.js';
import type { Deps } from './deps.js';

export interface LoginOptions {
  /** Hidden, as in tcld: the login server (default login.tmprl.cloud; http:// only to a loopback host). */
  domain?: string;
  audience?: string;
  clientId?: string;
  disablePopUp?: boolean;
  configDir?: string;
}

/** A login is stored; `path` is its tokens.json. */
export interface LoginResult {
  code: 'logged-in';
  path: string;
  domain: string;
}

/**
 * `tcld login`: the OAuth device flow as tcld does it. The URL to approve the code at (on the domain's
 * host, or refused) goes to stderr and, unless --disable-pop-up or there is no display, to the browser;
 * once approved, the tokens are stored as tcld stores them, and every Cloud command uses them.
 */
export async function run(options: LoginOptions, deps: Deps): Promise<LoginResult> {
  const domain = parseDomain(options.domain || LOGIN_DEFAULTS.domain);
  const audience = options.audience ?? LOGIN_DEFAULTS.audience;
  const clientId = options.clientId ?? LOGIN_DEFAULTS.clientId;
  if (clientId.trim() === '') throw new UsageError('--client-id must not be empty');
  const folder = configFolder(options.configDir, deps.env);
  const config = newTokenConfig({ domain, audience, clientId, scopes: LOGIN_DEFAULTS.scopes });

  const oauth = await import('../cloud/login/oauth.js');
  const client = oauth.oauthConfiguration({
    domain: config.domain,
    clientId,
    tokenUrl: config.oauth_config.Endpoint.TokenURL,
    deviceAuthUrl: config.oauth_config.Endpoint.DeviceAuthURL,
  });
  const authorization = await oauth.startDeviceAuthorization(client, { audience, scopes: LOGIN_DEFAULTS.scopes, domain: config.domain });
  const checked = checkVerificationUrl(authorization.verificationUrl, domain);
  if (!checked.ok) throw new oauth.LoginError(checked.message, 'bad-response');

  // stderr, as tcld, so that other tools can parse stdout.
  deps.err(`Login via this url: ${checked.url.href}`);
  deps.err(`The page should show this code: ${authorization.userCode}`);
  if (!options.disablePopUp) {
    const opened = await deps.openUrl(checked.url.href);
    if (opened.code === 'failed') deps.err(`could not open a browser (${opened.message}): open the url above yourself`);
    else if (opened.code !== 'opened') deps.err('open the url above in a browser');
  }

  const tokens = await approved(deps, authorization.expiresIn, (signal) => oauth.pollDeviceAuthorization(client, authorization, config.domain, signal), oauth);
  await writeLogin(deps.files, folder, withTokens(config, tokens, deps.now()));
  return { code: 'logged-in', path: tokensPath(folder), domain: config.domain };
}

/**
 * Waits for the library's polling to end: approved, denied, the code's lifetime over, or Ctrl-C. An
 * interrupt answers at once (the library notices its signal only between polls, up to 5 s later).
 */
async function approved(
  deps: Deps,
  expiresIn: number,
  poll: (signal: AbortSignal) => Promise<TokenResponse>,
  oauth: typeof import('../cloud/login/oauth.js'),
): Promise<TokenResponse> {
  const stop = new AbortController();
  let expired = false;
  let interrupt = () => {};
  const interrupted = new Promise<never>((_, reject) => {
    interrupt = () => {
      stop.abort();
      reject(new InterruptedError('interrupted; not logged in'));
    };
  });
  interrupted.catch(() => {});
  const timer = setTimeout(() => {
    expired = true;
    stop.abort();
  }, expiresIn * 1000);
  if (deps.signal.aborted) interrupt();
  deps.signal.addEventListener('abort', interrupt, { once: true });
  deps.status('waiting for the login to be approved in the browser…');
  try {
    const polling = poll(stop.signal);
    polling.catch(() => {});
    return await Promise.race([polling, interrupted]);
  } catch (error) {
    if (error instanceof InterruptedError) throw error;
    if (expired) throw new oauth.LoginError('the login code expired before it was approved; run tcld login again', 'expired');
    throw error;
  } finally {
    clearTimeout(timer);
    deps.signal.removeEventListener('abort', interrupt);
    deps.status(undefined);
  }
}
