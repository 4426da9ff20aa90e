import type { SqlEntityManager } from '@mikro-orm/sql';
import type { CredentialKind, CredentialRecord, ProvisioningRecord, Role } from '../../domain/credentials/credential-record.js';
import { isUuid } from '../../domain/ids.js';
import { Credential } from '../entities/credential.entity.js';
import { Provisioning } from '../entities/provisioning.entity.js';
import { frag } from '../sql/fragment.js';
import { runSql } from '../sql/run.js';

/** What authentication needs of a credential, read in one indexed statement. */
export interface CredentialForAuth {
  id: string;
  role: Role;
  name: string;
  idp: string | null;
  secretHash: string;
  revoked: boolean;
  /** whether provisioning is active for the credential's IdP (null for API keys) */
  provisioningActive: boolean | null;
}

const toRecord = (c: Credential): CredentialRecord => ({
  id: c.id,
  kind: c.kind,
  role: c.role,
  name: c.name,
  idp: c.idp ?? null,
  prefix: c.prefix,
  createdAt: c.createdAt,
  lastUsedAt: c.lastUsedAt ?? null,
  revokedAt: c.revokedAt ?? null,
});
const toProvisioning = (p: Provisioning): ProvisioningRecord => ({
  idp: p.idp,
  active: p.active,
  activatedAt: p.activatedAt,
  deactivatedAt: p.deactivatedAt ?? null,
  adoptLocal: p.adoptLocal ?? false,
});

/** Reads of credentials and provisioning. */
export class CredentialReads {
  constructor(private readonly em: SqlEntityManager) {}

  /** The credential with this secret hash, joined to its provisioning switch. */
  async forAuth(secretHash: string): Promise<CredentialForAuth | null> {
    const row = (
      await runSql(
        this.em,
        frag('select c.id, c.role, c.name, c.idp, c.secret_hash, c.revoked_at, p.active from credentials c left join provisioning p on p.idp = c.idp where c.secret_hash = ?', [secretHash]),
        { prepare: true },
      )
    )[0];
    if (!row) return null;
    return {
      id: String(row.id),
      role: row.role as Role,
      name: String(row.name),
      idp: (row.idp as string | null) ?? null,
      secretHash: String(row.secret_hash),
      revoked: row.revoked_at !== null,
      provisioningActive: row.active === null || row.active === undefined ? null : Boolean(row.active),
    };
  }

  /** Records the last use of a credential outside any transaction. */
  async touch(id: string): Promise<void> {
    await runSql(this.em.fork(), frag('update credentials set last_used_at = now() where id = ?', [id]));
  }

  /** Every credential, newest first. */
  async list(kind?: CredentialKind): Promise<CredentialRecord[]> {
    const rows = await this.em.find(Credential, kind ? { kind } : {}, { orderBy: { createdAt: 'desc', id: 'desc' } });
    return rows.map(toRecord);
  }

  /** Provisioning state of every IdP. */
  async provisioning(): Promise<ProvisioningRecord[]> {
    return (await this.em.find(Provisioning, {}, { orderBy: { idp: 'asc' } })).map(toProvisioning);
  }

  /** How many API keys are not revoked. */
  countActiveApiKeys(): Promise<number> {
    return this.em.count(Credential, { kind: 'api_key', revokedAt: null });
  }

  /** Whether a credential with this secret hash exists, and whether it was revoked. */
  async statusOf(secretHash: string): Promise<'active' | 'revoked' | 'absent'> {
    const c = await this.em.findOne(Credential, { secretHash });
    return !c ? 'absent' : c.revokedAt ? 'revoked' : 'active';
  }
}

/** Credential and provisioning writes inside one transaction. */
export class CredentialWrites {
  constructor(private readonly em: SqlEntityManager) {}

  /** Turns provisioning on for an IdP (creating its row the first time). */
  async activateProvisioning(idp: string): Promise<void> {
    await this.em.upsert(Provisioning, { idp, active: true, activatedAt: new Date(), deactivatedAt: null });
  }

  /** Turns provisioning off; null when the IdP was never set up. */
  async deactivateProvisioning(idp: string): Promise<ProvisioningRecord | null> {
    const p = await this.em.findOne(Provisioning, { idp });
    if (!p) return null;
    p.active = false;
    p.deactivatedAt = new Date();
    await this.em.flush();
    return toProvisioning(p);
  }

  /** Provisioning of one IdP, or null when it was never set up. */
  async provisioning(idp: string): Promise<ProvisioningRecord | null> {
    const p = await this.em.findOne(Provisioning, { idp });
    return p ? toProvisioning(p) : null;
  }

  /** Turns adoption of local users and groups on or off for an IdP; null when the IdP was never set up. */
  async setAdoptLocal(idp: string, adoptLocal: boolean): Promise<ProvisioningRecord | null> {
    const p = await this.em.findOne(Provisioning, { idp });
    if (!p) return null;
    p.adoptLocal = adoptLocal;
    await this.em.flush();
    return toProvisioning(p);
  }

  /** Whether the IdP's writes may adopt local users and groups (false when it was never set up). */
  async adoptsLocal(idp: string): Promise<boolean> {
    const row = (await runSql(this.em, frag('select adopt_local from provisioning where idp = ?', [idp])))[0];
    return row?.adopt_local === true;
  }

  /** Whether provisioning was ever set up for the IdP. */
  async provisioningExists(idp: string): Promise<boolean> {
    return (await this.em.count(Provisioning, { idp })) > 0;
  }

  /** Revokes every live SCIM token of an IdP. */
  async revokeScimTokens(idp: string): Promise<void> {
    await this.em.nativeUpdate(Credential, { idp, kind: 'scim_token', revokedAt: null }, { revokedAt: new Date() });
  }

  /** Inserts a credential. */
  async insert(data: { id: string; kind: CredentialKind; role: Role; name: string; idp: string | null; secretHash: string; prefix: string; createdBy: string | null }): Promise<CredentialRecord> {
    const c = this.em.create(Credential, data);
    await this.em.flush();
    return toRecord(c);
  }

  /** The credential, or null. */
  async find(id: string): Promise<CredentialRecord | null> {
    const c = isUuid(id) ? await this.em.findOne(Credential, { id }) : null;
    return c ? toRecord(c) : null;
  }

  /** Marks a credential revoked now. */
  async revoke(id: string): Promise<CredentialRecord | null> {
    const c = isUuid(id) ? await this.em.findOne(Credential, { id }) : null;
    if (!c) return null;
    c.revokedAt = new Date();
    await this.em.flush();
    return toRecord(c);
  }
}
