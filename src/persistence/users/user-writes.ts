import { LockMode, type RequiredEntityData } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/sql';
import { isUuid } from '../../domain/ids.js';
import type { GroupRecord } from '../../domain/groups/group-record.js';
import type { UserRecord } from '../../domain/users/user-record.js';
import { User } from '../entities/user.entity.js';
import { userFromEntity } from './user-rows.js';
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

  /** The record of a user written (flushed) in this transaction, as a read would return it. */
  recordOf(user: User, groups: readonly GroupRecord[] = []): UserRecord {
    return userFromEntity(this.em, user, groups);
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
