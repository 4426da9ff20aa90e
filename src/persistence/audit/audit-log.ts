import type { SqlEntityManager } from '@mikro-orm/sql';
import { newId } from '../../domain/ids.js';
import { AuditEvent } from '../entities/audit-event.entity.js';

/** One audit event as it is written. */
export interface AuditWrite {
  actorId: string | null;
  actorLabel: string;
  action: string;
  resourceType: string;
  resourceId: string | null;
  changed: string[];
  /** attributes sent but not applied */
  ignored?: string[];
  requestId: string | null;
}

/** One audit event as it is read. */
export interface AuditRecord extends Omit<AuditWrite, 'actorId'> {
  id: string;
  at: Date;
}

/** The audit trail: written in the transaction of the change it records, read newest first. */
export class AuditLog {
  constructor(private readonly em: SqlEntityManager) {}

  /** Appends an event (inside the caller's transaction). */
  async record(e: AuditWrite): Promise<void> {
    await this.em.insert(AuditEvent, { id: newId(), at: new Date(), ...e });
  }

  /** A page of events, newest first, optionally for one resource. */
  async list(resourceId: string | null, limit: number, offset: number): Promise<AuditRecord[]> {
    const rows = await this.em.find(AuditEvent, resourceId ? { resourceId } : {}, { orderBy: { at: 'desc', id: 'desc' }, limit, offset });
    return rows.map((e) => ({
      id: e.id,
      at: e.at,
      actorLabel: e.actorLabel,
      action: e.action,
      resourceType: e.resourceType,
      resourceId: e.resourceId ?? null,
      changed: e.changed,
      requestId: e.requestId ?? null,
    }));
  }
}
