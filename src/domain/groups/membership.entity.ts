import { Entity, Index, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/** What a member is; a group may contain users and groups (RFC 7643 §4.2). */
export type MemberType = 'User' | 'Group';

/**
 * One (group, member) pair. Keyed by the pair so that adding a member twice is a no-op and
 * changing one membership touches one row. The member is polymorphic, so it carries no foreign
 * key; the services delete a user's or group's rows in the transaction that deletes it.
 */
@Entity({ tableName: 'memberships' })
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
