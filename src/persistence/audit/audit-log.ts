import type { SqlEntityManager } from '@mikro-orm/sql';
import { newEventStamp } from '../../domain/ids.js';
import { AuditEvent } from '../entities/audit-event.entity.js';
import { escapeLike, frag, joinFrags, type SqlFragment } from '../sql/fragment.js';
import { runSql } from '../sql/run.js';

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

/** Which events to read; every criterion given must hold. */
export interface AuditFilter {
  /** exact, or a prefix when it ends with `.` (kept) or `*` (dropped): `sso.`, `user.*` */
  action?: string | null;
  /** a substring of the actor label, in any case */
  actor?: string | null;
  /** events of actors that acted for this IdP: their labels end with ` (<idp>)` (see audit-writer.ts) */
  idp?: string | null;
  resourceType?: string | null;
  resourceId?: string | null;
  /** at or after */
  since?: Date | null;
  /** before */
  until?: Date | null;
}

/** A page of events and how many match in all. */
export interface AuditPage {
  items: AuditRecord[];
  hasNextPage: boolean;
  /** counted only when called */
  totalCount(): Promise<number>;
}

type Row = Record<string, unknown>;
const date = (v: unknown): Date => (v instanceof Date ? v : new Date(String(v)));
const texts = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);

const toRecord = (r: Row): AuditRecord => ({
  id: String(r.id),
  at: date(r.at),
  actorLabel: String(r.actor_label),
  action: String(r.action),
  resourceType: String(r.resource_type),
  resourceId: (r.resource_id as string | null) ?? null,
  changed: texts(r.changed),
  ignored: texts(r.ignored),
  requestId: (r.request_id as string | null) ?? null,
});

/**
 * The WHERE clause of a filter. The action and label comparisons are written to match the indexes
 * of AuditEvent: `action collate "C"` (a btree serves LIKE prefixes only under C) and trigrams on
 * actor_label (substring and suffix alike).
 */
function where(f: AuditFilter): SqlFragment {
  const parts: SqlFragment[] = [];
  if (f.action) {
    const prefix = f.action.endsWith('*') ? f.action.slice(0, -1) : f.action.endsWith('.') ? f.action : null;
    if (prefix === null) parts.push(frag('action collate "C" = ?', [f.action]));
    else if (prefix !== '') parts.push(frag(`action collate "C" like ? escape '\\'`, [`${escapeLike(prefix)}%`]));
  }
  if (f.actor) parts.push(frag(`actor_label ilike ? escape '\\'`, [`%${escapeLike(f.actor)}%`]));
  if (f.idp) parts.push(frag(`actor_label like ? escape '\\'`, [`% (${escapeLike(f.idp)})`]));
  if (f.resourceType) parts.push(frag('resource_type = ?', [f.resourceType]));
  if (f.resourceId) parts.push(frag('resource_id = ?', [f.resourceId]));
  if (f.since) parts.push(frag('at >= ?', [f.since]));
  if (f.until) parts.push(frag('at < ?', [f.until]));
  return parts.length ? joinFrags([frag(' where '), joinFrags(parts, ' and ')], '') : frag('');
}

const COLUMNS = 'id, at, actor_label, action, resource_type, resource_id, changed, ignored, request_id';

/** The audit trail: written in the transaction of the change it records, read newest first. */
export class AuditLog {
  constructor(private readonly em: SqlEntityManager) {}

  /** Appends an event (inside the caller's transaction). */
  async record(e: AuditWrite): Promise<void> {
    await this.em.insert(AuditEvent, { ...newEventStamp(), ...e });
  }

  /** A page of events, newest first (ties by id, so pages never overlap), optionally for one resource. */
  async list(resourceId: string | null, limit: number, offset: number): Promise<AuditRecord[]> {
    return (await this.page({ resourceId }, limit, offset)).items;
  }

  /** A page of the events that match, newest first, ties broken by id; the total is counted on demand. */
  async page(filter: AuditFilter, limit: number, offset: number): Promise<AuditPage> {
    const w = where(filter);
    // One row past the page tells whether another page follows, without counting.
    const rows = await runSql(this.em, joinFrags([frag(`select ${COLUMNS} from audit_events`), w, frag(' order by at desc, id desc limit ? offset ?', [limit + 1, offset])], ''));
    let total: Promise<number> | undefined;
    return {
      items: rows.slice(0, limit).map(toRecord),
      hasNextPage: rows.length > limit,
      totalCount: () => (total ??= runSql(this.em, joinFrags([frag('select count(*)::int as n from audit_events'), w], '')).then((r) => Number(r[0]?.n ?? 0))),
    };
  }
}
