/**
 * The sign-in endpoints outside GraphQL (served by src/http): they must answer before anyone is
 * signed in. The API key goes to the server once and comes back as the httpOnly session cookie;
 * the browser never stores it.
 */

export interface SignInOption {
  idp: string;
  label: string;
}

/** The configured IdPs, one "Sign in with SSO" button each. */
export async function fetchSignInOptions(): Promise<SignInOption[]> {
  const res = await fetch('/admin/api/sign-in-options', { credentials: 'same-origin', headers: { Accept: 'application/json' } });
  if (!res.ok) throw new Error(`The sign-in options could not be loaded (HTTP ${res.status}).`);
  const body = (await res.json()) as { idps?: SignInOption[] };
  return Array.isArray(body.idps) ? body.idps : [];
}

/** Where an SSO button sends the browser: the SAML SP, back to the console afterwards. */
export function ssoLoginUrl(idp: string): string {
  return `/saml/sp/login?${new URLSearchParams({ idp, returnTo: '/admin/' }).toString()}`;
}

/** Exchanges an API key for a session cookie. Resolves when signed in; throws a message to show otherwise. */
export async function signInWithKey(key: string): Promise<void> {
  const res = await fetch('/admin/api/session', {
    method: 'POST',
    credentials: 'same-origin',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify({ key }),
  });
  // Read the answer to the end either way: a body left unread shows as a cancelled request on the next navigation.
  await res.text().catch(() => '');
  if (res.ok) return;
  if (res.status === 401 || res.status === 403) throw new Error('That API key was not accepted.');
  if (res.status === 429) throw new Error('Too many attempts: wait a minute and try again.');
  throw new Error(`Signing in failed (HTTP ${res.status}).`);
}

/** Ends the session (the server clears the cookie). The redirect it answers with is not followed. */
export async function signOut(): Promise<void> {
  await fetch('/saml/sp/logout', { method: 'POST', credentials: 'same-origin', redirect: 'manual' });
}
