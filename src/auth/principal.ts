import type { Role } from '../domain/credentials/credential-record.js';

/** Who is calling: the credential behind the request. */
export interface Principal {
  credentialId: string;
  role: Role;
  /** the credential's name, for audit lines */
  label: string;
  /** the IdP a SCIM token serves; null for API keys and sessions */
  idp: string | null;
  /** set when the caller holds a browser session (SSO, or the console with an API key): credentialId is then the session's id */
  session?: { id: string; userId: string | null; idp: string };
}

/** The CLI and bootstrap act as this principal. */
export const SYSTEM: Principal = { credentialId: '00000000-0000-0000-0000-000000000000', role: 'OWNER', label: 'system', idp: null };
