/**
 * What the console's end-to-end suite needs around a browser: the built console, a directory seeded
 * the way Okta seeds it (over SCIM), a watcher that turns every console error, failed request, CSP
 * violation and foreign request into a test failure, an accessibility scan (axe-core) of every
 * page shown, and screenshots for docs/screenshots.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Page, Request, Route } from 'playwright-core';
import type { TestApp } from '../../support/app.js';

/** The few browser globals the functions run in the page use (test/ compiles without the DOM lib). */
interface PageDocument {
  fonts: { ready: Promise<unknown> };
  body: { innerText: string };
  documentElement: { outerHTML: string };
  querySelectorAll(selector: string): ArrayLike<{ value?: string }>;
  addEventListener(type: 'securitypolicyviolation', listener: (e: { violatedDirective: string; blockedURI: string; sourceFile: string; lineNumber: number }) => void): void;
}
declare const document: PageDocument;
declare const window: { __csp?: string[]; axe?: { run(context: unknown, options: unknown): Promise<{ violations: AxeViolation[] }> } };

/** One rule axe found broken, with the elements that break it. */
interface AxeViolation {
  id: string;
  impact: 'minor' | 'moderate' | 'serious' | 'critical' | null;
  help: string;
  nodes: { target: unknown[] }[];
}

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/**
 * Scans the page with axe-core (WCAG 2.1 A and AA rules) and throws on any serious or critical
 * violation. axe is evaluated through the DevTools protocol, which the page's CSP does not govern,
 * so the console needs no exception for it.
 */
export async function checkAccessibility(page: Page, name: string): Promise<void> {
  if (!(await page.evaluate(() => !!window.axe))) await page.evaluate(AXE_SOURCE);
  const { violations } = await page.evaluate(() => window.axe!.run(document, { resultTypes: ['violations'], runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } }));
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  if (serious.length) {
    const lines = serious.map((v) => `${v.impact} ${v.id}: ${v.help} (${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')})`);
    throw new Error(`axe found ${serious.length} serious or critical accessibility violations on "${name}":\n${lines.join('\n')}`);
  }
}

const ROOT = path.resolve(import.meta.dirname, '../../..');
export const SCREENSHOTS_DIR = path.join(ROOT, 'docs/screenshots');
const UPDATE_SCREENSHOTS = process.env.UPDATE_SCREENSHOTS === '1';
export const ARTIFACTS_DIR = path.join(os.tmpdir(), 'roster-e2e-artifacts');

/** Builds the console once if console/dist is missing (a fresh checkout that skipped `npm run build`). */
export function ensureConsoleBuilt(): void {
  if (existsSync(path.join(ROOT, 'console/dist/index.html'))) return;
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  execFileSync(npm, ['run', 'build', '--workspace', 'console'], { cwd: ROOT, stdio: 'pipe' });
}

/** The browser context every screenshot in docs/ is taken with: light, still, 1280x800. */
export const CONTEXT_OPTIONS = { viewport: { width: 1280, height: 800 }, colorScheme: 'light', reducedMotion: 'reduce', locale: 'en-US', timezoneId: 'UTC' } as const;

/**
 * A full-page screenshot in the artifacts folder under the OS temp dir; with UPDATE_SCREENSHOTS=1
 * also in docs/screenshots/<name>.png (the README's pictures), so that an ordinary test run leaves
 * the committed images alone (their relative times change on every run).
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  // Nothing half-drawn: no loader, no pending fonts, no element mid-transition.
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  // every page the suite shows is also scanned for accessibility
  await checkAccessibility(page, name);
  const file = path.join(ARTIFACTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true, animations: 'disabled', caret: 'hide' });
  if (UPDATE_SCREENSHOTS) {
    mkdirSync(SCREENSHOTS_DIR, { recursive: true });
    copyFileSync(file, path.join(SCREENSHOTS_DIR, `${name}.png`));
  }
}

/** Everything a page holds that a person or a script could read: its text, its markup and every field's value. */
export function pageContents(page: Page): Promise<string> {
  return page.evaluate(() => [document.body.innerText, document.documentElement.outerHTML, ...Array.from(document.querySelectorAll('input, textarea'), (e) => e.value ?? '')].join('\n'));
}

/** A response the flow expects to be an error: the method, the path (exact or a pattern) and the status. */
export interface ExpectedError {
  method: string;
  path: string | RegExp;
  status: number;
}

/**
 * Records everything that should never happen on a console page. One per browser context: it routes
 * every request, lets the app's origin through, hands the IdP's host to `idp` (if given) and aborts
 * anything else, as a foreign request.
 */
