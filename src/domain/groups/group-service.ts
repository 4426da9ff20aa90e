import type { EntityManager } from '@mikro-orm/postgresql';
import type { Principal } from '../../auth/principal';
import { recordAudit } from '../audit/audit-writer';
import { InvalidValue, ManagedByIdp, NotFound, TooMany, VersionMismatch } from '../errors/domain-errors';
import { isUuid, newId } from '../ids';
import { inTransaction } from '../transaction';
import { checkString } from '../users/user-input';
import type { WriteOptions } from '../users/user-service';
import { Group } from './group.entity';
import { GroupQueries } from './group-queries';
import type { GroupRecord } from './group-record';
import type { MemberType } from './membership.entity';

/** A member named by id; the type is looked up, and checked when given. */
export interface MemberRef {
  id: string;
  type?: MemberType | null;
}

/** Writable attributes of a group. `members` undefined leaves membership as it is. */
export interface GroupInput {
  displayName?: string;
  externalId?: string | null;
  /** the whole member list: only the difference is written */
  members?: MemberRef[];
  /** member deltas, applied after `members` */
  add?: MemberRef[];
  remove?: string[];
}

/** Most members one request may name (a full PUT from Okta carries the whole list). */
export const MAX_MEMBERS_PER_REQUEST = 200_000;

/** The attributes a create names; keys present with an undefined value were not given. */
const given = (input: GroupInput): string[] => Object.entries(input).filter(([, v]) => v !== undefined).map(([k]) => k);

const uniqueMessage = (name: string | undefined) => () => `displayName ${JSON.stringify(name)} is already taken.`;

function checkDisplayName(v: unknown): string {
  if (typeof v !== 'string' || v.trim() === '') throw new InvalidValue('displayName is required and must be a non-empty string.');
  if (v.length > 256) throw new InvalidValue('displayName is longer than 256 characters.');
  return checkString('displayName', v)!;
}

/**
 * Owns group writes. Membership changes are deltas written in SQL: no request ever loads a
 * group's member list to change it.
 */
export class GroupService {
  constructor(private readonly em: EntityManager) {}

  /** Creates a group, with its first members if given. */
  async create(actor: Principal, input: GroupInput, opts: WriteOptions = {}): Promise<GroupRecord> {
    const displayName = checkDisplayName(input.displayName);
    const id = newId();
    await inTransaction(
      this.em,
      async (tx) => {
        tx.create(Group, { id, displayName, externalId: checkString('externalId', input.externalId) ?? null, source: actor.idp ?? 'local' });
        await tx.flush();
        if (input.members?.length) await this.insertMembers(tx, id, await this.resolveMembers(tx, id, input.members));
        await recordAudit(tx, actor, { action: 'group.create', resourceType: 'Group', resourceId: id, changed: given(input) }, opts.requestId);
      },
      uniqueMessage(displayName),
    );
    return (await new GroupQueries(this.em).byId(id))!;
  }

  /** Replaces displayName and externalId, and membership when `members` is given (as a diff). */
  replace(actor: Principal, id: string, input: GroupInput, opts: WriteOptions = {}): Promise<GroupRecord> {
    checkDisplayName(input.displayName);
    return this.write(actor, id, { externalId: null, ...input, add: undefined, remove: undefined }, opts);
  }

  /** Changes only what is given. */
  update(actor: Principal, id: string, input: GroupInput, opts: WriteOptions = {}): Promise<GroupRecord> {
    if (input.displayName !== undefined) checkDisplayName(input.displayName);
    return this.write(actor, id, input, opts);
  }

  /** Deletes a group and every membership it is part of. The name is free again at once. */
  async delete(actor: Principal, id: string, opts: WriteOptions = {}): Promise<void> {
    await inTransaction(this.em, async (tx) => {
      await this.lock(tx, id, opts, actor);
      const knex = tx.getKnex();
      const parents = await tx.execute<{ group_id: string }[]>(knex.raw('delete from memberships where member_id = ? returning group_id', [id]));
      await tx.execute(knex.raw('delete from memberships where group_id = ?', [id]));
      if (parents.length) {
        await tx.execute(knex.raw('update groups set version = version + 1, updated_at = now() where id = any(array(select jsonb_array_elements_text(?::jsonb))::uuid[])', [JSON.stringify(parents.map((p) => p.group_id))]));
      }
      await tx.execute(knex.raw('delete from groups where id = ?', [id]));
      await recordAudit(tx, actor, { action: 'group.delete', resourceType: 'Group', resourceId: id }, opts.requestId);
    });
  }

  private async write(actor: Principal, id: string, input: GroupInput, opts: WriteOptions): Promise<GroupRecord> {
    await inTransaction(
      this.em,
      async (tx) => {
        const group = await this.lock(tx, id, opts, actor);
        const changed: string[] = [];
        const knex = tx.getKnex();
        const sets: string[] = [];
        const values: unknown[] = [];
        if (input.displayName !== undefined && input.displayName !== group.displayName) {
          sets.push('display_name = ?');
          values.push(input.displayName);
          changed.push('displayName');
        }
        const ext = checkString('externalId', input.externalId);
        if (ext !== undefined && ext !== group.externalId) {
          sets.push('external_id = ?');
          values.push(ext);
          changed.push('externalId');
        }
        if (actor.idp && group.source !== actor.idp) {
          sets.push('source = ?');
          values.push(actor.idp);
          changed.push('source');
        }
        let membersChanged = 0;
        if (input.members !== undefined) membersChanged += await this.replaceMembers(tx, id, input.members);
        if (input.remove?.length) membersChanged += await this.deleteMembers(tx, id, input.remove);
        if (input.add?.length) membersChanged += await this.insertMembers(tx, id, await this.resolveMembers(tx, id, input.add));
        if (membersChanged) changed.push('members');
        // A write that changes nothing (Okta re-sends whole groups) leaves version and audit alone.
        if (!changed.length) return;
        await tx.execute(knex.raw(`update groups set ${[...sets, 'version = version + 1', 'updated_at = now()'].join(', ')} where id = ?`, [...values, id] as never[]));
        await recordAudit(tx, actor, { action: 'group.update', resourceType: 'Group', resourceId: id, changed }, opts.requestId);
      },
      uniqueMessage(input.displayName),
    );
    return (await new GroupQueries(this.em).byId(id))!;
  }

