import type { Browser } from 'playwright-core';
import { createTestApp, OWNER_KEY, type TestApp } from '../support/app.js';
import { describeWithChromium, launchChromium } from '../support/chromium.js';

// The real app (createApp on a real database), so the page's requests really reach Roster's GraphQL.
const ENDPOINT = '/graphql';
const ASSETS_PREFIX = '/graphiql';
const ME = '{ me { role } }';

let server: TestApp;
beforeAll(async () => {
  server = await createTestApp();
});
afterAll(async () => {
  await server?.close();
});

/** The src/href of every <script>/<link> in the page, i.e. everything it loads by itself. */
function referencedAssets(html: string): string[] {
  return [...html.matchAll(/<(?:script|link)\b[^>]*?\b(?:src|href)="([^"]*)"/g)].map((m) => m[1].replace(/&#38;/g, '&'));
}

describe('GraphiQL over HTTP', () => {
  it('answers a browser GET with a self-contained page under a strict CSP', async () => {
    const res = await fetch(`${server.baseUrl}${ENDPOINT}`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toMatch(/https?:/);
    const html = await res.text();
    expect(html).toContain('<title>Roster GraphQL</title>');
    expect(html).toContain(`data-endpoint="${ENDPOINT}"`);
    // Not even a link: the page must work with no internet at all.
    expect(html).not.toMatch(/https?:\/\//);
    // Only script elements with a src: nothing inline that the CSP would (rightly) block.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/<style\b|\sstyle=/);
  });

  it('serves every referenced asset from Roster itself, with type, ETag and long cache', async () => {
    const html = await (await fetch(`${server.baseUrl}${ENDPOINT}`, { headers: { accept: 'text/html' } })).text();
    const assets = referencedAssets(html).filter((url) => !url.startsWith('data:'));
    expect(assets.length).toBe(6);
    for (const url of assets) {
      expect(url.startsWith(`${ASSETS_PREFIX}/`)).toBe(true);
      const res = await fetch(`${server.baseUrl}${url}`);
      expect({ url, status: res.status }).toEqual({ url, status: 200 });
      const expected = url.split('?')[0].endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8';
      expect(res.headers.get('content-type')).toBe(expected);
      expect(res.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
      const etag = res.headers.get('etag');
      expect(etag).toMatch(/^"[\w-]+"$/);
      expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(0);

      // An explicit Cache-Control stops fetch() adding `no-cache`, which (rightly) disables the 304.
      const again = await fetch(`${server.baseUrl}${url}`, {
        headers: { 'if-none-match': etag ?? '', 'cache-control': 'max-age=0' },
      });
      expect(again.status).toBe(304);
    }
    // The bootstrap must not reach out anywhere either.
    const init = await (await fetch(`${server.baseUrl}${assets.find((u) => u.includes('/init.js'))}`)).text();
    expect(init).not.toMatch(/https?:\/\//);
  });

  it('does not let an unversioned asset URL be cached forever', async () => {
    const res = await fetch(`${server.baseUrl}${ASSETS_PREFIX}/graphiql.min.css`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('public, max-age=0, must-revalidate');
  });

  it.each([`${ASSETS_PREFIX}/nope.js`, `${ASSETS_PREFIX}/graphiql.min.js.map`, `${ASSETS_PREFIX}/..%2Fpackage.json`, `${ASSETS_PREFIX}/%2e%2e/%2e%2e/package.json`, `${ASSETS_PREFIX}/`])(
    'answers 404 for %s, which is not on the allow-list',
    async (path) => {
      const res = await fetch(`${server.baseUrl}${path}`);
      expect(res.status).toBe(404);
    },
  );

  it('leaves GET /graphql with Accept: application/json to Apollo', async () => {
    const res = await fetch(`${server.baseUrl}${ENDPOINT}`, {
      headers: { accept: 'application/json', 'apollo-require-preflight': 'true', authorization: `Bearer ${OWNER_KEY}` },
    });
    expect(res.headers.get('content-type')).not.toContain('text/html');
    expect(res.headers.get('content-security-policy')).toBeNull();
    // Apollo's own answer to a GET without a query.
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/query/i);
  });

  it('leaves a browser GET that carries a query to Apollo', async () => {
    const res = await fetch(`${server.baseUrl}${ENDPOINT}?query=${encodeURIComponent(ME)}`, {
      headers: { accept: 'text/html, application/json;q=0.9', 'apollo-require-preflight': 'true', authorization: `Bearer ${OWNER_KEY}` },
    });
    expect(res.headers.get('content-type')).not.toContain('text/html');
    expect(await res.json()).toEqual({ data: { me: { role: 'OWNER' } } });
  });

  it('still serves GraphQL over POST', async () => {
    const res = await fetch(`${server.baseUrl}${ENDPOINT}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `Bearer ${OWNER_KEY}` },
      body: JSON.stringify({ query: ME }),
    });
    expect(await res.json()).toEqual({ data: { me: { role: 'OWNER' } } });
  });

  it('answers a POST with GraphQL even when its Accept prefers HTML (only a GET navigates to the page)', async () => {
    const res = await fetch(`${server.baseUrl}${ENDPOINT}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'text/html, application/json;q=0.9', authorization: `Bearer ${OWNER_KEY}` },
      body: JSON.stringify({ query: ME }),
    });
    expect(res.headers.get('content-type')).not.toContain('text/html');
    expect(await res.json()).toEqual({ data: { me: { role: 'OWNER' } } });
  });
});

describeWithChromium('GraphiQL in headless Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('renders offline, takes an API key in the headers editor and runs a query as its owner', async () => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
    // Every request the page makes is checked: anything not served by our 127.0.0.1 server fails the test.
    const foreign: string[] = [];
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.protocol === 'data:' || url.protocol === 'blob:' || url.hostname === '127.0.0.1') return route.continue();
      foreign.push(url.href);
      return route.abort('blockedbyclient');
    });
    const page = await context.newPage();
    page.on('websocket', (ws) => foreign.push(ws.url()));
    // Introspection needs the key: the page must not send it before the key is there (that would be a 401).
    const answers: number[] = [];
    page.on('response', (res) => {
      if (new URL(res.url()).pathname === ENDPOINT && res.request().method() === 'POST') answers.push(res.status());
    });
    const problems: string[] = [];
    page.on('pageerror', (err) => problems.push(`pageerror: ${err.message}`));
    page.on('console', (msg) => {
      if (msg.type() === 'error') problems.push(`console: ${msg.text()}`);
    });

    const response = await page.goto(`${server.baseUrl}${ENDPOINT}`);
    expect(response?.status()).toBe(200);
    expect(await page.title()).toBe('Roster GraphQL');
    await page.locator('.graphiql-container').waitFor();
    await expect(page.locator('.graphiql-logo').innerText()).resolves.toBe('Roster GraphQL');

    // The headers editor is there, open, and shows where the API key goes.
    const headersTab = page.locator('.graphiql-editor-tools button[data-name="headers"]');
    await expect(headersTab.getAttribute('class')).resolves.toContain('active');
    const headersEditor = page.locator('section.graphiql-editor-tool[aria-label="Headers"] .graphiql-editor:not(.hidden)');
    await headersEditor.locator('.CodeMirror-line', { hasText: 'Bearer <your API key>' }).waitFor();

    // Paste a real OWNER key over the placeholder, as an admin would.
    await headersEditor.locator('.CodeMirror').click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.insertText(JSON.stringify({ Authorization: `Bearer ${OWNER_KEY}` }));
    await headersEditor.locator('.CodeMirror-line', { hasText: OWNER_KEY }).waitFor();

    // Type the query as a person would: replace the welcome text, then run it.
    const queryEditor = page.locator('.graphiql-query-editor .CodeMirror');
    await queryEditor.click();
    await page.keyboard.press('ControlOrMeta+A');
    await page.keyboard.press('Backspace');
    await page.keyboard.insertText(ME);
    await page.keyboard.press('Escape'); // close any autocomplete hint
    await expect(page.locator('.graphiql-query-editor .CodeMirror-line').allInnerTexts()).resolves.toEqual([ME]);
    await page.locator('button.graphiql-execute-button').click();

    // The key in the headers editor went out with the request: Roster answered as its OWNER.
    await page.locator('.graphiql-response .CodeMirror-line', { hasText: '"role": "OWNER"' }).waitFor();

    // The schema came through introspection, sent with the key once it was pasted (and not blocked by the
    // depth or size limits): the docs explorer shows it.
    await page.locator('button[aria-label="Show Documentation Explorer"]').click();
    await page.locator('.graphiql-doc-explorer a.graphiql-doc-explorer-type-name', { hasText: 'Query' }).first().waitFor();

    await page.screenshot({ path: '/tmp/graphiql.png' });

    // Dialogs inject a scroll-lock <style>; it must get through the CSP (a violation is a console error).
    await page.locator('button[aria-label="Open settings dialog"]').click();
    await page.locator('.graphiql-dialog').waitFor();
    await page.keyboard.press('Escape');
    await page.locator('.graphiql-dialog').waitFor({ state: 'detached' });

    expect(foreign).toEqual([]);
    expect(problems).toEqual([]);
    expect(answers.length).toBeGreaterThanOrEqual(2); // the query, and introspection once the key was in
    expect(answers.filter((status) => status !== 200)).toEqual([]);
    await context.close();
  });
});
