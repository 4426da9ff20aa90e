import type { Role } from '../domain/credentials/credential-record.js';

/** Who is calling: the credential behind the request. */
export interface Principal {
  credentialId: string;
  role: Role;
  /** the credential's name, for audit lines */
  label: string;
  /** the IdP a SCIM token serves; null for API keys */
  idp: string | null;
}

/** The CLI and bootstrap act as this principal. */
export const SYSTEM: Principal = { credentialId: '00000000-0000-0000-0000-000000000000', role: 'OWNER', label: 'system', idp: null };
