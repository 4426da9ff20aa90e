import { LockMode, type RequiredEntityData } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/sql';
import { isUuid } from '../../domain/ids.js';
import type { AuditWrite } from '../audit/audit-log.js';
import { AuditEvent } from '../entities/audit-event.entity.js';
import { User } from '../entities/user.entity.js';
import { insertParts, insertValues } from '../sql/insert.js';
import { changeUserWithAudit, type UserChange, type UserChangeOutcome } from './user-change.js';
import { frag } from '../sql/fragment.js';
import { runSql } from '../sql/run.js';

/** User writes inside one transaction. */
export class UserWrites {
  constructor(private readonly em: SqlEntityManager) {}

  /** A new user, inserted on the next flush. */
  create(data: RequiredEntityData<User>): User {
    return this.em.create(User, data);
  }

  /**
   * The user with its password hash, locked for the transaction: concurrent writes queue up
   * instead of failing the version check on flush.
   */
  lockForUpdate(id: string): Promise<User | null> {
    if (!isUuid(id)) return Promise.resolve(null);
    return this.em.findOne(User, { id }, { populate: ['passwordHash'], lockMode: LockMode.PESSIMISTIC_WRITE });
  }

  /**
   * Inserts a new user and its audit event in ONE statement (a data-modifying CTE, atomic by
   * itself): the create of a push costs one round trip instead of BEGIN, two INSERTs and COMMIT
   * through the unit of work. `user` is a detached entity the domain has filled in.
   */
  async insertWithAudit(user: User, audit: AuditWrite & { id: string; at: Date }): Promise<void> {
    const u = insertValues(insertParts(this.em, User, user));
    const a = insertParts(this.em, AuditEvent, audit);
    // Prepared on Postgres: a push creates its users with one set of attributes, so the text repeats
    // (the texts kept prepared are capped).
    await runSql(
      this.em,
      {
        sql: `with u as (${u.sql} returning id) insert into ${a.table} (${a.columns.join(', ')}) select ${a.placeholders.join(', ')} from u`,
        bindings: [...u.bindings, ...a.bindings],
      },
      { prepare: true },
    );
  }

  /**
   * An owner's change of a user with its version bump, audit event and (on a deactivation) the end
   * of its sessions in ONE statement, only if nobody wrote the user since the statement's snapshot;
   * answered with the user as it left it (see user-change.ts).
   */
  changeWithAudit(change: UserChange, audit: Omit<AuditWrite, 'changed'> & { id: string; at: Date }): Promise<UserChangeOutcome> {
    return changeUserWithAudit(this.em, change, audit);
  }

  /** Deletes the user on the next flush. */
  remove(user: User): void {
    this.em.remove(user);
  }

  /** Removes the member from every group it belongs to and bumps those groups' versions. */
  async leaveAllGroups(memberId: string): Promise<void> {
    const groups = await runSql<{ group_id: string }>(this.em, frag('delete from memberships where member_id = ? returning group_id', [memberId]));
    if (!groups.length) return;
    await runSql(
      this.em,
      frag('update groups set version = version + 1, updated_at = now() where id = any(array(select jsonb_array_elements_text(?::jsonb))::uuid[])', [groups.map((g) => g.group_id)]),
    );
  }
}
