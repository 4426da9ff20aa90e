import type { Principal } from '../../auth/principal.js';
import type { GroupChange, NamedMember } from '../../persistence/groups/group-change.js';
import type { LockedGroup } from '../../persistence/groups/group-writes.js';
import type { Store, Tx } from '../../persistence/store.js';
import { auditWriteOf, recordAudit } from '../audit/audit-writer.js';
import { InvalidValue, NotFound, TooMany, VersionMismatch } from '../errors/domain-errors.js';
import { isUuid, newEventStamp, newId } from '../ids.js';
import { actionOf, auditRefusal, checkOwnership, type Verdict } from '../ownership/ownership.js';
import { checkString } from '../users/user-input.js';
import type { WriteOptions } from '../users/user-service.js';
import type { GroupRecord, MemberType } from './group-record.js';

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
const given = (input: GroupInput): string[] =>
  Object.entries(input)
    .filter(([, v]) => v !== undefined)
    .map(([k]) => k);

/**
 * Tries of the single statement before the write takes the long locking path. The first runs
 * alone; the others queue on the group's row lock first (a busy group: many writers at once).
 */
const OPTIMISTIC_ATTEMPTS = 3;

/** How owners' group writes went in this process, for /metrics. */
export const groupWriteStats = {
  /** writes whose statement found the group written since its snapshot and ran again behind its row lock */
  queued: 0,
  /** writes that took the locking path (another owner, adoption, refusals, and what the statement cannot do) */
  lockingPath: 0,
};

/**
 * A group as the transaction writing it left it, read before its commit, with the members when the
 * write named the whole list (`members`: how many it named; undefined: not named, the answer reads them).
 */
async function writtenGroup(tx: Tx, id: string, members?: number): Promise<GroupRecord> {
  const group = (await tx.read.groups.byId(id))!;
  if (members !== undefined) group.members = members > 0 ? await tx.read.groups.members(id, 0, members) : [];
  return group;
}

const uniqueMessage = (name: string | undefined) => () => `displayName ${JSON.stringify(name)} is already taken.`;

/**
 * Members for the single-statement write: one entry per id (lower case), the last declared type of
 * an id being the one checked, as the locking path checks it. Null when the locking path must
 * report an error (not a UUID, the group itself, too many).
 */
function namedMembers(groupId: string, refs: MemberRef[] | undefined): NamedMember[] | null | undefined {
  if (refs === undefined) return undefined;
  if (refs.length > MAX_MEMBERS_PER_REQUEST) return null;
  const byId = new Map<string, MemberType | null>();
  for (const r of refs) {
    if (typeof r.id !== 'string' || !isUuid(r.id)) return null;
    byId.set(r.id.toLowerCase(), r.type ?? null);
  }
  if (byId.has(groupId.toLowerCase())) return null;
  return [...byId].map(([id, type]) => ({ id, type }));
}

