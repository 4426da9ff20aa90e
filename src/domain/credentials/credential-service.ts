import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../../auth/principal';
import { recordAudit } from '../audit/audit-writer';
import { Forbidden, InvalidValue, NotFound } from '../errors/domain-errors';
import { isUuid, newId } from '../ids';
import { inTransaction } from '../transaction';
import { Credential, Role } from './credential.entity';
import type { CredentialRecord, ProvisioningRecord } from './credential-record';
import { Provisioning } from './provisioning.entity';
import { CREDENTIALS_CHANNEL } from '../../persistence/notifications';
import { hashSecret, newSecret, secretPrefix } from './secrets';

/** A credential together with its secret, which exists only in this return value. */
export interface IssuedCredential {
  credential: CredentialRecord;
  secret: string;
}

const toRecord = (c: Credential): CredentialRecord => ({
  id: c.id, kind: c.kind, role: c.role, name: c.name, idp: c.idp ?? null, prefix: c.prefix,
  createdAt: c.createdAt, lastUsedAt: c.lastUsedAt ?? null, revokedAt: c.revokedAt ?? null,
});
const toProvisioning = (p: Provisioning): ProvisioningRecord => ({ idp: p.idp, active: p.active, activatedAt: p.activatedAt, deactivatedAt: p.deactivatedAt ?? null });

/** Tells every Roster process, on commit, to forget the principals it cached (see Authenticator). */
const announceChange = (tx: EntityManager) => tx.execute(`select pg_notify('${CREDENTIALS_CHANNEL}', '')`);

const IDP_LABEL = /^[a-z0-9][a-z0-9._-]{0,63}$/i;

/** API keys, SCIM tokens and the provisioning switch. */
export class CredentialService {
  constructor(private readonly em: EntityManager) {}

  /** Issues an API key. Only an OWNER may mint OWNER keys. */
  async createApiKey(actor: Principal, name: string, role: Exclude<Role, 'PROVISIONER'>, opts: { secret?: string; requestId?: string } = {}): Promise<IssuedCredential> {
    if (role === 'OWNER' && actor.role !== 'OWNER') throw new Forbidden('Only an OWNER can create OWNER keys.');
    if (!name.trim() || name.length > 100) throw new InvalidValue('name must be 1 to 100 characters.');
    return this.issue(actor, { kind: 'api_key', role, name, idp: null }, opts);
  }

  /** Turns provisioning on for an IdP and issues a new SCIM token for it (shown once). */
  async activateProvisioning(actor: Principal, idp: string, opts: { secret?: string; requestId?: string } = {}): Promise<IssuedCredential> {
    if (!IDP_LABEL.test(idp)) throw new InvalidValue('idp must be a short label such as "okta" or "entra" (letters, digits, . _ -).');
    return inTransaction(this.em, async (tx) => {
      await tx.upsert(Provisioning, { idp, active: true, activatedAt: new Date(), deactivatedAt: null });
      await announceChange(tx);
      const issued = await this.issueIn(tx, actor, { kind: 'scim_token', role: 'PROVISIONER', name: `SCIM token for ${idp}`, idp }, opts);
      await recordAudit(tx, actor, { action: 'provisioning.activate', resourceType: 'Provisioning', resourceId: idp }, opts.requestId);
      return issued;
    });
  }

  /** Suspends provisioning for an IdP: its tokens stay, but every SCIM call is refused until reactivated. */
  async deactivateProvisioning(actor: Principal, idp: string, requestId?: string): Promise<ProvisioningRecord> {
    return inTransaction(this.em, async (tx) => {
      const p = await tx.findOne(Provisioning, { idp });
      if (!p) throw new NotFound('Provisioning', idp);
      p.active = false;
      p.deactivatedAt = new Date();
      await tx.flush();
      await announceChange(tx);
      await recordAudit(tx, actor, { action: 'provisioning.deactivate', resourceType: 'Provisioning', resourceId: idp }, requestId);
      return toProvisioning(p);
    });
  }

