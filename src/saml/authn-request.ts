import { randomBytes } from 'node:crypto';
import { SAML, ValidateInResponseTo } from '@node-saml/node-saml';
import type { SpSettings } from './sp-metadata.js';

export interface LoginRedirect {
  /** The IdP's SSO URL with SAMLRequest (and RelayState) in the query: answer the browser with a 302 to it. */
  url: string;
  /** The AuthnRequest's ID; store it (with an expiry) so that verifySamlResponse's `requests.take` knows it. */
  requestId: string;
}

/** The SAML bindings spec caps RelayState at 80 bytes; IdPs may truncate longer ones. Keep returnTo server-side, keyed by requestId. */
export const MAX_RELAY_STATE_BYTES = 80;

/** Builds an SP-initiated login (HTTP-Redirect binding, unsigned AuthnRequest). */
export async function buildLoginRedirect(input: { idp: { ssoUrl: string }; sp: SpSettings; relayState?: string; forceAuthn?: boolean }): Promise<LoginRedirect> {
  if (input.relayState !== undefined && Buffer.byteLength(input.relayState) > MAX_RELAY_STATE_BYTES) {
    throw new RangeError(`RelayState is longer than ${MAX_RELAY_STATE_BYTES} bytes; keep the return address server-side and send a short token.`);
  }
  // An XML ID must not start with a digit; 160 random bits make it unguessable, which the one-use request store relies on.
  const requestId = `_${randomBytes(20).toString('hex')}`;
  const saml = new SAML({
    entryPoint: input.idp.ssoUrl,
    issuer: input.sp.entityId,
    callbackUrl: input.sp.acsUrl,
    // Only a certificate-shaped placeholder: node-saml requires one, and nothing is verified while building a request.
    idpCert: 'unused',
    generateUniqueId: () => requestId,
    // The caller stores requestId itself; node-saml's own cache would be a second, per-process copy.
    validateInResponseTo: ValidateInResponseTo.never,
    identifierFormat: 'urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified',
    // A RequestedAuthnContext of "exact PasswordProtectedTransport" makes IdPs refuse users who signed in with MFA, a passkey or Kerberos.
    disableRequestedAuthnContext: true,
    forceAuthn: input.forceAuthn ?? false,
  });
  const url = await saml.getAuthorizeUrlAsync(input.relayState ?? '', undefined, {});
  return { url, requestId };
}
