import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { parseBundle } from '../../pki/bundle.js';
import { DAY_MS, FIXED_NOW, makeTestCertificate, testKey, testName } from '../../pki/test-support.js';
import { accountPage } from './account-page.js';
import type { AdmissionEvent } from './admission-log.js';
import { caView, type CaView } from './certificate-view.js';
import { CONSOLE_STYLE } from './layout.js';
import { namespaceListPage } from './list-page.js';
import { NAMESPACE_SCRIPT } from './namespace-script.js';
import { namespacePage, removeCaPage, type NamespacePage } from './namespace-page.js';
import { signInPage } from './sign-in-page.js';

const HOSTILE = '<script>window.pwned=1</script>"><img src=x onerror=alert(1)>\'';
const NONCE = 'bm9uY2Utbm9uY2Utbm9uY2U=';
const viewer = { csrfToken: 'token-1' };

/**
 * Every <script> element and on*= attribute of the page's markup: only its own nonce'd script may be
 * there. Values are escaped, so every `<` of the page opens one of its own tags and no quoted
 * attribute value holds a quote: attributes are read with their values blanked.
 */
function scriptsIn(html: string): string[] {
  const blank = (tag: string) => tag.replace(/"[^"]*"/g, '""');
  return [...html.matchAll(/<[a-zA-Z][^>]*>/g)].map((m) => m[0]).filter((tag) => /^<script\b/i.test(tag) || /\son\w+\s*=/i.test(blank(tag)));
}

