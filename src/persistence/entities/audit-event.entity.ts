import { OptionalProps } from '@mikro-orm/core';
import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/** Who changed what and when; written in the transaction of the change it records. */
@Entity({ tableName: 'audit_events' })
@Index({ name: 'audit_events_at_idx', properties: ['at', 'id'] })
@Index({ name: 'audit_events_resource_idx', properties: ['resourceId'] })
// auditLog's action filter: exact, or a prefix (`sso.`). LIKE can use a btree only under the C collation.
@Index({ name: 'audit_events_action_at_idx', columns: [{ name: 'action', collation: 'C' }, { name: 'at' }] })
// auditLog's actor (substring, any case) and idp (label suffix) filters: trigrams serve both LIKE shapes.
@Index({ name: 'audit_events_actor_label_trgm', expression: 'create index "audit_events_actor_label_trgm" on "audit_events" using gin ("actor_label" gin_trgm_ops)' })
export class AuditEvent {
  [OptionalProps]?: 'at' | 'changed' | 'ignored' | 'requestId' | 'actorId' | 'resourceId';

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz(3)' })
  at: Date = new Date();

  @Property({ type: 'uuid', nullable: true })
  actorId?: string | null;

  @Property({ type: 'text' })
  actorLabel!: string;

  @Property({ type: 'text' })
  action!: string;

  @Property({ type: 'string', length: 32 })
  resourceType!: string;

  @Property({ type: 'text', nullable: true })
  resourceId?: string | null;

  @Property({ type: 'text[]', defaultRaw: "'{}'" })
  changed: string[] = [];

  /** attributes the client sent that were not applied (unknown to the schema; RFC 7644 §3.3) */
  @Property({ type: 'text[]', defaultRaw: "'{}'" })
  ignored: string[] = [];

  @Property({ type: 'text', nullable: true })
  requestId?: string | null;
}
