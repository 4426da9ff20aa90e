import type { SqlEntityManager } from '@mikro-orm/sql';
import type { GroupRecord, MemberType } from '../../domain/groups/group-record.js';
import type { AuditWrite } from '../audit/audit-log.js';
import { AuditEvent } from '../entities/audit-event.entity.js';
import { frag, joinFrags, type SqlFragment } from '../sql/fragment.js';
import { insertParts } from '../sql/insert.js';
import { runSql } from '../sql/run.js';
import { IDS, isMemberDelta, memberDeltaStatement, memberTypeCtes } from './group-delta.js';
import { groupColumns, groupFromRow } from '../users/user-rows.js';

/** A member the change names, with the type the caller declared (checked against what the id is). */
export interface NamedMember {
  id: string;
  type: MemberType | null;
}

/**
 * One write of a group by its owner, as the domain has checked it (ids are UUIDs, no group is its
 * own member, `members` never comes with `add` or `remove`, and `add` and `remove` share no id).
 */
export interface GroupChange {
  id: string;
  /** the source the caller owns: the write applies only to a group with this source */
  owner: string;
  expectedVersion: number | null;
  /** set when given (undefined: not given) */
  displayName?: string;
  externalId?: string | null;
  /** the whole member list (only the difference is written) */
  members?: NamedMember[];
  add?: NamedMember[];
  remove?: string[];
}

/**
 * What came of it. `refused`: the statement wrote nothing because the group is missing, has
 * another source or another version than expected, or a named member does not exist or is not of
 * the declared type; the locking path knows which and says so. `raced`: another write changed the
 * group between this statement's snapshot and its update; nothing was written.
 */
export type ChangeOutcome = { outcome: 'written' | 'unchanged'; group: GroupRecord } | { outcome: 'refused' | 'raced' };

/**
 * The change, the version bump and the audit event in ONE statement (data-modifying CTEs: atomic
 * by themselves). Every decision is taken on the statement's snapshot: which members to insert or
 * delete, whether anything changes at all (a no-op writes nothing). The update of the group row
 * holds only if its version is still the snapshot's: a concurrent writer (every membership write
 * bumps the group's version under the row lock) makes it match no row after waiting for that
 * writer, and then the membership CTEs, which join the update's result, write nothing either.
 * Members added or removed and nothing else take the row lock first instead (group-delta.ts).
 */
export async function changeWithAudit(em: SqlEntityManager, c: GroupChange, audit: Omit<AuditWrite, 'changed'> & { id: string; at: Date }): Promise<ChangeOutcome> {
  // A PATCH's statement is one of a few texts: prepared once per connection, it is not planned
  // again on every request. A whole member list is planned with its size known (its anti-joins
  // depend on it).
  const statement = isMemberDelta(c) ? memberDeltaStatement(em, c, audit) : changeStatement(em, c, audit);
  const rows = await runSql(em, statement, { prepare: !c.members });
  const withMembers = (row: Record<string, unknown>): GroupRecord => {
    const group = groupFromRow(em, row);
    if (c.members) {
      const members = JSON.parse(String(row.member_page)) as [string, MemberType, string | null][];
      group.members = members.map(([memberId, memberType, display]) => ({ groupId: c.id, memberId, memberType, display }));
    }
    return group;
  };
  const written = rows.find((r) => r.outcome === 'written');
  if (written) return { outcome: 'written', group: withMembers(written) };
  const snapshot = rows[0];
  if (!snapshot || snapshot.bad) return { outcome: 'refused' };
  if (!snapshot.changes) return { outcome: 'unchanged', group: withMembers(snapshot) };
  return { outcome: 'raced' };
}