export class PageWatch {
  readonly problems: string[] = [];
  readonly foreign: string[] = [];
  readonly errorResponses: { method: string; path: string; status: number }[] = [];
  /** GraphQL fetches the page itself aborted (operation and page), reported but not failures. */
  readonly cancelled: string[] = [];
  private expected: ExpectedError[] = [];
  private readonly answered = new WeakMap<Request, number>();

  private constructor(
    private readonly origin: string,
    private readonly idpHost: string | null,
  ) {}

  /**
   * `idpHost`: the test IdP's host, which the test answers itself with `page.route`; every other foreign
   * request is aborted.
   */
  static async attach(context: BrowserContext, baseUrl: string, idpHost?: string): Promise<PageWatch> {
    const watch = new PageWatch(new URL(baseUrl).origin, idpHost ?? null);
    await context.route('**/*', async (route) => {
      const url = new URL(route.request().url());
      if (idpHost && url.origin === watch.origin && url.pathname === '/saml/sp/login') return watch.followToIdp(route);
      if (url.origin === watch.origin || url.protocol === 'data:' || url.protocol === 'blob:') return route.continue();
      if (idpHost && url.host === idpHost) return route.fallback();
      watch.foreign.push(url.href);
      return route.abort('blockedbyclient');
    });
    // A CSP violation fires this event in the page (and usually logs a console error too).
    await context.addInitScript(() => {
      const csp: string[] = [];
      window.__csp = csp;
      document.addEventListener('securitypolicyviolation', (e) => csp.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`));
    });
    context.on('page', (page) => watch.watch(page));
    for (const page of context.pages()) watch.watch(page);
    return watch;
  }

  /** Roster's answers to SP-initiated sign-in: the real 302s, and where they sent the browser. */
  readonly ssoRedirects: { status: number; location: string }[] = [];

  /**
   * Playwright routes only the first URL of a redirect chain (the hop after a 302 may reach the network,
   * unrouted: racy). So Roster's real answer to /saml/sp/login is fetched here and recorded, and the
   * browser gets a page that goes on to its Location at once: a navigation of its own, which the page's
   * IdP route always sees.
   */
  private async followToIdp(route: Route): Promise<void> {
    const res = await route.fetch({ maxRedirects: 0 });
    const location = res.headers()['location'] ?? '';
    this.ssoRedirects.push({ status: res.status(), location });
    if (res.status() !== 302 || new URL(location, this.origin).host !== this.idpHost) return route.fulfill({ response: res });
    const esc = location.replace(/&/g, '&amp;').replace(/"/g, '&quot;');
    await route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: `<!doctype html><meta http-equiv="refresh" content="0;url=${esc}"><title>Redirecting</title>` });
  }

  private watch(page: Page): void {
    page.on('pageerror', (err) => this.problems.push(`pageerror on ${page.url()}: ${err.message}`));
    page.on('console', (msg) => {
      // Chromium logs every HTTP error as a console error; the response listener judges those, expected or not.
      if (msg.type() === 'error' && /^Failed to load resource: the server responded with a status of \d+/.test(msg.text())) return;
      if (msg.type() === 'error') this.problems.push(`console error on ${page.url()}: ${msg.text()}`);
      else if (/content security policy/i.test(msg.text())) this.problems.push(`CSP message on ${page.url()}: ${msg.text()}`);
    });
    page.on('websocket', (ws) => this.foreign.push(ws.url()));
    // Redirect targets bypass routes: every request is checked here as well.
    page.on('request', (req) => {
      const url = new URL(req.url());
      if (url.origin === this.origin || url.host === this.idpHost || url.protocol === 'data:' || url.protocol === 'blob:') return;
      if (!this.foreign.includes(url.href)) this.foreign.push(url.href);
    });
    page.on('requestfailed', (req) => {
      const url = new URL(req.url());
      // The foreign requests the route aborted are reported as such.
      if (url.origin !== this.origin && url.host !== this.idpHost) return;
      const error = req.failure()?.errorText ?? '';
      // urql aborts the fetch of a query nobody needs any more (the variables changed, the page left):
      // the page's own doing, not a failure. Kept apart, to report.
      if (error === 'net::ERR_ABORTED' && req.resourceType() === 'fetch' && url.pathname === '/graphql') {
        const op = /"operationName"\s*:\s*"(\w+)"/.exec(req.postData() ?? '')?.[1] ?? /(?:query|mutation)\s+(\w+)/.exec(req.postData() ?? '')?.[1] ?? '?';
        this.cancelled.push(`${op} on ${page.url()}`);
        return;
      }
      // A body nobody read, dropped when the page goes: the response itself arrived (and was judged).
      if (error === 'net::ERR_ABORTED' && this.answered.has(req)) {
        this.cancelled.push(`unread body of ${req.method()} ${url.pathname} (${this.answered.get(req)}) on ${page.url()}`);
        return;
      }
      this.problems.push(`request failed: ${req.method()} ${req.url()}: ${error}`);
    });
    page.on('response', (res) => {
      this.answered.set(res.request(), res.status());
      const url = new URL(res.url());
      if (res.status() < 400 || url.origin !== this.origin) return;
      const method = res.request().method();
      const i = this.expected.findIndex((e) => e.method === method && e.status === res.status() && (typeof e.path === 'string' ? e.path === url.pathname : e.path.test(url.pathname)));
      if (i >= 0) this.expected.splice(i, 1);
      else this.errorResponses.push({ method, path: url.pathname + url.search, status: res.status() });
    });
  }

  /** The next response matching this is the flow's own doing (e.g. the viewer's 401 before sign-in). */
  expect(error: ExpectedError): void {
    this.expected.push(error);
  }

  /** Starts a new test: forgets what was recorded (each test asserts its own). */
  reset(): void {
    this.problems.length = 0;
    this.foreign.length = 0;
    this.errorResponses.length = 0;
    this.cancelled.length = 0;
    this.expected = [];
  }

  /** The expected errors that have not happened (yet). */
  pendingExpected(): ExpectedError[] {
    return [...this.expected];
  }

  /** Fails the test on any problem so far, including CSP violations recorded in the page. */
  async assertClean(page: Page): Promise<void> {
    const csp = page.isClosed() ? [] : await page.evaluate(() => window.__csp ?? []);
    expect({ problems: this.problems, errorResponses: this.errorResponses, csp, foreign: this.foreign }).toEqual({ problems: [], errorResponses: [], csp: [], foreign: [] });
  }
}

/** What Okta pushes, over SCIM, with a bearer token. */
export class OktaPush {
  constructor(
    private readonly app: TestApp,
    private readonly token: string,
  ) {}

  private async call<T>(method: string, pathname: string, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await fetch(`${this.app.baseUrl}/scim/v2${pathname}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, accept: 'application/scim+json', ...(body ? { 'content-type': 'application/scim+json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  }

  /** POST /Users as Okta's SCIM 2.0 app sends it. */
  async user(givenName: string, familyName: string, userName: string): Promise<string> {
    const res = await this.call<{ id: string }>('POST', '/Users', {
      schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'],
      userName,
      name: { givenName, familyName },
      emails: [{ primary: true, value: userName, type: 'work' }],
      displayName: `${givenName} ${familyName}`,
      locale: 'en-US',
      externalId: `00u${Buffer.from(userName).toString('hex').slice(0, 17)}`,
      groups: [],
      active: true,
    });
    if (res.status !== 201) throw new Error(`SCIM POST /Users answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body.id;
  }

  /** Okta deactivates with a PATCH replacing active. */
  async deactivate(id: string): Promise<void> {
    const res = await this.call('PATCH', `/Users/${id}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', value: { active: false } }] });
    if (res.status !== 200 && res.status !== 204) throw new Error(`SCIM PATCH /Users/${id} answered ${res.status}: ${JSON.stringify(res.body)}`);
  }

  /** Push Groups: POST /Groups with no members, then a PATCH adding them. */
  async group(displayName: string, members: { id: string; display: string }[]): Promise<string> {
    const created = await this.call<{ id: string }>('POST', '/Groups', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:Group'], displayName, members: [] });
    if (created.status !== 201) throw new Error(`SCIM POST /Groups answered ${created.status}: ${JSON.stringify(created.body)}`);
    const id = created.body.id;
    const patched = await this.call('PATCH', `/Groups/${id}`, {
      schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'],
      Operations: [{ op: 'add', path: 'members', value: members.map((m) => ({ value: m.id, display: m.display })) }],
    });
    if (patched.status !== 200 && patched.status !== 204) throw new Error(`SCIM PATCH /Groups/${id} answered ${patched.status}: ${JSON.stringify(patched.body)}`);
    return id;
  }
}

/** A small HTML page, served as the IdP, that POSTs a SAMLResponse to the ACS at once (HTTP-POST binding). */
export function autoPostForm(acsUrl: string, fields: Record<string, string>): string {
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  const inputs = Object.entries(fields)
    .map(([name, value]) => `<input type="hidden" name="${esc(name)}" value="${esc(value)}">`)
    .join('');
  return `<!doctype html><html><head><title>Okta</title></head><body onload="document.forms[0].submit()"><form method="post" action="${esc(acsUrl)}">${inputs}<noscript><button>Continue</button></noscript></form></body></html>`;
}
