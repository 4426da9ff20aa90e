import type { SqlEntityManager } from '@mikro-orm/sql';
import type { GroupRecord, MemberRecord, MemberType } from '../../domain/groups/group-record.js';
import { isUuid } from '../../domain/ids.js';
import type { ListParams, Page } from '../../domain/list.js';
import { keyLookup } from '../filter/key-lookup.js';
import { listRows } from '../list-query.js';
import { canBatch, keyedRead, lookupPage, readBatched } from '../read-batches.js';
import { frag } from '../sql/fragment.js';
import { runSql } from '../sql/run.js';
import { groupColumns, groupFromRow } from '../users/user-rows.js';

/** `= any(…)` over a JSON array of ids: one parameter, whatever the number of ids. */
const ANY_IDS = 'any(array(select jsonb_array_elements_text(?::jsonb))::uuid[])';

/** One group read's columns, for many keys in one statement (read-batches.ts). */
const columns = (em: SqlEntityManager) => groupColumns(em).select('r');
const BY_ID = keyedRead('groups.byId', 'groups', columns, 'r.id = k.v::uuid');
// citext: the same comparison as the filter `displayName eq` compiles to, on the unique index
const BY_DISPLAY_NAME = keyedRead('groups.byDisplayName', 'groups', columns, 'r.display_name = k.v::citext');

/** Reads of groups and memberships. */
export class GroupReads {
  constructor(private readonly em: SqlEntityManager) {}

  /** Groups by id; absent ids are skipped. */
  async byIds(ids: readonly string[]): Promise<GroupRecord[]> {
    const valid = ids.filter(isUuid);
    if (!valid.length) return [];
    if (valid.length === 1 && canBatch(this.em, valid[0])) return (await readBatched(this.em, BY_ID, valid[0])).map((r) => groupFromRow(this.em, r));
    const rows = await runSql(this.em, frag(`select ${groupColumns(this.em).select('r')} from groups r where r.id = ${ANY_IDS}`, [valid]), { prepare: true });
    return rows.map((r) => groupFromRow(this.em, r));
  }

  /** One group, or null. */
  async byId(id: string): Promise<GroupRecord | null> {
    return (await this.byIds([id]))[0] ?? null;
  }

  /** A filtered, ordered page. */
  async list(p: ListParams): Promise<Page<GroupRecord>> {
    const displayName = keyLookup('Group', 'display_name', p);
    if (displayName !== undefined && canBatch(this.em, displayName)) {
      return lookupPage((await readBatched(this.em, BY_DISPLAY_NAME, displayName)).map((r) => groupFromRow(this.em, r)));
    }
    return listRows(this.em, 'Group', groupColumns(this.em).select('r'), (r) => groupFromRow(this.em, r), p);
  }

  /**
   * A page of one group's members, in member id order (stable, served by the primary key), with
   * each member's display name in the same statement: a response listing 10,000 members would
   * otherwise read 10,000 whole user rows to show their names. The page is cut before the joins,
   * so that skipped rows are never joined. It comes back as ONE JSON array, not a row per member:
   * decoding 10,000 rows of the wire protocol (PGlite's JavaScript, or pg's row parser) cost more
   * than building them.
   */
  async members(groupId: string, offset: number, limit: number): Promise<MemberRecord[]> {
    if (!isUuid(groupId) || limit <= 0) return [];
    const rows = await runSql<{ members: string }>(
      this.em,
      frag(
        `select coalesce(json_agg(json_build_array(m.member_id, m.member_type, coalesce(u.display_name, u.user_name::text, g.display_name::text)) order by m.member_id), '[]')::text as members ` +
          'from (select member_id, member_type from memberships where group_id = ? order by member_id limit ? offset ?) m ' +
          `left join users u on m.member_type = 'User' and u.id = m.member_id left join groups g on m.member_type = 'Group' and g.id = m.member_id`,
        [groupId, limit, offset],
      ),
      { prepare: true },
    );
    const members = JSON.parse(rows[0]?.members ?? '[]') as [string, MemberType, string | null][];
    return members.map(([memberId, memberType, display]) => ({ groupId, memberId, memberType, display }));
  }

  /** How many members each group has. */
  async memberCounts(groupIds: readonly string[]): Promise<Map<string, number>> {
    const valid = groupIds.filter(isUuid);
    const out = new Map<string, number>(valid.map((id) => [id, 0]));
    if (!valid.length) return out;
    const rows = await runSql(this.em, frag(`select group_id, count(*)::int as n from memberships where group_id = ${ANY_IDS} group by group_id`, [valid]), { prepare: true });
    for (const r of rows) out.set(String(r.group_id), Number(r.n));
    return out;
  }

  /** The groups each member directly belongs to. */
  async groupsOfMembers(memberIds: readonly string[]): Promise<Map<string, GroupRecord[]>> {
    const valid = memberIds.filter(isUuid);
    const out = new Map<string, GroupRecord[]>(valid.map((id) => [id, []]));
    if (!valid.length) return out;
    const rows = await runSql(
      this.em,
      frag(`select m.member_id, ${groupColumns(this.em).select('r')} from memberships m join groups r on r.id = m.group_id where m.member_id = ${ANY_IDS} order by r.display_name`, [valid]),
      { prepare: true },
    );
    for (const r of rows) out.get(String(r.member_id))?.push(groupFromRow(this.em, r));
    return out;
  }

  /** Which of `memberIds` are members of the group (membership probes never read the whole list). */
  async whichAreMembers(groupId: string, memberIds: readonly string[]): Promise<Set<string>> {
    const valid = memberIds.filter(isUuid);
    if (!isUuid(groupId) || !valid.length) return new Set();
    const rows = await runSql(this.em, frag(`select member_id from memberships where group_id = ? and member_id = ${ANY_IDS}`, [groupId, valid]), { prepare: true });
    return new Set(rows.map((r) => String(r.member_id)));
  }
}
