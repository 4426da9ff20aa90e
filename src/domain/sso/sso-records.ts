import type { Role } from '../credentials/credential-record.js';

/** What a signed-in person may do: USER reads only `viewer` and their own profile. */
export type SessionRole = 'USER' | 'READER' | 'ADMIN' | 'OWNER';

/** Members of `group` (a group the IdP pushed over SCIM, by displayName) sign in with `role`. */
export interface SamlRoleMapping {
  group: string;
  role: Exclude<SessionRole, 'USER'>;
}

/** A configured SAML IdP, as admins see it. */
export interface SamlConnectionRecord {
  idp: string;
  entityId: string;
  ssoUrl: string;
  ssoBinding: 'HTTP-Redirect' | 'HTTP-POST';
  certificates: string[];
  wantResponseSigned: boolean;
  jitProvisioning: boolean;
  matchEmail: boolean;
  isDefault: boolean;
  roleMappings: SamlRoleMapping[];
  createdAt: Date;
  updatedAt: Date;
}

/** A session as admins see it: never its secret. */
export interface SessionRecord {
  id: string;
  /** the person signed in by SSO; null for a console session opened with an API key */
  userId: string | null;
  /** the API key a console session was opened with; null for SSO */
  credentialId: string | null;
  idp: string;
  role: SessionRole;
  createdAt: Date;
  lastSeenAt: Date;
  expiresAt: Date;
  endedAt: Date | null;
  endReason: string | null;
  address: string | null;
  userAgent: string | null;
}

export const SESSION_ROLES: readonly SessionRole[] = ['USER', 'READER', 'ADMIN', 'OWNER'];
export type { Role };
