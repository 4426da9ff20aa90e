/**
 * The admin console end to end (issue point 9): Debian's chromium, through playwright-core, against a
 * real Roster (createTestApp serving console/dist) that Okta has seeded over SCIM. Each test is an
 * admin's task, written with the selectors a person would use (roles, labels, text), and each one
 * fails on any console error, failed request, unexpected HTTP error, CSP violation, or request that
 * leaves Roster's origin (the one exception: the test IdP's sign-in URL, answered in the browser).
 * Screenshots of every page go to docs/screenshots.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { createTestApp, OWNER_KEY, type TestApp } from '../support/app.js';
import { describeWithChromium, launchChromium } from '../support/chromium.js';
import { IDP_KEYS, idpMetadataXml, readRedirectRequest, samlResponse, TEST_IDP } from '../support/saml-idp.js';
import { autoPostForm, checkAccessibility, CONTEXT_OPTIONS, ensureConsoleBuilt, OktaPush, pageContents, PageWatch, screenshot } from './support/console-harness.js';

/** Okta's people: 30 pushed users (one of them deactivated in Okta), plus one local user → 31, two pages of 25. */
const PEOPLE: [string, string][] = [
  ['Ada', 'Lovelace'],
  ['Alan', 'Turing'],
  ['Charles', 'Babbage'],
  ['Konrad', 'Zuse'],
  ['Katherine', 'Johnson'],
  ['Dorothy', 'Vaughan'],
  ['Mary', 'Jackson'],
  ['Edsger', 'Dijkstra'],
  ['Donald', 'Knuth'],
  ['Barbara', 'Liskov'],
  ['Frances', 'Allen'],
  ['John', 'Backus'],
  ['Tony', 'Hoare'],
  ['Niklaus', 'Wirth'],
  ['Ken', 'Thompson'],
  ['Dennis', 'Ritchie'],
  ['Margaret', 'Hamilton'],
  ['Radia', 'Perlman'],
  ['Leslie', 'Lamport'],
  ['Shafi', 'Goldwasser'],
  ['Whitfield', 'Diffie'],
  ['Martin', 'Hellman'],
  ['Adele', 'Goldberg'],
  ['Alan', 'Kay'],
  ['Vint', 'Cerf'],
  ['Bob', 'Kahn'],
  ['Tim', 'Berners-Lee'],
  ['Sophie', 'Wilson'],
  ['Jean', 'Sammet'],
  ['Hedy', 'Lamarr'],
];
const userNameOf = (given: string, family: string) => `${given}.${family}`.toLowerCase().replace(/[^a-z.]/g, '') + '@example.com';
const ADA = 'ada.lovelace@example.com';
const SCIM_USER_URN = 'urn:ietf:params:scim:schemas:core:2.0:User';
const IDP_HOST = new URL(TEST_IDP.ssoUrl).host;

let app: TestApp;
let browser: Browser;
let scimToken: string;
const ids: Record<string, string> = {};
const cancelled: string[] = [];

/** A SCIM call as Okta makes it, with this token. */
async function scimGetUsers(token: string): Promise<number> {
  const res = await fetch(`${app.baseUrl}/scim/v2/Users?count=1`, { headers: { authorization: `Bearer ${token}`, accept: 'application/scim+json' } });
  await res.arrayBuffer();
  return res.status;
}

/** Waits for the text to be visible (Playwright-core has no `expect`; a locator's waitFor is its assertion). */
async function visible(locator: ReturnType<Page['getByText']>): Promise<void> {
  await locator.waitFor({ state: 'visible', timeout: 10_000 });
}

