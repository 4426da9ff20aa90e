import { Authorized, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { READ_DIRECTORY } from '../../auth/roles.js';
import type { GraphContext } from '../context.js';
import { ManagerType } from '../types/user.type.js';

/** The manager's name, looked up when the manager is a user Roster knows. */
@Resolver(() => ManagerType)
export class ManagerResolver {
  @Authorized(READ_DIRECTORY)
  @FieldResolver(() => String, { nullable: true, description: "the manager's displayName (else userName), when Roster knows the manager" })
  async displayName(@Root() m: ManagerType, @Ctx() ctx: GraphContext): Promise<string | null> {
    const u = await ctx.loaders.userLean.load(m.value);
    return u ? (u.displayName ?? u.userName) : null;
  }
}
