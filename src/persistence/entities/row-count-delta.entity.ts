import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type { TriggerDef } from '@mikro-orm/core';

/**
 * One statement's change to the number of users or groups (0 for a moved key), appended by a trigger (see the
 * migration that creates it and src/persistence/list-positions.ts). Never written by the
 * application; read for list totals and to tell whether a remembered list position still holds.
 */
@Entity({ tableName: 'row_count_deltas' })
export class RowCountDelta {
  @PrimaryKey({ type: 'bigint', autoincrement: true })
  seq!: bigint;

  /** the table: `users` or `groups` */
  @Property({ type: 'string', length: 16 })
  resource!: string;

  /** the writing transaction, to compare with a snapshot (pg_visible_in_snapshot) */
  @Property({ type: 'string', columnType: 'xid8', defaultRaw: 'pg_current_xact_id()' })
  txid!: string;

  /** rows added, or minus rows removed */
  @Property({ type: 'bigint' })
  change!: bigint;

  /** the smallest (created_at, id) key the statement added, removed or moved; null for a fold */
  @Property({ type: 'datetime', columnType: 'timestamptz(3)', nullable: true })
  firstCreatedAt?: Date | null;

  @Property({ type: 'uuid', nullable: true })
  firstId?: string | null;

  /** the sum of earlier rows, folded into one */
  @Property({ type: 'boolean', default: false })
  folded!: boolean;
}

/**
 * The triggers that append to row_count_deltas, declared on the users and groups entities so that
 * the schema generator knows them (it would otherwise offer to drop them). Created by the
 * migration `row_count_deltas`; the functions they call live there too. The migration's TRUNCATE
 * triggers are not listed: the generator reads triggers from information_schema, which leaves
 * TRUNCATE triggers out, so it neither sees nor would drop them.
 */
export function rowCountTriggers(table: 'users' | 'groups'): TriggerDef[] {
  return [
    {
      name: `${table}_count_inserts`,
      timing: 'after',
      events: ['insert'],
      forEach: 'statement',
      expression: `create trigger "${table}_count_inserts" after insert on "${table}" referencing new table as new_rows for each statement execute function roster_count_rows()`,
    },
    {
      name: `${table}_count_deletes`,
      timing: 'after',
      events: ['delete'],
      forEach: 'statement',
      expression: `create trigger "${table}_count_deletes" after delete on "${table}" referencing old table as old_rows for each statement execute function roster_count_rows()`,
    },
    {
      name: `${table}_key_moves`,
      timing: 'after',
      events: ['update'],
      forEach: 'row',
      expression:
        `create trigger "${table}_key_moves" after update of created_at, id on "${table}" for each row ` +
        `when (old.created_at is distinct from new.created_at or old.id is distinct from new.id) execute function roster_row_key_moved()`,
    },
  ];
}
