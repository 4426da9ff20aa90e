import type { MemberRecord } from '../../domain/groups/group-record.js';
import { Field, ID, Int, ObjectType } from 'type-graphql';
import { UserType } from './user.type.js';

/** A group of users and groups. */
@ObjectType('Group', { simpleResolvers: true, description: 'A group of users and groups.' })
export class GroupType {
  @Field(() => ID) id!: string;
  @Field(() => String) displayName!: string;
  @Field(() => String, { nullable: true }) externalId?: string | null;
  @Field(() => String, { description: '"local", or the label of the IdP that manages this group' }) source!: string;
  @Field(() => Date) created!: Date;
  @Field(() => Date) lastModified!: Date;
  @Field(() => Int) version!: number;
  /** the members a whole-list write left (GroupRecord.members): its answer's member page */
  writtenMembers?: MemberRecord[];
}

/** One member of a group: a user or a group. */
@ObjectType('Member', { simpleResolvers: true, description: 'A member of a group.' })
export class MemberType {
  @Field(() => ID, { description: 'the id of the member user or group' }) id!: string;
  @Field(() => String, { description: '"User" or "Group"' }) type!: string;
  // A plain field, filled in by Group.members (behind its role check): a field resolver here cost
  // type-graphql's argument and role-check wrapper once per member, 10,000 times for a whole group.
  @Field(() => String, { nullable: true, description: "the member's displayName (users: displayName, else userName)" }) display!: string | null;
  groupId!: string;
}

/** A page of members. */
@ObjectType('MemberPage', { simpleResolvers: true, description: 'A page of members, in member id order.' })
export class MemberPage {
  @Field(() => [MemberType]) nodes!: MemberType[];
  groupId!: string;
}

export { UserType };
