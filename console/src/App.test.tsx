import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { fakeFetch, json, renderApp } from './test/render';

const ADA = { viewer: { role: 'OWNER', idp: 'okta', credentialName: null, user: { userName: 'ada@example.com', displayName: 'Ada Lovelace' } } };
const UNAUTHENTICATED = { data: { viewer: null }, errors: [{ message: 'Sign in first.', extensions: { code: 'UNAUTHENTICATED' } }] };

afterEach(() => vi.unstubAllGlobals());

describe('the shell', () => {
  it('asks GraphQL who is signed in by POST with the session cookie and no Authorization header', async () => {
    const gql = fakeFetch(() => json({ data: ADA }));
    renderApp('/users', gql.fn);
    await screen.findByTestId('signed-in-identity');

    // the first call asks who is signed in; the page's own queries follow, sent the same way
    expect(JSON.parse(String(gql.calls[0]!.init?.body)).query).toContain('viewer');
    for (const { url, init } of gql.calls) {
      expect(url).toBe('/graphql');
      expect(init?.method).toBe('POST');
      expect(init?.credentials).toBe('same-origin');
      expect(new Headers(init?.headers).has('authorization')).toBe(false);
    }
  });

  it('shows the signed-in person, the navbar and the page', async () => {
    renderApp('/', fakeFetch(() => json({ data: ADA })).fn);
    const identity = await screen.findByTestId('signed-in-identity');
    expect(identity).toHaveTextContent('Ada Lovelace');
    expect(identity).toHaveTextContent('OWNER');
    expect(screen.getByRole('button', { name: 'Sign out' })).toBeInTheDocument();

    const nav = screen.getByRole('navigation', { name: 'Console' });
    expect(nav).toHaveTextContent('User Management');
    const links = within(nav)
      .getAllByRole('link')
      .map((a) => [a.textContent, a.getAttribute('href')]);
    expect(links).toEqual([
      ['Users', '/users'],
      ['Groups', '/groups'],
      ['Provisioning', '/provisioning'],
      ['Single sign-on', '/sso'],
      ['API keys', '/api-keys'],
      ['Audit log', '/audit'],
    ]);
    // "/" opens on Users.
    expect(await screen.findByRole('heading', { level: 1, name: 'Users' })).toBeInTheDocument();
  });

  it('names an API key when no person is signed in', async () => {
    renderApp('/users', fakeFetch(() => json({ data: { viewer: { role: 'ADMIN', idp: null, credentialName: 'bootstrap', user: null } } })).fn);
    expect(await screen.findByTestId('signed-in-identity')).toHaveTextContent('API key bootstrap');
  });

  it('moves between pages from the navbar', async () => {
    const user = userEvent.setup();
    renderApp('/users', fakeFetch(() => json({ data: ADA })).fn);
    await screen.findByTestId('signed-in-identity');
    for (const name of ['Groups', 'Provisioning', 'Single sign-on', 'API keys', 'Audit log']) {
      await user.click(screen.getByRole('link', { name }));
      expect(screen.getByRole('heading', { level: 1, name })).toBeInTheDocument();
      expect(screen.getByRole('link', { name })).toHaveAttribute('aria-current', 'page');
    }
  });

  it('answers an unknown address with a not-found page inside the shell', async () => {
    renderApp('/nowhere', fakeFetch(() => json({ data: ADA })).fn);
    expect(await screen.findByRole('heading', { level: 1, name: 'Page not found' })).toBeInTheDocument();
  });

  it('switches between light and dark', async () => {
    const user = userEvent.setup();
    renderApp('/users', fakeFetch(() => json({ data: ADA })).fn);
    await screen.findByTestId('signed-in-identity');
    const html = document.documentElement;
    const before = html.getAttribute('data-mantine-color-scheme');
    const toggle = screen.getByRole('button', { name: /^Switch to (dark|light) mode$/ });
    await user.click(toggle);
    await waitFor(() => expect(html.getAttribute('data-mantine-color-scheme')).not.toBe(before));
  });

  it('offers a retry when GraphQL cannot be reached', async () => {
    let fail = true;
    const gql = fakeFetch(() => (fail ? Promise.reject(new TypeError('Failed to fetch')) : json({ data: ADA })));
    renderApp('/users', gql.fn);
    expect(await screen.findByRole('alert')).toHaveTextContent('Failed to fetch');
    fail = false;
    await userEvent.setup().click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByTestId('signed-in-identity')).toHaveTextContent('Ada Lovelace');
  });
});

