/** Roles: API keys carry OWNER, ADMIN or READER; SCIM tokens carry PROVISIONER. */
/** USER is a person signed in by SSO with no mapped role: they read only `viewer`. */
export type Role = 'OWNER' | 'ADMIN' | 'READER' | 'PROVISIONER' | 'USER';
export type CredentialKind = 'api_key' | 'scim_token';

/** A credential as shown to admins: never its secret or hash. */
export interface CredentialRecord {
  id: string;
  kind: CredentialKind;
  role: Role;
  name: string;
  idp: string | null;
  prefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

/** Provisioning state of one IdP. */
export interface ProvisioningRecord {
  idp: string;
  active: boolean;
  activatedAt: Date;
  deactivatedAt: Date | null;
  /** whether the IdP's writes may adopt local users and groups (DESIGN §5) */
  adoptLocal: boolean;
}