describe('console pages › escaping', () => {
  let hostileCa: CaView;
  let namespace: NamespacePage;
  const event: AdmissionEvent = {
    seq: 7,
    at: FIXED_NOW.toISOString(),
    namespace: 'ns.acct',
    result: 'refused',
    subject: `CN=${HOSTILE}`,
    fingerprint: HOSTILE,
    code: HOSTILE,
    message: HOSTILE,
  };

  before(async () => {
    const pem = await makeTestCertificate({
      subject: testName(['2.5.4.3', HOSTILE], ['2.5.4.10', '</style><script>alert(2)</script>']),
      key: testKey(),
      notAfter: new Date(FIXED_NOW.getTime() + 10 * DAY_MS),
    });
    hostileCa = caView(parseBundle(pem)[0]!, FIXED_NOW);
    namespace = {
      namespace: { id: `ns${HOSTILE}`, authMethod: 'mtls', endpoint: `ns.tmprl.local:7233${HOSTILE}`, state: 'active', resourceVersion: HOSTILE },
      cas: [hostileCa],
      filters: [{ commonName: HOSTILE, organization: '</textarea><script>alert(3)</script>' }],
      admissions: [event],
      now: FIXED_NOW,
      nonce: NONCE,
      viewer: { ...viewer, signedInAs: HOSTILE },
      outcome: { form: 'add-ca', ok: false, message: HOSTILE },
      drafts: { pem: `</textarea>${HOSTILE}` },
    };
  });

  it('keeps a CA subject with <script> inert on the namespace page, with every other value escaped too', () => {
    const html = namespacePage(namespace);
    assert.deepEqual(scriptsIn(html), [`<script nonce="${NONCE}">`]);
    assert.ok(!html.includes('<img'), 'no element from a value');
    assert.ok(!html.includes('</textarea><'), 'the drafts and filters stay inside their textareas');
    assert.ok(html.includes('CN=&#60;script&#62;window.pwned=1&#60;/script&#62;&#34;&#62;&#60;img src=x onerror=alert(1)&#62;&#39;'), 'the subject is shown, as text');
    assert.ok(html.includes(`data-events="/console/namespaces/ns${encodeURIComponent(HOSTILE).replace(/'/g, '&#39;')}/events"`), 'the feed URL is encoded');
  });

  it('keeps hostile values inert on the list, account, remove and sign-in pages', () => {
    const pages = [
      namespaceListPage({ namespaces: [{ id: HOSTILE, authMethod: 'mtls', endpoint: HOSTILE, state: HOSTILE, cas: [hostileCa] }], more: false, nonce: NONCE, viewer }),
      accountPage({
        id: HOSTILE,
        metricsUri: HOSTILE,
        metricsCas: [hostileCa],
        apiKeys: [{ id: HOSTILE, displayName: HOSTILE, description: HOSTILE, ownerId: HOSTILE, expiry: FIXED_NOW, disabled: false, state: HOSTILE }],
        now: FIXED_NOW,
        nonce: NONCE,
        viewer,
      }),
      removeCaPage({ namespace: namespace.namespace, ca: hostileCa, nonce: NONCE, viewer }),
      signInPage({ next: `/console?${HOSTILE}`, nonce: NONCE, viewer, error: HOSTILE }),
    ];
    for (const html of pages) {
      assert.deepEqual(scriptsIn(html), [], html.slice(0, 200));
      assert.ok(!html.includes('<img'));
    }
  });

  it('puts the nonce on the page\'s style and script, and nowhere a style attribute (the CSP allows none)', () => {
    const html = namespacePage(namespace);
    assert.match(html, new RegExp(`<style nonce="${NONCE}">`));
    assert.ok(!/\sstyle=/.test(html));
  });

  it('has the live script build rows with textContent only, never markup', () => {
    assert.ok(!/innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(/.test(NAMESPACE_SCRIPT));
  });
});

describe('console pages › what they show', () => {
  it('shows each CA\'s names, both fingerprints, dates and days left, the timeline, and the accepted operation', async () => {
    const pem = await makeTestCertificate({ subject: testName(['2.5.4.3', 'ca one']), key: testKey(), notAfter: new Date(FIXED_NOW.getTime() + 4 * DAY_MS) });
    const ca = caView(parseBundle(pem)[0]!, FIXED_NOW);
    const html = namespacePage({
      namespace: { id: 'ns.acct', authMethod: 'api_key_or_mtls', endpoint: 'ns.acct.tmprl.local:7233', state: 'active', resourceVersion: 'rv-1' },
      cas: [ca],
      filters: [],
      admissions: [],
      now: FIXED_NOW,
      nonce: NONCE,
      viewer,
      outcome: { form: 'remove-ca', ok: true, operationId: 'op-9' },
    });
    for (const text of ['CN=ca one', ca.sha1, ca.sha256, '2026-11-26 12:00:00 UTC', '2026-12-01 12:00:00 UTC', 'class="badge level-within-5-days"', '4 days left', 'api_key_or_mtls', 'ns.acct.tmprl.local:7233', 'tcld request get -r op-9', '<svg class="timeline"', 'No certificate filter', 'No client has connected']) {
      assert.ok(html.includes(text), text);
    }
    assert.match(html, /<input type="hidden" name="resource_version" value="rv-1">/);
    assert.match(html, /<input type="hidden" name="csrf_token" value="token-1">/);
    assert.match(html, /<label for="pem">/);
    assert.match(html, /<label for="pem-file">/);
    assert.match(html, /<label for="filters-json">/);
  });

  it('lists a namespace with its CA count and soonest expiry, coloured by level', async () => {
    const cas = await Promise.all(
      [40, 12].map(async (days, i) => caView(parseBundle(await makeTestCertificate({ subject: testName(['2.5.4.3', `ca ${i}`]), key: testKey(), notAfter: new Date(FIXED_NOW.getTime() + days * DAY_MS) }))[0]!, FIXED_NOW)),
    );
    const html = namespaceListPage({ namespaces: [{ id: 'ns.acct', authMethod: 'mtls', endpoint: 'ns.acct.tmprl.local:7233', state: 'active', cas }], more: true, nonce: NONCE, viewer });
    assert.match(html, /<a href="\/console\/namespace\?id=ns\.acct">ns\.acct<\/a>/);
    assert.match(html, /<td>2<\/td>/);
    assert.match(html, /class="badge level-within-15-days" title="expires within 15 days">12 days left</);
    assert.match(html, /More namespaces exist/);
  });
});

describe('console pages › contrast', () => {
  /** WCAG 2's relative luminance of `#rrggbb`. */
  const luminance = (hex: string) => {
    const [r, g, b] = [1, 3, 5].map((i) => {
      const c = parseInt(hex.slice(i, i + 2), 16) / 255;
      return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
  };
  const contrast = (a: string, b: string) => {
    const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
    return (light! + 0.05) / (dark! + 0.05);
  };

  it('gives every rule that sets both a text and a background colour at least WCAG AA\'s 4.5:1, and the text on the page at least that', () => {
    const pairs = [...CONSOLE_STYLE.matchAll(/([^{}]+)\{([^}]*)\}/g)].flatMap(([, selector, body]) => {
      const hex = (found: string | undefined) => (found?.length === 4 ? `#${[...found.slice(1)].map((c) => c + c).join('')}` : found);
      const background = hex(/background: (#[0-9a-f]{6}|#[0-9a-f]{3})\b/.exec(body!)?.[1]);
      const color = hex(/(?:^|[; ])color: (#[0-9a-f]{6}|#[0-9a-f]{3})\b/.exec(body!)?.[1]);
      return background && color ? [{ selector: selector!.trim(), background, color }] : [];
    });
    assert.ok(pairs.some((p) => p.selector === '.level-within-5-days'), 'the expiry badges are checked');
    assert.ok(pairs.some((p) => p.selector === 'button.primary'), 'three-digit colours are read too');
    for (const { selector, background, color } of pairs) assert.ok(contrast(background, color) >= 4.5, `${selector}: ${contrast(background, color).toFixed(2)}`);
    // Text on the cards: every rule that sets a colour but no background of its own is read on the cards'
    // background, or, inside the header, on the header's.
    const backgroundOf = (rule: RegExp) => {
      const found = new RegExp(`${rule.source}[^}]*background: (#[0-9a-f]{3,6})\\b`).exec(CONSOLE_STYLE)?.[1];
      assert.ok(found, `a background for ${rule.source}`);
      return found.length === 4 ? `#${[...found.slice(1)].map((c) => c + c).join('')}` : found;
    };
    const cardHex = backgroundOf(/section, \.card \{/);
    const headerHex = backgroundOf(/\nheader \{/);
    const onCards = [...CONSOLE_STYLE.matchAll(/([^{}]+)\{([^}]*)\}/g)].flatMap(([, selector, body]) => {
      if (/background/.test(body!)) return [];
      const found = /(?:^|[; ])color: (#[0-9a-f]{6}|#[0-9a-f]{3})\b/.exec(body!)?.[1];
      return found ? [{ selector: selector!.trim(), color: found.length === 4 ? `#${[...found.slice(1)].map((c) => c + c).join('')}` : found }] : [];
    });
    assert.ok(onCards.length >= 3, `text colours are read from the stylesheet: ${onCards.map((r) => r.selector).join(', ')}`);
    for (const { selector, color } of onCards) {
      const background = selector.startsWith('header') ? headerHex : cardHex;
      assert.ok(contrast(background, color) >= 4.5, `${selector} on ${background}: ${contrast(background, color).toFixed(2)}`);
    }
  });
});
