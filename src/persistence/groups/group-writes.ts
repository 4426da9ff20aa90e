import type { SqlEntityManager } from '@mikro-orm/sql';
import type { MemberType } from '../../domain/groups/group-record.js';
import { isUuid } from '../../domain/ids.js';
import { Group } from '../entities/group.entity.js';
import { frag } from '../sql/fragment.js';
import { runSql } from '../sql/run.js';
import type { AuditWrite } from '../audit/audit-log.js';
import { changeWithAudit, type ChangeOutcome, type GroupChange } from './group-change.js';

/** The columns a group update may set, by attribute: nothing else reaches the SQL text. */
const UPDATABLE = { displayName: 'display_name', externalId: 'external_id', source: 'source' } as const;

/** A group row as a writer sees it. */
export interface LockedGroup {
  id: string;
  displayName: string;
  externalId: string | null;
  source: string;
  version: number;
}

/**
 * Group and membership writes inside one transaction. Membership changes are deltas in SQL: no
 * request ever loads a group's member list to change it.
 */
export class GroupWrites {
  constructor(private readonly em: SqlEntityManager) {}

  /**
   * An owner's change of a group with its version bump and audit event in ONE statement, only if
   * nobody wrote the group since the statement's snapshot (see group-change.ts).
   */
  changeWithAudit(change: GroupChange, audit: Omit<AuditWrite, 'changed'> & { id: string; at: Date }): Promise<ChangeOutcome> {
    return changeWithAudit(this.em, change, audit);
  }

  /** Inserts a group now (so that members can reference it in the same transaction). */
  async insert(data: { id: string; displayName: string; externalId: string | null; source: string }): Promise<void> {
    this.em.create(Group, data);
    await this.em.flush();
  }

  /** The group row, locked for the transaction, so concurrent membership changes queue up rather than race. */
  async lock(id: string): Promise<LockedGroup | null> {
    if (!isUuid(id)) return null;
    const row = (await runSql(this.em, frag('select id, display_name, external_id, source, version from groups where id = ? for update', [id])))[0];
    if (!row) return null;
    return { id, displayName: String(row.display_name), externalId: (row.external_id as string | null) ?? null, source: String(row.source), version: Number(row.version) };
  }

  /** Sets the given attributes and bumps version and lastModified. */
  async update(id: string, changes: Partial<Record<keyof typeof UPDATABLE, string | null>>): Promise<void> {
    const entries = (Object.keys(UPDATABLE) as (keyof typeof UPDATABLE)[]).filter((k) => changes[k] !== undefined);
    const sets = [...entries.map((k) => `${UPDATABLE[k]} = ?`), 'version = version + 1', 'updated_at = now()'];
    await runSql(this.em, frag(`update groups set ${sets.join(', ')} where id = ?`, [...entries.map((k) => changes[k]), id]));
  }

  /** Deletes the group and every membership it is part of, bumping the groups it belonged to. */
  async delete(id: string): Promise<void> {
    const parents = await runSql<{ group_id: string }>(this.em, frag('delete from memberships where member_id = ? returning group_id', [id]));
    await runSql(this.em, frag('delete from memberships where group_id = ?', [id]));
    if (parents.length) {
      await runSql(
        this.em,
        frag('update groups set version = version + 1, updated_at = now() where id = any(array(select jsonb_array_elements_text(?::jsonb))::uuid[])', [parents.map((p) => p.group_id)]),
      );
    }
    await runSql(this.em, frag('delete from groups where id = ?', [id]));
  }

  /** The type of each id (User, Group) or null where nothing has that id. */
  async typesOf(ids: readonly string[]): Promise<{ id: string; type: MemberType | null }[]> {
    const rows = await runSql<{ id: string; t: MemberType | null }>(
      this.em,
      frag(
        `select y.id::text as id, case when exists (select 1 from users u where u.id = y.id) then 'User' when exists (select 1 from groups g where g.id = y.id) then 'Group' end as t ` +
          `from (select x.v::uuid as id from jsonb_array_elements_text(?::jsonb) as x(v)) as y`,
        [ids],
      ),
    );
    return rows.map((r) => ({ id: r.id, type: r.t }));
  }

  /** Adds members (existing ones are skipped); returns how many were added. */
  async insertMembers(groupId: string, members: readonly { id: string; type: MemberType }[]): Promise<number> {
    if (!members.length) return 0;
    const rows = await runSql(
      this.em,
      frag('insert into memberships (group_id, member_id, member_type) select ?, x.id, x.t from jsonb_to_recordset(?::jsonb) as x(id uuid, t text) on conflict do nothing returning member_id', [
        groupId,
        members.map((m) => ({ id: m.id, t: m.type })),
      ]),
    );
    return rows.length;
  }

  /** Removes the named members; returns how many were removed. */
  async deleteMembers(groupId: string, ids: readonly string[]): Promise<number> {
    if (!ids.length) return 0;
    const rows = await runSql(
      this.em,
      frag('delete from memberships where group_id = ? and member_id = any(array(select jsonb_array_elements_text(?::jsonb))::uuid[]) returning member_id', [groupId, ids]),
    );
    return rows.length;
  }

  /** Removes every member not in `keep`; returns how many were removed. */
  async deleteMembersExcept(groupId: string, keep: readonly string[]): Promise<number> {
    // NOT IN over a subquery runs as one hashed lookup. `<> all(array(…)::uuid[])` re-cast the whole
    // list for every stored row: quadratic, two seconds for a 2,000-member PUT.
    const rows = await runSql(
      this.em,
      frag('delete from memberships where group_id = ? and member_id not in (select x.v::uuid from jsonb_array_elements_text(?::jsonb) as x(v)) returning member_id', [groupId, keep]),
    );
    return rows.length;
  }
}
