import { Migration } from '@mikro-orm/migrations';

/**
 * A membership's member must exist, as a foreign key would make it (the member is a user or a
 * group, so no single foreign key can).
 *
 * The services check that each member exists before they add it, and delete a user's or group's
 * memberships in the transaction that deletes it; but a check on a snapshot cannot see a delete
 * that commits while the add is under way. A user deleted between a PATCH's check and its commit
 * left a membership naming nobody. A foreign key closes that gap by locking the referenced row
 * (KEY SHARE) when a row pointing at it is inserted: a delete, which locks the user FOR UPDATE
 * first, then either waits for the add (and its later statements remove the new membership) or
 * makes the add wait and fail. This trigger does the same for both kinds of member, once per
 * statement (a 10,000-member PUT is one join, not 10,000 calls).
 *
 * Memberships that already name a missing member are removed here, and their groups get a new
 * version (their member list changed).
 */
export class Migration20261201010000_membership_members_exist extends Migration {
  override name = 'Migration20261201010000_membership_members_exist';

  override up(): void | Promise<void> {
    this.addSql(`
create function roster_members_exist() returns trigger language plpgsql as $$
declare
  missing uuid;
begin
  -- Lock what the new rows name, as a foreign key does; each statement of a volatile function takes
  -- a new snapshot, so the check below sees a delete that committed while this one waited.
  perform 1 from users u where u.id in (select n.member_id from new_rows n where n.member_type = 'User') for key share of u;
  perform 1 from groups g where g.id in (select n.member_id from new_rows n where n.member_type = 'Group') for key share of g;
  select n.member_id into missing from new_rows n
   where (n.member_type = 'User' and not exists (select 1 from users u where u.id = n.member_id))
      or (n.member_type = 'Group' and not exists (select 1 from groups g where g.id = n.member_id))
      or n.member_type not in ('User', 'Group')
   limit 1;
  if found then
    raise exception 'member % does not exist', missing
      using errcode = 'foreign_key_violation', constraint = 'memberships_member_exists', table = 'memberships';
  end if;
  return null;
end
$$;`);
    this.addSql(`create trigger "memberships_member_exists" after insert on "memberships" referencing new table as new_rows for each statement execute function roster_members_exist();`);
    this.addSql(`
with gone as (
  delete from memberships m
   where (m.member_type = 'User' and not exists (select 1 from users u where u.id = m.member_id))
      or (m.member_type = 'Group' and not exists (select 1 from groups g where g.id = m.member_id))
  returning m.group_id
)
update groups set version = version + 1, updated_at = now() where id in (select group_id from gone);`);
  }

  override down(): void | Promise<void> {
    this.addSql(`drop trigger if exists "memberships_member_exists" on "memberships";`);
    this.addSql(`drop function if exists roster_members_exist();`);
  }
}