describeWithChromium('the admin console in Chromium', () => {
  // The admin's browser, shared by the flows in order: signed in once, then moving from page to page.
  let context: BrowserContext;
  let page: Page;
  let watch: PageWatch;

  // Only where the browser runs: seeding and launching are skipped with it.
  beforeAll(async () => {
    ensureConsoleBuilt();
    app = await createTestApp();
    const activation = await app.ok<{ activateProvisioning: { token: string } }>('mutation { activateProvisioning(idp: "okta") { token } }');
    scimToken = activation.activateProvisioning.token;
    const okta = new OktaPush(app, scimToken);
    for (const [given, family] of PEOPLE) ids[`${given} ${family}`] = await okta.user(given, family, userNameOf(given, family));
    await okta.deactivate(ids['Konrad Zuse']!);
    await okta.group('Roster Admins', [
      { id: ids['Ada Lovelace']!, display: ADA },
      { id: ids['Konrad Zuse']!, display: userNameOf('Konrad', 'Zuse') },
      { id: ids['Alan Turing']!, display: userNameOf('Alan', 'Turing') },
    ]);
    await okta.group(
      'Engineering',
      PEOPLE.slice(4, 16).map(([g, f]) => ({ id: ids[`${g} ${f}`]!, display: userNameOf(g, f) })),
    );
    // A local user, created in Roster itself: its Auth Provider is "Local".
    const local = await app.ok<{ createUser: { id: string } }>('mutation($i: UserInputType!) { createUser(input: $i) { id } }', {
      i: {
        userName: 'grace.hopper@example.com',
        displayName: 'Grace Hopper',
        name: { givenName: 'Grace', familyName: 'Hopper' },
        emails: [{ value: 'grace.hopper@example.com', primary: true, type: 'work' }],
      },
    });
    ids['Grace Hopper'] = local.createUser.id;
    browser = await launchChromium();
  });

  afterAll(async () => {
    if (cancelled.length) console.info(`Requests the console itself gave up on (not failures):\n${cancelled.join('\n')}`);
    await context?.close();
    await browser?.close();
    await app?.close();
  });

  beforeAll(async () => {
    context = await browser.newContext({ ...CONTEXT_OPTIONS });
    watch = await PageWatch.attach(context, app.baseUrl);
    page = await context.newPage();
    page.setDefaultTimeout(10_000);
  });
  beforeEach(() => watch.reset());
  afterEach(() => cancelled.push(...watch.cancelled));

  const nav = (label: string) => page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: label, exact: true });
  const total = () => page.getByTestId('list-total');

  test('1. the OWNER signs in with the API key and lands on Users: Okta and local users, server-side search, paging and totals', async () => {
    // Before sign-in the console asks who is signed in: that one 401 is the flow's own.
    watch.expect({ method: 'POST', path: '/graphql', status: 401 });
    await page.goto(`${app.baseUrl}/admin/sign-in`);
    await visible(page.getByRole('heading', { name: 'Sign in to Roster' }));
    await visible(page.getByText('No identity provider is set up for single sign-on yet'));
    await screenshot(page, 'sign-in-first-run');

    await page.getByLabel('Sign in with an API key').fill(OWNER_KEY);
    await page.getByRole('button', { name: 'Sign in with an API key' }).click();
    await page.waitForURL(`${app.baseUrl}/admin/users`);
    await visible(page.getByRole('heading', { name: 'Users', level: 1 }));
    await visible(page.getByTestId('signed-in-identity').getByText('OWNER', { exact: true }));

    const table = page.getByRole('table', { name: 'Users' });
    await visible(total().getByText('1–31 of 31 users'));
    expect(await table.getByRole('row').count()).toBe(32); // the header and 31 users
    const ada = table.getByRole('row', { name: /Ada Lovelace/ });
    expect(await ada.getByRole('cell').allTextContents()).toEqual(expect.arrayContaining(['Ada Lovelace', ADA, 'Active', 'okta']));
    const grace = table.getByRole('row', { name: /Grace Hopper/ });
    expect(await grace.getByRole('cell').allTextContents()).toEqual(expect.arrayContaining(['Grace Hopper', 'grace.hopper@example.com', 'Local']));
    const zuse = table.getByRole('row', { name: /Konrad Zuse/ });
    expect(await zuse.getByRole('cell').allTextContents()).toEqual(expect.arrayContaining(['Inactive', 'okta']));
    await screenshot(page, 'users');

    // 25 a page: two pages, the second with the last 6.
    await page.getByLabel('Rows per page').selectOption('25');
    await visible(total().getByText('1–25 of 31 users'));
    expect(await table.getByRole('row').count()).toBe(26);
    await page.getByRole('button', { name: 'Page 2' }).click();
    await visible(total().getByText('26–31 of 31 users'));
    expect(await table.getByRole('row').count()).toBe(7);
    expect(new URL(page.url()).searchParams.get('page')).toBe('2');
    await page.getByRole('button', { name: 'Previous page' }).click();
    await visible(total().getByText('1–25 of 31 users'));

    // The search goes to the server (the GraphQL filter carries it) and narrows the list.
    const searched = page.waitForRequest((r) => new URL(r.url()).pathname === '/graphql' && (r.postData() ?? '').includes('lovelace'));
    await page.getByLabel('Search users').fill('lovelace');
    await page.getByLabel('Search users').press('Enter');
    await searched;
    await visible(total().getByText('1–1 of 1 users'));
    expect(await table.getByRole('row').count()).toBe(2);
    await visible(table.getByRole('link', { name: 'Ada Lovelace' }));
    await screenshot(page, 'users-search');

    await page.getByLabel('Search users').fill('');
    await page.getByLabel('Search users').press('Enter');
    await visible(total().getByText('1–25 of 31 users'));
    expect(watch.pendingExpected()).toEqual([]);
    await watch.assertClean(page);
  });

  test("2. a user's detail: the profile tab, then the raw SCIM JSON as Okta reads it", async () => {
    await page.getByRole('table', { name: 'Users' }).getByRole('link', { name: 'Alan Turing' }).click();
    await page.waitForURL(`${app.baseUrl}/admin/users/${ids['Alan Turing']}`);
    await visible(page.getByRole('heading', { name: 'Alan Turing', level: 1 }));
    await visible(page.getByRole('tab', { name: 'Profile', selected: true }));
    await visible(page.getByRole('note').getByText('Managed by okta', { exact: true }));
    await visible(page.getByText('alan.turing@example.com').first());
    await screenshot(page, 'user-detail');

    for (const [tab, name] of [
      ['Groups', 'user-detail-groups'],
      ['Sessions', 'user-detail-sessions'],
      ['Audit', 'user-detail-audit'],
    ] as const) {
      await page.getByRole('tab', { name: tab }).click();
      await visible(page.getByRole('tab', { name: tab, selected: true }));
      await page.getByRole('tabpanel').getByRole('progressbar').or(page.getByRole('tabpanel').getByLabel('Loading')).waitFor({ state: 'hidden' });
      await screenshot(page, name);
    }
    await visible(page.getByRole('tabpanel').getByText('user.create'));

    await page.getByRole('tab', { name: 'SCIM' }).click();
    await page.waitForURL(`${app.baseUrl}/admin/users/${ids['Alan Turing']}/scim`);
    const json = page.getByTestId('scim-json');
    await visible(json);
    const text = await json.innerText();
    const body = JSON.parse(text) as { id: string; userName: string; schemas: string[] };
    expect(body.id).toBe(ids['Alan Turing']);
    expect(body.userName).toBe('alan.turing@example.com');
    expect(body.schemas).toContain(SCIM_USER_URN);
    await visible(page.getByText(`/scim/v2/Users/${ids['Alan Turing']}`, { exact: true }));
    await screenshot(page, 'user-detail-scim');
    await watch.assertClean(page);
  });

  test('3. Groups lists the pushed group with its Auth Provider; its detail lists the members, the inactive one labelled', async () => {
    await nav('Groups').click();
    await page.waitForURL(`${app.baseUrl}/admin/groups`);
    const table = page.getByRole('table', { name: 'Groups' });
    const admins = table.getByRole('row', { name: /Roster Admins/ });
    await visible(admins);
    expect(await admins.getByRole('cell').allTextContents()).toEqual(expect.arrayContaining(['okta']));
    await visible(table.getByRole('row', { name: /Engineering/ }));
    await screenshot(page, 'groups');

    await table.getByRole('link', { name: 'Roster Admins' }).click();
    await visible(page.getByRole('heading', { name: 'Roster Admins', level: 1 }));
    await visible(page.getByText('3 members', { exact: true }));
    const members = page.getByRole('table', { name: 'Members' });
    await visible(members.getByRole('row', { name: /Ada Lovelace/ }));
    await visible(members.getByRole('row', { name: /Alan Turing/ }));
    const zuse = members.getByRole('row', { name: /Konrad Zuse/ });
    await visible(zuse.getByText('Inactive'));
    expect(
      await members
        .getByRole('row', { name: /Ada Lovelace/ })
        .getByText('Inactive')
        .count(),
    ).toBe(0);
    await screenshot(page, 'group-detail');
    await watch.assertClean(page);
  });

  test('4. Provisioning: a new SCIM token is shown once, works for SCIM, and stops working once revoked in the console', async () => {
    await nav('Provisioning').click();
    await page.waitForURL(`${app.baseUrl}/admin/provisioning`);
    const okta = page.getByRole('region', { name: 'Okta', exact: true });
    await visible(okta);
    await visible(okta.getByRole('textbox', { name: 'SCIM base URL' }));
    await screenshot(page, 'provisioning');

    await okta.getByRole('button', { name: 'Generate a new token for okta' }).click();
    const shown = okta.getByRole('textbox', { name: 'SCIM token for okta' });
    await visible(shown);
    await visible(okta.getByText('Copy the SCIM token for okta now'));
    const token = await shown.inputValue();
    expect(token.length).toBeGreaterThan(40);
    await screenshot(page, 'provisioning-token-once');

    // Gone after a reload: Roster keeps only its hash, the page kept it in memory only.
    await page.reload();
    await visible(page.getByRole('region', { name: 'Okta', exact: true }).getByRole('table', { name: 'SCIM tokens for okta' }));
    const everything = await pageContents(page);
    expect(everything).not.toContain(token);
    expect(await page.evaluate(() => JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }))).not.toContain(token);

    // Okta uses it.
    expect(await scimGetUsers(token)).toBe(200);

    // Revoke it in the console: its row is the one whose prefix starts the token.
    const tokens = page.getByRole('table', { name: 'SCIM tokens for okta' });
    const rows = await tokens.getByRole('row').all();
    let prefix: string | null = null;
    for (const row of rows.slice(1)) {
      const cells = await row.getByRole('cell').allTextContents();
      const p = cells[1]?.replace(/…$/, '').trim();
      if (p && token.startsWith(p)) prefix = p;
    }
    expect(prefix).not.toBeNull();
    await tokens.getByRole('button', { name: `Revoke token ${prefix}` }).click();
    const dialog = page.getByRole('dialog', { name: `Revoke the token ${prefix}…?` });
    await visible(dialog);
    await screenshot(page, 'provisioning-revoke-dialog');
    await dialog.getByRole('button', { name: 'Revoke' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await visible(tokens.getByRole('row', { name: new RegExp(prefix!) }).getByText('Revoked'));

    expect(await scimGetUsers(token)).toBe(401);
    // The token the seed used is untouched.
    expect(await scimGetUsers(scimToken)).toBe(200);
    await watch.assertClean(page);
  });

  test('5. SSO: with SAML set up for Okta and a role mapping, a pushed user signs in through the SSO button and lands in the console as ADMIN', async () => {
    await app.ok('mutation($x: String!) { configureSaml(idp: "okta", metadataXml: $x) { idp } }', { x: idpMetadataXml({ keys: [IDP_KEYS.a] }) });
    await app.ok('mutation { setSamlOptions(idp: "okta", options: { roleMappings: [{ group: "Roster Admins", role: "ADMIN" }] }) { idp } }');

    // The admin sees it on the Single sign-on page, and the API keys page on the way.
    await nav('Single sign-on').click();
    await page.waitForURL(`${app.baseUrl}/admin/sso`);
    const card = page.getByRole('region', { name: 'Okta', exact: true });
    await visible(card);
    expect(await card.getByLabel('Group 1').inputValue()).toBe('Roster Admins');
    expect(await card.getByLabel('Role 1').inputValue()).toBe('ADMIN');
    await screenshot(page, 'sso');
    await nav('API keys').click();
    await page.waitForURL(`${app.baseUrl}/admin/api-keys`);
    await visible(page.getByRole('heading', { name: 'API keys', level: 1 }));
    await screenshot(page, 'api-keys');
    await watch.assertClean(page);

    // Ada, in her own browser: the SSO button, Okta (answered here), and back to the console.
    const ssoContext = await browser.newContext({ ...CONTEXT_OPTIONS });
    const idpRequests: string[] = [];
    const ssoWatch = await PageWatch.attach(ssoContext, app.baseUrl, IDP_HOST);
    try {
      const sso = await ssoContext.newPage();
      sso.setDefaultTimeout(10_000);
      // Okta, as far as this browser can tell: it reads the AuthnRequest and answers with a page that
      // POSTs the signed Response to Roster's ACS, from Okta's origin (a cross-site POST, as in real life).
      await sso.route(`https://${IDP_HOST}/**`, async (route, request) => {
        idpRequests.push(`${request.method()} ${request.url().split('?')[0]}`);
        const { id, relayState } = readRedirectRequest(request.url());
        const SAMLResponse = samlResponse({ inResponseTo: id, nameId: ADA, attributes: { firstName: 'Ada', lastName: 'Lovelace', email: ADA, loginId: ADA } });
        await route.fulfill({
          status: 200,
          contentType: 'text/html; charset=utf-8',
          body: autoPostForm(`${app.baseUrl}/saml/sp/acs`, { SAMLResponse, ...(relayState ? { RelayState: relayState } : {}) }),
        });
      });
      ssoWatch.expect({ method: 'POST', path: '/graphql', status: 401 });
      await sso.goto(`${app.baseUrl}/admin/sign-in`);
      const button = sso.getByRole('link', { name: 'Sign in with SSO' });
      await visible(button);
      await screenshot(sso, 'sign-in');
      await button.click();
      await sso.waitForURL(`${app.baseUrl}/admin/users`);
      const identity = sso.getByTestId('signed-in-identity');
      await visible(identity.getByText('Ada Lovelace'));
      await visible(identity.getByText('ADMIN', { exact: true }));
      await visible(identity.getByText('via okta'));
      await visible(sso.getByRole('table', { name: 'Users' }));
      await screenshot(sso, 'users-signed-in-with-sso');

      // Roster sent the browser to Okta with a 302 (followed as a navigation of its own: see followToIdp),
      // and the only request that left Roster's origin was that one, answered by the route above.
      expect(ssoWatch.ssoRedirects.map((r) => ({ status: r.status, to: r.location.split('?')[0] }))).toEqual([{ status: 302, to: TEST_IDP.ssoUrl }]);
      expect(idpRequests).toEqual([`GET ${TEST_IDP.ssoUrl}`]);
      expect(ssoWatch.pendingExpected()).toEqual([]);
      await ssoWatch.assertClean(sso);
      cancelled.push(...ssoWatch.cancelled);
    } finally {
      await ssoContext.close();
    }
  });

  test('6. deactivating a user from the detail page (confirmed) marks them Inactive; the audit log shows it and the sign-ins, and links to the user', async () => {
    await nav('Users').click();
    await page.waitForURL(/\/admin\/users/);
    await page.getByLabel('Search users').fill('babbage');
    await page.getByLabel('Search users').press('Enter');
    await visible(total().getByText('1–1 of 1 users'));
    await page.getByRole('table', { name: 'Users' }).getByRole('link', { name: 'Charles Babbage' }).click();
    await visible(page.getByRole('heading', { name: 'Charles Babbage', level: 1 }));
    const header = page.getByRole('main');
    await visible(header.getByText('Active', { exact: true }).first());

    await page.getByRole('button', { name: 'Deactivate', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Deactivate Charles Babbage?' });
    await visible(dialog);
    await visible(dialog.getByText('is managed by okta'));
    await screenshot(page, 'user-deactivate-dialog');
    await dialog.getByRole('button', { name: 'Deactivate' }).click();
    await dialog.waitFor({ state: 'hidden' });
    await visible(header.getByText('Inactive', { exact: true }).first());
    await visible(page.getByRole('button', { name: 'Activate', exact: true }));
    const [row] = await app.sql<{ active: boolean }>('select active from users where id = ?', [ids['Charles Babbage']]);
    expect(row?.active).toBe(false);

    await nav('Audit log').click();
    await page.waitForURL(/\/admin\/audit/);
    const events = page.getByRole('table', { name: 'Audit events' });
    const deactivation = events.getByRole('row').filter({ hasText: 'user.update.forced' }).filter({ hasText: ids['Charles Babbage']! });
    await visible(deactivation);
    expect(await deactivation.innerText()).toContain('active');
    await visible(events.getByRole('row').filter({ hasText: 'console.sign_in' }).first());
    await visible(events.getByRole('row').filter({ hasText: 'sso.login' }).first());
    await screenshot(page, 'audit-log');

    await deactivation.getByRole('link', { name: `User ${ids['Charles Babbage']}` }).click();
    await page.waitForURL(`${app.baseUrl}/admin/users/${ids['Charles Babbage']}`);
    await visible(page.getByRole('heading', { name: 'Charles Babbage', level: 1 }));
    await watch.assertClean(page);
  });

  test('7. the dark theme passes the same accessibility scan on every main page', async () => {
    const dark = await browser.newContext({ ...CONTEXT_OPTIONS, colorScheme: 'dark' });
    const darkWatch = await PageWatch.attach(dark, app.baseUrl);
    try {
      const p = await dark.newPage();
      p.setDefaultTimeout(10_000);
      darkWatch.expect({ method: 'POST', path: '/graphql', status: 401 });
      await p.goto(`${app.baseUrl}/admin/sign-in`);
      await p.getByLabel('Sign in with an API key').fill(OWNER_KEY);
      await p.getByRole('button', { name: 'Sign in with an API key' }).click();
      await p.waitForURL(`${app.baseUrl}/admin/users`);
      expect(await p.locator('html').getAttribute('data-mantine-color-scheme')).toBe('dark');
      for (const [label, heading] of [
        ['Users', 'Users'],
        ['Groups', 'Groups'],
        ['Provisioning', 'Provisioning'],
        ['Single sign-on', 'Single sign-on'],
        ['API keys', 'API keys'],
        ['Audit log', 'Audit log'],
      ] as const) {
        await p.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: label, exact: true }).click();
        await visible(p.getByRole('heading', { name: heading, level: 1 }));
        await p
          .getByRole('table')
          .first()
          .waitFor({ state: 'visible' })
          .catch(() => undefined);
        await checkAccessibility(p, `${label} (dark)`);
      }
      await darkWatch.assertClean(p);
    } finally {
      await dark.close();
    }
  });
});
