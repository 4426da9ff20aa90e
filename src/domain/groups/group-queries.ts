import type { EntityManager } from '@mikro-orm/postgresql';
import { readRows } from '../../persistence/read-rows';
import { isUuid } from '../ids';
import { listRows, ListParams, Page } from '../list-query';
import { GROUP_COLUMNS, groupFromRow, GroupRecord, MemberRecord } from './group-record';
import type { MemberType } from './membership.entity';

/** Read-only access to groups and memberships. */
export class GroupQueries {
  constructor(private readonly em: EntityManager) {}

  /** Groups by id; absent ids are skipped. */
  async byIds(ids: readonly string[]): Promise<GroupRecord[]> {
    const valid = ids.filter(isUuid);
    if (!valid.length) return [];
    const rows = await readRows<Record<string, unknown>>(this.em, 
      this.em.getKnex().raw(`select ${GROUP_COLUMNS} from groups r where r.id = any(array(select jsonb_array_elements_text(?::jsonb))::uuid[])`, [JSON.stringify(valid)]),
    );
    return rows.map(groupFromRow);
  }

  /** One group, or null. */
  async byId(id: string): Promise<GroupRecord | null> {
    return (await this.byIds([id]))[0] ?? null;
  }

  /** A filtered, ordered page. */
  list(p: ListParams): Promise<Page<GroupRecord>> {
    return listRows(this.em, 'Group', GROUP_COLUMNS, groupFromRow, p);
  }

  /** A page of one group's members, in member id order (stable, served by the primary key). */
  async members(groupId: string, offset: number, limit: number): Promise<MemberRecord[]> {
    if (!isUuid(groupId) || limit <= 0) return [];
    const rows = await readRows<Record<string, unknown>>(this.em, 
      this.em
        .getKnex()
        .raw('select group_id, member_id, member_type from memberships where group_id = ? order by member_id limit ? offset ?', [groupId, limit, offset]),
    );
    return rows.map((r) => ({ groupId: String(r.group_id), memberId: String(r.member_id), memberType: r.member_type as MemberType }));
  }

  /** How many members each group has. */
  async memberCounts(groupIds: readonly string[]): Promise<Map<string, number>> {
    const valid = groupIds.filter(isUuid);
    const out = new Map<string, number>(valid.map((id) => [id, 0]));
    if (!valid.length) return out;
    const rows = await readRows<{ group_id: string; n: number }>(this.em, 
      this.em.getKnex().raw('select group_id, count(*)::int as n from memberships where group_id = any(array(select jsonb_array_elements_text(?::jsonb))::uuid[]) group by group_id', [JSON.stringify(valid)]),
    );
    for (const r of rows) out.set(String(r.group_id), Number(r.n));
    return out;
  }

  /** The groups each member directly belongs to. */
  async groupsOfMembers(memberIds: readonly string[]): Promise<Map<string, GroupRecord[]>> {
    const valid = memberIds.filter(isUuid);
    const out = new Map<string, GroupRecord[]>(valid.map((id) => [id, []]));
    if (!valid.length) return out;
    const rows = await readRows<Record<string, unknown>>(this.em, 
      this.em
        .getKnex()
        .raw(`select m.member_id, ${GROUP_COLUMNS} from memberships m join groups r on r.id = m.group_id where m.member_id = any(array(select jsonb_array_elements_text(?::jsonb))::uuid[]) order by r.display_name`, [JSON.stringify(valid)]),
    );
    for (const r of rows) out.get(String(r.member_id))?.push(groupFromRow(r));
    return out;
  }

  /** Which of `memberIds` are members of the group (membership probes never read the whole list). */
  async whichAreMembers(groupId: string, memberIds: readonly string[]): Promise<Set<string>> {
    const valid = memberIds.filter(isUuid);
    if (!isUuid(groupId) || !valid.length) return new Set();
    const rows = await readRows<{ member_id: string }>(this.em, 
      this.em.getKnex().raw('select member_id from memberships where group_id = ? and member_id = any(array(select jsonb_array_elements_text(?::jsonb))::uuid[])', [groupId, JSON.stringify(valid)]),
    );
    return new Set(rows.map((r) => String(r.member_id)));
  }
}
