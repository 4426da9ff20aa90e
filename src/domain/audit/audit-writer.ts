import type { Principal } from '../../auth/principal.js';
import type { AuditWrite } from '../../persistence/audit/audit-log.js';
import type { Tx } from '../../persistence/store.js';

/** What was done to what. */
export interface AuditEntry {
  action: string;
  resourceType: string;
  resourceId: string | null;
  changed?: string[];
  /** attributes the caller sent that were not applied */
  ignored?: readonly string[];
}

/** The SYSTEM principal (CLI, bootstrap) is no credential: its events name no actor id. */
const SYSTEM_ID = '00000000-0000-0000-0000-000000000000';

/** Records an audit event in the transaction, so it commits or rolls back with the change. */
export async function recordAudit(tx: Tx, actor: Principal, entry: AuditEntry, requestId?: string): Promise<void> {
  await tx.audit.record(auditWriteOf(actor, entry, requestId));
}

/** The row an audit event is written as (for writes that carry their event in the same statement). */
export function auditWriteOf(actor: Principal, entry: AuditEntry, requestId?: string): AuditWrite {
  return {
    actorId: actor.credentialId === SYSTEM_ID ? null : actor.credentialId,
    actorLabel: actor.idp ? `${actor.label} (${actor.idp})` : actor.label,
    action: entry.action,
    resourceType: entry.resourceType,
    resourceId: entry.resourceId,
    changed: entry.changed ?? [],
    ignored: [...new Set(entry.ignored ?? [])],
    requestId: requestId ?? null,
  };
}