describe('signing in and out', () => {
  it('sends an anonymous caller to the sign-in page with one SSO button per IdP', async () => {
    const browser = fakeFetch((url) =>
      url === '/admin/api/sign-in-options'
        ? json({
            idps: [
              { idp: 'okta', label: 'Okta' },
              { idp: 'entra', label: 'Entra ID' },
            ],
          })
        : json({}, 404),
    );
    vi.stubGlobal('fetch', browser.fn);
    renderApp('/groups', fakeFetch(() => json(UNAUTHENTICATED)).fn);

    expect(await screen.findByRole('heading', { name: 'Sign in to Roster' })).toBeInTheDocument();
    expect(await screen.findByRole('link', { name: 'Sign in with SSO: Okta' })).toHaveAttribute('href', '/saml/sp/login?idp=okta&returnTo=%2Fadmin%2F');
    expect(screen.getByRole('link', { name: 'Sign in with SSO: Entra ID' })).toHaveAttribute('href', '/saml/sp/login?idp=entra&returnTo=%2Fadmin%2F');
  });

  it('treats a 401 from /graphql as signed out too', async () => {
    vi.stubGlobal('fetch', fakeFetch(() => json({ idps: [] })).fn);
    renderApp('/users', fakeFetch(() => json(UNAUTHENTICATED, 401)).fn);
    expect(await screen.findByText(/No identity provider is set up/)).toBeInTheDocument();
  });

  it('signs in with an API key: posts it once as JSON, keeps it out of storage, then shows the console', async () => {
    const user = userEvent.setup();
    let signedIn = false;
    const browser = fakeFetch((url, init) => {
      if (url === '/admin/api/sign-in-options') return json({ idps: [] });
      if (url === '/admin/api/session' && init?.method === 'POST') {
        signedIn = JSON.parse(String(init.body)).key === 'rst_key_secret';
        return signedIn ? new Response(null, { status: 204 }) : json({ error: 'no' }, 401);
      }
      return json({}, 404);
    });
    vi.stubGlobal('fetch', browser.fn);
    renderApp('/users', fakeFetch(() => json(signedIn ? { data: ADA } : UNAUTHENTICATED)).fn);

    const field = await screen.findByLabelText(/Sign in with an API key/);
    await user.type(field, 'wrong');
    await user.click(screen.getByRole('button', { name: 'Sign in with an API key' }));
    expect(await screen.findByText('That API key was not accepted.')).toBeInTheDocument();

    await user.clear(field);
    await user.type(field, 'rst_key_secret');
    await user.click(screen.getByRole('button', { name: 'Sign in with an API key' }));
    expect(await screen.findByTestId('signed-in-identity')).toHaveTextContent('Ada Lovelace');

    const post = browser.calls.filter((c) => c.url === '/admin/api/session').at(-1)!;
    expect(post.init?.credentials).toBe('same-origin');
    expect(new Headers(post.init?.headers).get('content-type')).toBe('application/json');
    expect(JSON.parse(String(post.init?.body))).toEqual({ key: 'rst_key_secret' });
    const stored = [...Object.values(localStorage), ...Object.values(sessionStorage), document.cookie].join('\n');
    expect(stored).not.toContain('rst_key_secret');
  });

  it('signs out through /saml/sp/logout and lands on the sign-in page', async () => {
    const user = userEvent.setup();
    const browser = fakeFetch((url) => (url === '/admin/api/sign-in-options' ? json({ idps: [{ idp: 'okta', label: 'Okta' }] }) : new Response(null, { status: 200 })));
    vi.stubGlobal('fetch', browser.fn);
    renderApp('/users', fakeFetch(() => json({ data: ADA })).fn);

    await user.click(await screen.findByRole('button', { name: 'Sign out' }));
    expect(await screen.findByRole('heading', { name: 'Sign in to Roster' })).toBeInTheDocument();
    const logout = browser.calls.find((c) => c.url === '/saml/sp/logout');
    expect(logout?.init?.method).toBe('POST');
    expect(logout?.init?.credentials).toBe('same-origin');
    // One IdP: the button needs no name after it.
    expect(await screen.findByRole('link', { name: 'Sign in with SSO' })).toBeInTheDocument();
  });
});
