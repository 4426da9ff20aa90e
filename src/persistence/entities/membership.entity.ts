import { OptionalProps } from '@mikro-orm/core';
import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type { MemberType } from '../../domain/groups/group-record.js';

/**
 * One (group, member) pair. Keyed by the pair so that adding a member twice is a no-op and
 * changing one membership touches one row. The member is polymorphic, so it carries no foreign
 * key; a trigger does a foreign key's work instead (the member exists, and is locked against a
 * concurrent delete until the insert commits: see the migration `membership_members_exist`), and
 * the services delete a user's or group's rows in the transaction that deletes it.
 */
@Entity({
  tableName: 'memberships',
  triggers: [
    {
      name: 'memberships_member_exists',
      timing: 'after',
      events: ['insert'],
      forEach: 'statement',
      expression: 'create trigger "memberships_member_exists" after insert on "memberships" referencing new table as new_rows for each statement execute function roster_members_exist()',
    },
  ],
})
@Index({ name: 'memberships_member_id_idx', properties: ['memberId'] })
export class Membership {
  [OptionalProps]?: 'createdAt';

  @PrimaryKey({ type: 'uuid' })
  groupId!: string;

  @PrimaryKey({ type: 'uuid' })
  memberId!: string;

  @Property({ type: 'string', length: 5 })
  memberType!: MemberType;

  @Property({ type: 'datetime', columnType: 'timestamptz(3)', defaultRaw: 'now()' })
  createdAt?: Date;
}
