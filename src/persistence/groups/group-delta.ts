import type { SqlEntityManager } from '@mikro-orm/sql';
import type { AuditWrite } from '../audit/audit-log.js';
import { AuditEvent } from '../entities/audit-event.entity.js';
import { frag, joinFrags, type SqlFragment } from '../sql/fragment.js';
import { insertParts } from '../sql/insert.js';
import { groupColumns } from '../users/user-rows.js';
import type { GroupChange, NamedMember } from './group-change.js';

/** Whether a change only adds or removes members (an IdP's usual push): it then needs no snapshot of the group. */
export function isMemberDelta(c: GroupChange): boolean {
  return !c.members && (!!c.add?.length || !!c.remove?.length) && c.displayName === undefined && c.externalId === undefined && c.expectedVersion == null;
}

/** Ids sent as one JSON array parameter (one prepared text, whatever their number). */
export const IDS = 'array(select jsonb_array_elements_text(?::jsonb))::uuid[]';

/**
 * `want` (the named members), `typed` (what each id is, users first, as the locking path checks)
 * and `bad` (a row when an id is nothing, or not what the caller declared: the whole write is then
 * refused). With `display`, `typed` also carries a user's name (null for a group): a whole-list
 * write answers with every member's name, and this probe of users is the only one it needs.
 */
export function memberTypeCtes(named: readonly NamedMember[], display = false): SqlFragment[] {
  const isGroup = `when exists (select 1 from groups x where x.id = w.id) then 'Group'`;
  const typed = display
    ? `typed as (select w.id, w.t as declared, case when u.id is not null then 'User' ${isGroup} end as type, ` +
      'coalesce(u.display_name, u.user_name::text) as user_display from want w left join users u on u.id = w.id)'
    : `typed as (select w.id, w.t as declared, case when exists (select 1 from users u where u.id = w.id) then 'User' ${isGroup} end as type from want w)`;
  return [
    frag('want as (select x.id, x.t from jsonb_to_recordset(?::jsonb) as x(id uuid, t text))', [named.map((m) => ({ id: m.id, t: m.type }))]),
    frag(typed),
    frag('bad as (select 1 from typed where type is null or lower(declared) <> lower(type) limit 1)'),
  ];
}

/**
 * Members added or removed, and nothing else, in ONE statement with the version bump and the audit
 * event. It locks the group row first (only a group of this owner, and only if every named member
 * is what the caller declared), then inserts (on conflict, nothing) and deletes, and bumps the
 * version only if they touched a row. A write that waited for another is applied after it, in the
 * order of the lock: it never finds the group changed under it, so it never runs again. The rows
 * it deletes are those of the statement's snapshot: a member added by a writer that committed while
 * this one waited is not removed by it (as if this remove came first).
 *
 * Nothing is decided on a snapshot of the group before the lock (the general statement in
 * group-change.ts does that, for version checks and renames): on the embedded database that
 * snapshot, its change list and the second result row cost a third of the statement's time.
 *
 * Rows: 'written' (the group after the bump) or, when nothing changed, 'snapshot' (the group as the
 * statement saw it, with `bad` set if a named member is missing or not of its declared type, and
 * `changes` set if the lock found the group deleted or given to another owner since: raced); no
 * row when the group is missing or has another owner.
 */
export function memberDeltaStatement(em: SqlEntityManager, c: GroupChange, audit: Omit<AuditWrite, 'changed'> & { id: string; at: Date }): SqlFragment {
  const cols = groupColumns(em);
  const add = c.add?.length ? c.add : undefined;
  const remove = c.remove?.length ? c.remove : undefined;
  const ctes: SqlFragment[] = [];
  if (add) ctes.push(...memberTypeCtes(add));
  ctes.push(frag(`lk as (select g.id from groups g where g.id = ? and g.source = ?${add ? ' and not exists (select 1 from bad)' : ''} for no key update of g)`, [c.id, c.owner]));
  if (remove) ctes.push(frag(`del as (delete from memberships m using lk where m.group_id = lk.id and m.member_id = any(${IDS}) returning 1)`, [remove]));
  if (add) ctes.push(frag('ins as (insert into memberships (group_id, member_id, member_type) select lk.id, t.id, t.type from lk cross join typed t on conflict do nothing returning 1)'));
  // count(*), not exists: the insert and the delete run to their end before the version moves
  const touched = [...(remove ? ['(select count(*) from del)'] : []), ...(add ? ['(select count(*) from ins)'] : [])].join(' + ');
  ctes.push(frag(`upd as (update groups g set version = g.version + 1, updated_at = now() where g.id = ? and ${touched} > 0 returning ${cols.select('g')})`, [c.id]));
  const a = insertParts(em, AuditEvent, { ...audit, changed: undefined });
  ctes.push(frag(`aud as (insert into ${a.table} (${a.columns.join(', ')}, changed) select ${a.placeholders.join(', ')}, array['members']::text[] from upd)`, a.bindings));
  return joinFrags(
    [
      frag('with '),
      joinFrags(ctes, ', '),
      frag(` select 'written' as outcome, false as bad, true as changes, ${cols.select('upd')} from upd`),
      frag(
        // `changes` here: the group was there, but the lock found it gone or given to another owner
        // (a delete or an adoption committed while this statement waited): the caller runs again.
        ` union all select 'snapshot', ${add ? 'exists (select 1 from bad)' : 'false'}, not exists (select 1 from lk), ${cols.select('g0')} from groups g0 ` +
          'where g0.id = ? and g0.source = ? and not exists (select 1 from upd)',
        [c.id, c.owner],
      ),
    ],
    '',
  );
}