  /** Issues a new SCIM token for an IdP and revokes its previous ones, in one transaction. */
  async rotateScimToken(actor: Principal, idp: string, requestId?: string): Promise<IssuedCredential> {
    return inTransaction(this.em, async (tx) => {
      const p = await tx.findOne(Provisioning, { idp });
      if (!p) throw new NotFound('Provisioning', idp);
      await tx.nativeUpdate(Credential, { idp, kind: 'scim_token', revokedAt: null }, { revokedAt: new Date() });
      await announceChange(tx);
      const issued = await this.issueIn(tx, actor, { kind: 'scim_token', role: 'PROVISIONER', name: `SCIM token for ${idp}`, idp }, { requestId });
      await recordAudit(tx, actor, { action: 'provisioning.rotate', resourceType: 'Provisioning', resourceId: idp }, requestId);
      return issued;
    });
  }

  /** Revokes a credential at once. */
  async revoke(actor: Principal, id: string, requestId?: string): Promise<CredentialRecord> {
    return inTransaction(this.em, async (tx) => {
      const c = isUuid(id) ? await tx.findOne(Credential, { id }) : null;
      if (!c) throw new NotFound('Credential', id);
      if (c.role === 'OWNER' && actor.role !== 'OWNER') throw new Forbidden('Only an OWNER can revoke OWNER keys.');
      if (!c.revokedAt) {
        c.revokedAt = new Date();
        await tx.flush();
        await announceChange(tx);
        await recordAudit(tx, actor, { action: 'credential.revoke', resourceType: 'Credential', resourceId: id }, requestId);
      }
      return toRecord(c);
    });
  }

  /** Every credential, newest first. */
  async list(kind?: 'api_key' | 'scim_token'): Promise<CredentialRecord[]> {
    const rows = await this.em.find(Credential, kind ? { kind } : {}, { orderBy: { createdAt: 'desc', id: 'desc' } });
    return rows.map(toRecord);
  }

  /** Provisioning state of every IdP. */
  async provisioning(): Promise<ProvisioningRecord[]> {
    return (await this.em.find(Provisioning, {}, { orderBy: { idp: 'asc' } })).map(toProvisioning);
  }

  /** True when no API key exists yet (first start). */
  async noApiKeys(): Promise<boolean> {
    return (await this.em.count(Credential, { kind: 'api_key', revokedAt: null })) === 0;
  }

  /**
   * Whether a credential with exactly this secret exists, and whether it was revoked (bootstrap
   * from the environment: a revoked secret must neither come back nor be issued a second time).
   */
  async secretStatus(secret: string): Promise<'active' | 'revoked' | 'absent'> {
    const c = await this.em.findOne(Credential, { secretHash: hashSecret(secret) });
    return !c ? 'absent' : c.revokedAt ? 'revoked' : 'active';
  }

  private issue(actor: Principal, c: Pick<Credential, 'kind' | 'role' | 'name' | 'idp'>, opts: { secret?: string; requestId?: string }): Promise<IssuedCredential> {
    return inTransaction(this.em, (tx) => this.issueIn(tx, actor, c, opts));
  }

  private async issueIn(tx: EntityManager, actor: Principal, c: Pick<Credential, 'kind' | 'role' | 'name' | 'idp'>, opts: { secret?: string; requestId?: string }): Promise<IssuedCredential> {
    const secret = opts.secret ?? newSecret(c.kind);
    const cred = tx.create(Credential, { id: newId(), ...c, secretHash: hashSecret(secret), prefix: secretPrefix(secret), createdBy: actor.credentialId === '00000000-0000-0000-0000-000000000000' ? null : actor.credentialId });
    await tx.flush();
    await recordAudit(tx, actor, { action: `${c.kind === 'api_key' ? 'apiKey' : 'scimToken'}.create`, resourceType: 'Credential', resourceId: cred.id }, opts.requestId);
    return { credential: toRecord(cred), secret };
  }
}