  /** Locks the group row for the transaction, so concurrent membership changes queue up rather than race. */
  private async lock(tx: EntityManager, id: string, opts: WriteOptions, actor: Principal): Promise<GroupRecord> {
    const rows = isUuid(id)
      ? await tx.execute<Record<string, unknown>[]>(tx.getKnex().raw('select id, display_name, external_id, source, version from groups where id = ? for update', [id]))
      : [];
    const row = rows[0];
    if (!row) throw new NotFound('Group', id);
    const group = { id, displayName: String(row.display_name), externalId: (row.external_id as string | null) ?? null, source: String(row.source), version: Number(row.version) };
    if (opts.expectedVersion != null && opts.expectedVersion !== group.version) throw new VersionMismatch(group.version);
    if (!actor.idp && group.source !== 'local' && !opts.force) throw new ManagedByIdp('group', group.source);
    return group as GroupRecord;
  }

  /** Checks that every member exists (a dangling member is an error, not a silent skip) and finds its type. */
  private async resolveMembers(tx: EntityManager, groupId: string, refs: MemberRef[]): Promise<{ id: string; type: MemberType }[]> {
    if (refs.length > MAX_MEMBERS_PER_REQUEST) throw new TooMany(`At most ${MAX_MEMBERS_PER_REQUEST} members can be named in one request.`);
    const ids = [...new Set(refs.map((r) => (typeof r.id === 'string' ? r.id.toLowerCase() : r.id)))];
    const bad = ids.find((m) => typeof m !== 'string' || !isUuid(m));
    if (bad !== undefined) throw new InvalidValue(`Member ${JSON.stringify(bad)} does not exist.`);
    if (ids.includes(groupId)) throw new InvalidValue('A group cannot be a member of itself.');
    if (!ids.length) return [];
    const rows = await tx.execute<{ id: string; t: MemberType }[]>(
      tx.getKnex().raw(
        `select y.id::text as id, case when exists (select 1 from users u where u.id = y.id) then 'User' when exists (select 1 from groups g where g.id = y.id) then 'Group' end as t from (select x.v::uuid as id from jsonb_array_elements_text(?::jsonb) as x(v)) as y`,
        [JSON.stringify(ids)],
      ),
    );
    const missing = rows.find((r) => !r.t);
    if (missing) throw new InvalidValue(`Member ${JSON.stringify(missing.id)} does not exist.`);
    const declared = new Map(refs.map((r) => [r.id.toLowerCase(), r.type]));
    for (const r of rows) {
      const want = declared.get(r.id);
      if (want && want.toLowerCase() !== r.t.toLowerCase()) throw new InvalidValue(`Member ${JSON.stringify(r.id)} is a ${r.t}, not a ${want}.`);
    }
    return rows.map((r) => ({ id: r.id, type: r.t }));
  }

  private async insertMembers(tx: EntityManager, groupId: string, members: { id: string; type: MemberType }[]): Promise<number> {
    if (!members.length) return 0;
    const rows = await tx.execute<unknown[]>(
      tx.getKnex().raw(
        'insert into memberships (group_id, member_id, member_type) select ?, x.id, x.t from jsonb_to_recordset(?::jsonb) as x(id uuid, t text) on conflict do nothing returning member_id',
        [groupId, JSON.stringify(members.map((m) => ({ id: m.id, t: m.type })))],
      ),
    );
    return rows.length;
  }

  private async deleteMembers(tx: EntityManager, groupId: string, ids: string[]): Promise<number> {
    const valid = ids.filter((i) => typeof i === 'string' && isUuid(i));
    if (!valid.length) return 0;
    const rows = await tx.execute<unknown[]>(
      tx.getKnex().raw('delete from memberships where group_id = ? and member_id = any(array(select jsonb_array_elements_text(?::jsonb))::uuid[]) returning member_id', [groupId, JSON.stringify(valid)]),
    );
    return rows.length;
  }

  /** Makes membership equal to `refs`, writing only the difference (Okta's full-list PUT /Groups). */
  private async replaceMembers(tx: EntityManager, groupId: string, refs: MemberRef[]): Promise<number> {
    const members = await this.resolveMembers(tx, groupId, refs);
    // NOT IN over a subquery runs as one hashed lookup. `<> all(array(…)::uuid[])` re-cast the whole
    // list for every stored row: quadratic, two seconds for a 2,000-member PUT.
    const removed = await tx.execute<unknown[]>(
      tx.getKnex().raw('delete from memberships where group_id = ? and member_id not in (select x.v::uuid from jsonb_array_elements_text(?::jsonb) as x(v)) returning member_id', [groupId, JSON.stringify(members.map((m) => m.id))]),
    );
    return removed.length + (await this.insertMembers(tx, groupId, members));
  }
}
