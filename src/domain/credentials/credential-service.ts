import type { Principal } from '../../auth/principal.js';
import { CREDENTIALS_CHANNEL } from '../../persistence/notifications.js';
import type { Store, Tx } from '../../persistence/store.js';
import { recordAudit } from '../audit/audit-writer.js';
import { Forbidden, InvalidValue, NotFound } from '../errors/domain-errors.js';
import { newId } from '../ids.js';
import type { CredentialKind, CredentialRecord, ProvisioningRecord, Role } from './credential-record.js';
import { hashSecret, newSecret, secretPrefix } from './secrets.js';

/** A credential together with its secret, which exists only in this return value. */
export interface IssuedCredential {
  credential: CredentialRecord;
  secret: string;
}

/** Tells every Roster process, on commit, to forget the principals it cached (see Authenticator). */
const announceChange = (tx: Tx) => tx.notify(CREDENTIALS_CHANNEL);

/** What a new credential is. */
interface NewCredential {
  kind: CredentialKind;
  role: Role;
  name: string;
  idp: string | null;
}

export const IDP_LABEL = /^[a-z0-9][a-z0-9._-]{0,63}$/i;

/** API keys, SCIM tokens and the provisioning switch. */
export class CredentialService {
  constructor(private readonly store: Store) {}

  /** Issues an API key. Only an OWNER may mint OWNER keys. */
  async createApiKey(actor: Principal, name: string, role: Exclude<Role, 'PROVISIONER' | 'USER'>, opts: { secret?: string; requestId?: string } = {}): Promise<IssuedCredential> {
    if (role === 'OWNER' && actor.role !== 'OWNER') throw new Forbidden('Only an OWNER can create OWNER keys.');
    if (!name.trim() || name.length > 100) throw new InvalidValue('name must be 1 to 100 characters.');
    return this.issue(actor, { kind: 'api_key', role, name, idp: null }, opts);
  }

  /** Turns provisioning on for an IdP and issues a new SCIM token for it (shown once). */
  async activateProvisioning(actor: Principal, idp: string, opts: { secret?: string; requestId?: string } = {}): Promise<IssuedCredential> {
    if (!IDP_LABEL.test(idp)) throw new InvalidValue('idp must be a short label such as "okta" or "entra" (letters, digits, . _ -).');
    return this.store.transaction(async (tx) => {
      await tx.credentials.activateProvisioning(idp);
      await announceChange(tx);
      const issued = await this.issueIn(tx, actor, { kind: 'scim_token', role: 'PROVISIONER', name: `SCIM token for ${idp}`, idp }, opts);
      await recordAudit(tx, actor, { action: 'provisioning.activate', resourceType: 'Provisioning', resourceId: idp }, opts.requestId);
      return issued;
    });
  }

  /** Suspends provisioning for an IdP: its tokens stay, but every SCIM call is refused until reactivated. */
  async deactivateProvisioning(actor: Principal, idp: string, requestId?: string): Promise<ProvisioningRecord> {
    return this.store.transaction(async (tx) => {
      const p = await tx.credentials.deactivateProvisioning(idp);
      if (!p) throw new NotFound('Provisioning', idp);
      await announceChange(tx);
      await recordAudit(tx, actor, { action: 'provisioning.deactivate', resourceType: 'Provisioning', resourceId: idp }, requestId);
      return p;
    });
  }

  /**
   * Lets an IdP adopt local users and groups (DESIGN §5), or stops it: while on, the IdP's next
   * update of a local resource makes it the IdP's (audited as user.adopt / group.adopt). Off by default.
   */
  async setProvisioningAdoption(actor: Principal, idp: string, adoptLocal: boolean, requestId?: string): Promise<ProvisioningRecord> {
    return this.store.transaction(async (tx) => {
      const before = await tx.credentials.provisioning(idp);
      if (!before) throw new NotFound('Provisioning', idp);
      if (before.adoptLocal === adoptLocal) return before;
      const p = (await tx.credentials.setAdoptLocal(idp, adoptLocal))!;
      await recordAudit(tx, actor, { action: `provisioning.adoption.${adoptLocal ? 'on' : 'off'}`, resourceType: 'Provisioning', resourceId: idp, changed: ['adoptLocal'] }, requestId);
      return p;
    });
  }