/** The general change (see changeWithAudit): decided on the statement's snapshot, written only if the version is still the snapshot's. */
function changeStatement(em: SqlEntityManager, c: GroupChange, audit: Omit<AuditWrite, 'changed'> & { id: string; at: Date }): SqlFragment {
  const cols = groupColumns(em);
  const named = c.members ?? c.add;
  const ctes: SqlFragment[] = [
    frag(`g0 as (select ${cols.select('g')} from groups g where g.id = ? and g.source = ?${c.expectedVersion != null ? ' and g.version = ?' : ''})`, [
      c.id,
      c.owner,
      ...(c.expectedVersion != null ? [c.expectedVersion] : []),
    ]),
  ];
  if (named) {
    ctes.push(
      ...memberTypeCtes(named, !!c.members),
      frag('ins_rows as (select t.id, t.type from typed t where not exists (select 1 from memberships m where m.group_id = ? and m.member_id = t.id))', [c.id]),
    );
  }
  if (c.members) {
    // NOT EXISTS against the list runs as one hashed anti-join, whatever the group's size.
    ctes.push(frag('del_rows as (select m.member_id from memberships m where m.group_id = ? and not exists (select 1 from want w where w.id = m.member_id))', [c.id]));
  } else if (c.remove?.length) {
    ctes.push(frag(`del_rows as (select m.member_id from memberships m where m.group_id = ? and m.member_id = any(${IDS}))`, [c.id, c.remove]));
  }
  const hasDel = !!c.members || !!c.remove?.length;

  // The changed attributes in the order the audit event names them (as the locking path does).
  // display_name is citext: compared as text, so that a change of case is a change.
  const changed: SqlFragment[] = [frag('null')];
  if (c.displayName !== undefined) changed.push(frag(`case when g0.display_name::text is distinct from ?::text then 'displayName' end`, [c.displayName]));
  if (c.externalId !== undefined) changed.push(frag(`case when g0.external_id is distinct from ?::text then 'externalId' end`, [c.externalId]));
  const memberTests = [...(named ? ['exists (select 1 from ins_rows)'] : []), ...(hasDel ? ['exists (select 1 from del_rows)'] : [])];
  if (memberTests.length) changed.push(frag(`case when ${memberTests.join(' or ')} then 'members' end`));
  ctes.push(
    joinFrags(
      [frag('chg as (select g0.version, array_remove(array['), joinFrags(changed, ', '), frag(`]::text[], null) as changed from g0${named ? ' where not exists (select 1 from bad)' : ''})`)],
      '',
    ),
  );

  const a = insertParts(em, AuditEvent, { ...audit, changed: undefined });
  const sets: SqlFragment[] = [];
  if (c.displayName !== undefined) sets.push(frag('display_name = ?', [c.displayName]));
  if (c.externalId !== undefined) sets.push(frag('external_id = ?', [c.externalId]));
  sets.push(frag('version = g.version + 1'), frag('updated_at = now()'));
  ctes.push(
    joinFrags(
      [
        frag('upd as (update groups g set '),
        joinFrags(sets, ', '),
        frag(` from chg where g.id = ? and g.version = chg.version and cardinality(chg.changed) > 0 returning ${cols.select('g')}, chg.changed)`, [c.id]),
      ],
      '',
    ),
  );
  if (hasDel) ctes.push(frag('del as (delete from memberships m using upd where m.group_id = upd.id and m.member_id in (select member_id from del_rows))'));
  if (named) ctes.push(frag('ins as (insert into memberships (group_id, member_id, member_type) select upd.id, r.id, r.type from upd cross join ins_rows r on conflict do nothing)'));
  ctes.push(frag(`aud as (insert into ${a.table} (${a.columns.join(', ')}, changed) select ${a.placeholders.join(', ')}, upd.changed from upd)`, a.bindings));

  // A whole list is what the group holds once written (or already held, for a no-op): the answer's
  // member page, named in this statement, not read again after the commit.
  if (c.members) {
    ctes.push(
      frag(
        // A group's name is looked up for group members only (coalesce stops at a user's name).
        `page as (select coalesce(json_agg(json_build_array(t.id, t.type, coalesce(t.user_display, (select x.display_name::text from groups x where x.id = t.id))) order by t.id), '[]')::text as members ` +
          'from typed t)',
      ),
    );
  }
  const page = c.members ? ', (select members from page) as member_page' : '';
  return joinFrags(
    [
      frag('with '),
      joinFrags(ctes, ', '),
      frag(` select 'written' as outcome, false as bad, true as changes, ${cols.select('upd')}${page} from upd`),
      frag(
        ` union all select 'snapshot', ${named ? 'exists (select 1 from bad)' : 'false'}, coalesce(cardinality(chg.changed) > 0, false), ${cols.select('g0')}${page} ` +
          'from g0 left join chg on true',
      ),
    ],
    '',
  );
}