/** The string when the value checks pass, else null (the locking path then reports why). */
function checkedString(v: string): string | null {
  try {
    return checkString('externalId', v) ?? null;
  } catch {
    return null;
  }
}

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
  constructor(private readonly store: Store) {}

  /** Creates a group, with its first members if given. */
  async create(actor: Principal, input: GroupInput, opts: WriteOptions = {}): Promise<GroupRecord> {
    const displayName = checkDisplayName(input.displayName);
    const id = newId();
    return this.store.transaction(async (tx) => {
      await tx.groups.insert({ id, displayName, externalId: checkString('externalId', input.externalId) ?? null, source: actor.idp ?? 'local' });
      if (input.members?.length) await tx.groups.insertMembers(id, await this.resolveMembers(tx, id, input.members));
      await recordAudit(tx, actor, { action: 'group.create', resourceType: 'Group', resourceId: id, changed: given(input), ignored: opts.ignored }, opts.requestId);
      // Read before the commit: after it, an IdP's next write to the new group could already show under version 1.
      return writtenGroup(tx, id, input.members?.length ?? 0);
    }, uniqueMessage(displayName));
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

  /**
   * Deletes a group and every membership it is part of. The name is free again at once: the IdP
   * can push a group of the same name afterwards. An IdP-managed group needs `force` from an API key.
   */
  async delete(actor: Principal, id: string, opts: WriteOptions = {}): Promise<void> {
    await auditRefusal(this.store, actor, opts.requestId, () =>
      this.store.transaction(async (tx) => {
        const { verdict } = await this.lock(tx, id, opts, actor, 'delete');
        await tx.groups.delete(id);
        await recordAudit(tx, actor, { action: actionOf('group.delete', verdict), resourceType: 'Group', resourceId: id }, opts.requestId);
      }),
    );
  }

  private async write(actor: Principal, given: string, input: GroupInput, opts: WriteOptions): Promise<GroupRecord> {
    // One spelling of the id in audit events, however the caller wrote it.
    const id = isUuid(given) ? given.toLowerCase() : given;
    const change = this.ownersChange(actor, id, input, opts);
    if (change) {
      for (let attempt = 0; attempt < OPTIMISTIC_ATTEMPTS; attempt++) {
        const audit = auditWriteOf(actor, { action: 'group.update', resourceType: 'Group', resourceId: id, ignored: opts.ignored }, opts.requestId);
        const event = { ...audit, ...newEventStamp() };
        // A statement that raced another writer runs again behind the group's row lock: its new
        // snapshot then sees every write before it, and no other can come between. Retried alone,
        // it raced again whenever a third writer was already queued: most writes to a busy group
        // (a whole-list PUT, a new name) ended on the locking path.
        if (attempt > 0) groupWriteStats.queued++;
        const r =
          attempt === 0
            ? await this.store.singleStatement((w) => w.groups.changeWithAudit(change, event), uniqueMessage(input.displayName))
            : await this.store.transaction(async (tx) => {
                await tx.groups.lock(id);
                return tx.groups.changeWithAudit(change, event);
              }, uniqueMessage(input.displayName));
        // Answered from the statement's own rows: nothing is read back.
        if (r.outcome === 'written' || r.outcome === 'unchanged') return r.group;
        if (r.outcome === 'refused') break;
      }
    }
    groupWriteStats.lockingPath++;
    return auditRefusal(this.store, actor, opts.requestId, () =>
      this.store.transaction(async (tx) => {
        const { group, verdict } = await this.lock(tx, id, opts, actor, 'update');
        const changed: string[] = [];
        const sets: { displayName?: string; externalId?: string | null; source?: string } = {};
        if (input.displayName !== undefined && input.displayName !== group.displayName) {
          sets.displayName = input.displayName;
          changed.push('displayName');
        }
        const ext = checkString('externalId', input.externalId);
        if (ext !== undefined && ext !== group.externalId) {
          sets.externalId = ext;
          changed.push('externalId');
        }
        // Adoption (DESIGN §5) is a change of its own, even when nothing else changes.
        if (verdict === 'adopt') sets.source = actor.idp!;
        let membersChanged = 0;
        if (input.members !== undefined) membersChanged += await this.replaceMembers(tx, id, input.members);
        if (input.remove?.length)
          membersChanged += await tx.groups.deleteMembers(
            id,
            input.remove.filter((i) => typeof i === 'string' && isUuid(i)),
          );
        if (input.add?.length) membersChanged += await tx.groups.insertMembers(id, await this.resolveMembers(tx, id, input.add));
        if (membersChanged) changed.push('members');
        // A write that changes nothing (Okta re-sends whole groups) leaves version and audit alone.
        if (changed.length || verdict === 'adopt') {
          await tx.groups.update(id, sets);
          if (verdict === 'adopt') await recordAudit(tx, actor, { action: 'group.adopt', resourceType: 'Group', resourceId: id, changed: ['source'] }, opts.requestId);
          if (changed.length) await recordAudit(tx, actor, { action: actionOf('group.update', verdict), resourceType: 'Group', resourceId: id, changed, ignored: opts.ignored }, opts.requestId);
        }
        // Read under its lock: a read after the commit could already show a later writer's
        // version (two answers with one ETag).
        return writtenGroup(tx, id, input.members?.length);
      }, uniqueMessage(input.displayName)),
    );
  }

  /**
   * The usual write of a push, where the caller owns the group (an IdP its own group, an API key a
   * local one), as ONE statement: the membership difference, the attributes, the version bump and
   * the audit event (persistence/groups/group-change.ts). Null for what only the locking path
   * handles, or reports in its order (404 before 403 before 409 before a bad member): an id that is
   * not a UUID, a group named as its own member, too many members, a whole list with deltas, an id
   * both added and removed, a value the checks refuse. The statement itself refuses another
   * owner's group (refusal, adoption, force), a missing one, another version, unknown members.
   */
  private ownersChange(actor: Principal, id: string, input: GroupInput, opts: WriteOptions): GroupChange | null {
    if (!isUuid(id)) return null;
    const members = namedMembers(id, input.members);
    const add = input.add?.length ? namedMembers(id, input.add) : undefined;
    if (members === null || add === null) return null;
    const remove = input.remove?.filter((i) => typeof i === 'string' && isUuid(i)).map((i) => i.toLowerCase());
    if (members && (add || input.remove?.length)) return null;
    if (add && remove?.length && add.some((m) => remove.includes(m.id))) return null;
    const externalId = input.externalId;
    if (externalId != null && (typeof externalId !== 'string' || checkedString(externalId) === null)) return null;
    return { id, owner: actor.idp ?? 'local', expectedVersion: opts.expectedVersion ?? null, displayName: input.displayName, externalId, members, add, remove: remove?.length ? remove : undefined };
  }

  /**
   * Locks the group row for the transaction, so concurrent membership changes queue up rather than
   * race, and enforces IdP ownership (DESIGN §5) and the expected version.
   */
  private async lock(tx: Tx, id: string, opts: WriteOptions, actor: Principal, operation: 'update' | 'delete'): Promise<{ group: LockedGroup; verdict: Verdict }> {
    const group = await tx.groups.lock(id);
    if (!group) throw new NotFound('Group', id);
    const verdict = await checkOwnership(tx, actor, { resource: 'group', id: group.id, source: group.source }, operation, opts.force);
    if (opts.expectedVersion != null && opts.expectedVersion !== group.version) throw new VersionMismatch(group.version);
    return { group, verdict };
  }

  /** Checks that every member exists (a dangling member is an error, not a silent skip) and finds its type. */
  private async resolveMembers(tx: Tx, groupId: string, refs: MemberRef[]): Promise<{ id: string; type: MemberType }[]> {
    if (refs.length > MAX_MEMBERS_PER_REQUEST) throw new TooMany(`At most ${MAX_MEMBERS_PER_REQUEST} members can be named in one request.`);
    const ids = [...new Set(refs.map((r) => (typeof r.id === 'string' ? r.id.toLowerCase() : r.id)))];
    const bad = ids.find((m) => typeof m !== 'string' || !isUuid(m));
    if (bad !== undefined) throw new InvalidValue(`Member ${JSON.stringify(bad)} does not exist.`);
    if (ids.includes(groupId)) throw new InvalidValue('A group cannot be a member of itself.');
    if (!ids.length) return [];
    const rows = await tx.groups.typesOf(ids);
    const missing = rows.find((r) => !r.type);
    if (missing) throw new InvalidValue(`Member ${JSON.stringify(missing.id)} does not exist.`);
    const declared = new Map(refs.map((r) => [r.id.toLowerCase(), r.type]));
    for (const r of rows) {
      const want = declared.get(r.id);
      if (want && want.toLowerCase() !== r.type!.toLowerCase()) throw new InvalidValue(`Member ${JSON.stringify(r.id)} is a ${r.type}, not a ${want}.`);
    }
    return rows.map((r) => ({ id: r.id, type: r.type! }));
  }

  /** Makes membership equal to `refs`, writing only the difference (Okta's full-list PUT /Groups). */
  private async replaceMembers(tx: Tx, groupId: string, refs: MemberRef[]): Promise<number> {
    const members = await this.resolveMembers(tx, groupId, refs);
    const removed = await tx.groups.deleteMembersExcept(
      groupId,
      members.map((m) => m.id),
    );
    return removed + (await tx.groups.insertMembers(groupId, members));
  }
}