  /**
   * Issues one more SCIM token for an IdP, leaving the others valid: the first half of a rotation
   * with overlap (paste the new token in the IdP, then revoke the old one). Provisioning must exist;
   * its on/off state is left as it is.
   */
  async issueScimToken(actor: Principal, idp: string, name: string | undefined, requestId?: string): Promise<IssuedCredential> {
    const label = name?.trim() || `SCIM token for ${idp}`;
    if (label.length > 100) throw new InvalidValue('name must be 1 to 100 characters.');
    return this.store.transaction(async (tx) => {
      if (!(await tx.credentials.provisioningExists(idp))) throw new NotFound('Provisioning', idp);
      const issued = await this.issueIn(tx, actor, { kind: 'scim_token', role: 'PROVISIONER', name: label, idp }, { requestId });
      await recordAudit(tx, actor, { action: 'provisioning.token.issue', resourceType: 'Provisioning', resourceId: idp, changed: [issued.credential.id] }, requestId);
      return issued;
    });
  }

  /** Issues a new SCIM token for an IdP and revokes its previous ones, in one transaction. */
  async rotateScimToken(actor: Principal, idp: string, requestId?: string): Promise<IssuedCredential> {
    return this.store.transaction(async (tx) => {
      if (!(await tx.credentials.provisioningExists(idp))) throw new NotFound('Provisioning', idp);
      await tx.credentials.revokeScimTokens(idp);
      await announceChange(tx);
      const issued = await this.issueIn(tx, actor, { kind: 'scim_token', role: 'PROVISIONER', name: `SCIM token for ${idp}`, idp }, { requestId });
      await recordAudit(tx, actor, { action: 'provisioning.rotate', resourceType: 'Provisioning', resourceId: idp }, requestId);
      return issued;
    });
  }

  /** Revokes a credential at once. */
  async revoke(actor: Principal, id: string, requestId?: string): Promise<CredentialRecord> {
    return this.store.transaction(async (tx) => {
      const c = await tx.credentials.find(id);
      if (!c) throw new NotFound('Credential', id);
      if (c.role === 'OWNER' && actor.role !== 'OWNER') throw new Forbidden('Only an OWNER can revoke OWNER keys.');
      if (c.revokedAt) return c;
      const revoked = (await tx.credentials.revoke(id))!;
      // console sessions opened with the key end with it
      await tx.sso.endSessionsOfCredential(id, 'key_revoked');
      await announceChange(tx);
      await recordAudit(tx, actor, { action: 'credential.revoke', resourceType: 'Credential', resourceId: id }, requestId);
      return revoked;
    });
  }

  /** Every credential, newest first. */
  list(kind?: CredentialKind): Promise<CredentialRecord[]> {
    return this.store.credentials.list(kind);
  }

  /** Provisioning state of every IdP. */
  provisioning(): Promise<ProvisioningRecord[]> {
    return this.store.credentials.provisioning();
  }

  /** True when no API key exists yet (first start). */
  async noApiKeys(): Promise<boolean> {
    return (await this.store.credentials.countActiveApiKeys()) === 0;
  }

  /**
   * Whether a credential with exactly this secret exists, and whether it was revoked (bootstrap
   * from the environment: a revoked secret must neither come back nor be issued a second time).
   */
  secretStatus(secret: string): Promise<'active' | 'revoked' | 'absent'> {
    return this.store.credentials.statusOf(hashSecret(secret));
  }

  private issue(actor: Principal, c: NewCredential, opts: { secret?: string; requestId?: string }): Promise<IssuedCredential> {
    return this.store.transaction((tx) => this.issueIn(tx, actor, c, opts));
  }

  private async issueIn(tx: Tx, actor: Principal, c: NewCredential, opts: { secret?: string; requestId?: string }): Promise<IssuedCredential> {
    const secret = opts.secret ?? newSecret(c.kind);
    const cred = await tx.credentials.insert({
      id: newId(),
      ...c,
      secretHash: hashSecret(secret),
      prefix: secretPrefix(secret),
      createdBy: actor.credentialId === '00000000-0000-0000-0000-000000000000' ? null : actor.credentialId,
    });
    await recordAudit(tx, actor, { action: `${c.kind === 'api_key' ? 'apiKey' : 'scimToken'}.create`, resourceType: 'Credential', resourceId: cred.id }, opts.requestId);
    return { credential: cred, secret };
  }
}
