import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../../auth/principal';
import { newId } from '../ids';
import { AuditEvent } from './audit-event.entity';

/** What was done to what. */
export interface AuditEntry {
  action: string;
  resourceType: string;
  resourceId: string | null;
  changed?: string[];
}

/** Records an audit event through the transaction's EntityManager, so it commits or rolls back with the change. */
export async function recordAudit(tx: EntityManager, actor: Principal, entry: AuditEntry, requestId?: string): Promise<void> {
  await tx.insert(AuditEvent, {
    id: newId(),
    at: new Date(),
    actorId: actor.credentialId === '00000000-0000-0000-0000-000000000000' ? null : actor.credentialId,
    actorLabel: actor.idp ? `${actor.label} (${actor.idp})` : actor.label,
    action: entry.action,
    resourceType: entry.resourceType,
    resourceId: entry.resourceId,
    changed: entry.changed ?? [],
    requestId: requestId ?? null,
  });
}
