import { Field, ID, InputType } from 'type-graphql';

/** A member reference. */
@InputType({ description: 'A member: the id of a user or group; type is checked when given.' })
export class MemberInput {
  @Field(() => ID) id!: string;
  @Field(() => String, { nullable: true, description: '"User" or "Group"' }) type?: string | null;
}

/** Writable group attributes. */
@InputType({ description: 'Writable group attributes.' })
export class GroupInputType {
  @Field(() => String, { nullable: true }) displayName?: string;
  @Field(() => String, { nullable: true }) externalId?: string | null;
  @Field(() => [MemberInput], { nullable: true, description: 'the whole member list; Roster writes only the difference' }) members?: MemberInput[];
}

/** A partial change of a group in one transaction: attributes and member deltas together. */
@InputType({ description: 'Change a group in one transaction: attributes, and members as deltas (or a whole list).' })
export class GroupChangeInput {
  @Field(() => String, { nullable: true }) displayName?: string;
  @Field(() => String, { nullable: true }) externalId?: string | null;
  @Field(() => [MemberInput], { nullable: true, description: 'replace membership with this list (only the difference is written)' }) members?: MemberInput[];
  @Field(() => [MemberInput], { nullable: true }) addMembers?: MemberInput[];
  @Field(() => [ID], { nullable: true }) removeMembers?: string[];
}
