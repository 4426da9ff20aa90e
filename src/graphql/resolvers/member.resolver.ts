import { Authorized, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { READ_DIRECTORY } from '../../auth/roles.js';
import type { GraphContext } from '../context.js';
import { toGroupType, toUserType } from '../mappers.js';
import { GroupType, MemberType } from '../types/group.type.js';
import { UserType } from '../types/user.type.js';

/** Resolves what a member is, through the per-request loaders. */
@Resolver(() => MemberType)
export class MemberResolver {
  @Authorized(READ_DIRECTORY)
  @FieldResolver(() => UserType, { nullable: true, description: 'the member, when it is a user' })
  async user(@Root() m: MemberType, @Ctx() ctx: GraphContext): Promise<UserType | null> {
    if (m.type !== 'User') return null;
    const u = await ctx.loaders.userLean.load(m.id);
    return u ? toUserType(u) : null;
  }

  @Authorized(READ_DIRECTORY)
  @FieldResolver(() => GroupType, { nullable: true, description: 'the member, when it is a group' })
  async group(@Root() m: MemberType, @Ctx() ctx: GraphContext): Promise<GroupType | null> {
    if (m.type !== 'Group') return null;
    const g = await ctx.loaders.group.load(m.id);
    return g ? toGroupType(g) : null;
  }
}
