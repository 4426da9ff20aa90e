import { Migration } from '@mikro-orm/migrations';

/**
 * Row counts and position checks for the unfiltered lists of users and groups (Okta's import
 * walk): see src/persistence/list-positions.ts for how they are read.
 *
 * Every statement that adds or removes users or groups appends one row here, in the writing
 * transaction: the number of rows it added (or minus those it removed) and the smallest
 * (created_at, id) key among them. The sum of the changes a snapshot sees is exactly count(*) on that
 * snapshot, without reading the table; the keys and transaction ids tell a reader whether anything
 * before a remembered list position came or went since a given snapshot. Append-only, so
 * concurrent creates never wait on one counter row. Every 1,000th row folds them into one
 * (`folded`, which also tells every reader that remembered positions are void). No index but the
 * key: readers scan at most about a thousand rows, and an index would cost every create.
 *
 * Statement triggers, not row triggers: a row trigger costs a one-row insert less (pgbench: about
 * +0.09 ms over no trigger, against +0.16 ms), but a bulk load of a million rows then writes a
 * million log rows, doubles the load's time, and leaves the log's table bloated (tens of MB that
 * every list total scans) until a VACUUM FULL.
 */
export class Migration20261130220000_row_count_deltas extends Migration {
  override name = 'Migration20261130220000_row_count_deltas';

  override up(): void | Promise<void> {
    this.addSql(
      `create table "row_count_deltas" ("seq" bigserial not null, "resource" varchar(16) not null, "txid" xid8 not null default pg_current_xact_id(), "change" bigint not null, "first_created_at" timestamptz(3) null, "first_id" uuid null, "folded" boolean not null default false, constraint "row_count_deltas_pkey" primary key ("seq"));`,
    );
    this.addSql(`
create function roster_count_rows() returns trigger language plpgsql as $$
declare
  added_seq bigint;
begin
  if tg_op = 'TRUNCATE' then
    delete from row_count_deltas where resource = tg_table_name;
    insert into row_count_deltas (resource, change, folded) values (tg_table_name, 0, true);
    return null;
  elsif tg_op = 'INSERT' then
    insert into row_count_deltas (resource, change, first_created_at, first_id)
    select tg_table_name, count(*) over (), n.created_at, n.id from new_rows n order by n.created_at, n.id limit 1
    returning row_count_deltas.seq into added_seq;
  else
    insert into row_count_deltas (resource, change, first_created_at, first_id)
    select tg_table_name, -count(*) over (), o.created_at, o.id from old_rows o order by o.created_at, o.id limit 1
    returning row_count_deltas.seq into added_seq;
  end if;
  if added_seq is null then
    return null;
  end if;
  -- Fold now and then so that readers sum a few hundred rows at most; one folder at a time (a
  -- second would only wait on the first's row locks).
  if added_seq % 1000 = 0 and pg_try_advisory_xact_lock(hashtext('roster_count_rows_fold')) then
    with gone as (delete from row_count_deltas returning resource, change)
    insert into row_count_deltas (resource, change, folded) select g.resource, sum(g.change), true from gone g group by g.resource;
  end if;
  return null;
end
$$;`);
    // A key that changes moves a row within the order: recorded as a zero-row change at the lower key.
    this.addSql(`
create function roster_row_key_moved() returns trigger language plpgsql as $$
begin
  insert into row_count_deltas (resource, change, first_created_at, first_id)
  select tg_table_name, 0, k.created_at, k.id from (values (old.created_at, old.id), (new.created_at, new.id)) as k (created_at, id) order by k.created_at, k.id limit 1;
  return null;
end
$$;`);
    for (const table of ['users', 'groups']) {
      this.addSql(`create trigger "${table}_count_inserts" after insert on "${table}" referencing new table as new_rows for each statement execute function roster_count_rows();`);
      this.addSql(`create trigger "${table}_count_deletes" after delete on "${table}" referencing old table as old_rows for each statement execute function roster_count_rows();`);
      this.addSql(`create trigger "${table}_count_truncates" after truncate on "${table}" for each statement execute function roster_count_rows();`);
      this.addSql(
        `create trigger "${table}_key_moves" after update of created_at, id on "${table}" for each row when (old.created_at is distinct from new.created_at or old.id is distinct from new.id) execute function roster_row_key_moved();`,
      );
    }
    // Counted after the triggers exist: creating them locks out writers until this migration
    // commits, so no row can be added between the count and the first trigger.
    this.addSql(`insert into "row_count_deltas" ("resource", "change", "folded") select 'users', count(*), true from "users";`);
    this.addSql(`insert into "row_count_deltas" ("resource", "change", "folded") select 'groups', count(*), true from "groups";`);
  }

  override down(): void | Promise<void> {
    for (const table of ['users', 'groups']) {
      for (const trigger of ['count_inserts', 'count_deletes', 'count_truncates', 'key_moves']) this.addSql(`drop trigger if exists "${table}_${trigger}" on "${table}";`);
    }
    this.addSql(`drop function if exists roster_count_rows();`);
    this.addSql(`drop function if exists roster_row_key_moved();`);
    this.addSql(`drop table if exists "row_count_deltas" cascade;`);
  }
}
