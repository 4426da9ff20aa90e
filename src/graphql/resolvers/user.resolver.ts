import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Info, Query, Resolver, Root } from 'type-graphql';
import { ADMINISTER, READ_DIRECTORY, WRITE_DIRECTORY } from '../../auth/roles.js';
import { InvalidValue, NotFound } from '../../domain/errors/domain-errors.js';
import { DEFAULT_GROUPS_PER_USER, MAX_GROUPS_PER_USER } from '../limits.js';
import { UserService } from '../../domain/users/user-service.js';
import type { GraphQLResolveInfo } from 'graphql';
import { listReads, type GraphContext } from '../context.js';
import { UserInputType } from '../inputs/user.input.js';
import { toGroupType, toUserAnswerType, toUserInput, toUserType } from '../mappers.js';
import { Connection } from '../types/connection.js';
import { GroupType } from '../types/group.type.js';
import { UserType } from '../types/user.type.js';
import { connection, ListArgs, window } from './paging.js';
import { toFilterTree } from '../inputs/filter.input.js';
import { selectsField, selectsOnly } from '../selection.js';

/** A page of users. */
export const UserConnection = Connection(UserType, 'User');

const opts = (ctx: GraphContext, expectedVersion?: number | null, force?: boolean | null, ignored?: string[] | null, info?: GraphQLResolveInfo) => {
  // a write whose answer carries only the id and version (a SCIM PATCH answered 204) reads nothing else back
  const stampOnly = info ? selectsOnly(info, STAMP_FIELDS) : false;
  return {
    expectedVersion,
    force: force ?? false,
    requestId: ctx.requestId,
    ignored: ignored ?? undefined,
    // nor, when its answer does not carry the user's groups, the groups (a stamp selects none: no second walk)
    withGroups: info ? !stampOnly && selectsField(info, 'groups') : true,
    stampOnly,
  };
};

/** The fields of a user a write can answer with without reading the user back. */
const STAMP_FIELDS: ReadonlySet<string> = new Set(['id', 'version']);

/** Users: queries and mutations. Thin: the rules live in UserService. */
@Resolver(() => UserType)
export class UserResolver {
  @Authorized(READ_DIRECTORY)
  @Query(() => UserType, { nullable: true, description: 'A user by id.' })
  async user(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphContext, @Info() info: GraphQLResolveInfo): Promise<UserType | null> {
    // The SCIM facade's read before a write asks for no groups: then none are read.
    const u = await (selectsField(info, 'groups') ? ctx.loaders.user : ctx.loaders.userLean).load(id);
    return u ? toUserType(u) : null;
  }

  @Authorized(READ_DIRECTORY)
  @Query(() => UserConnection, { description: 'Users matching a filter, ordered and paged.' })
  async users(@Args(() => ListArgs) args: ListArgs, @Ctx() ctx: GraphContext, @Info() info: GraphQLResolveInfo) {
    const w = window(args);
    const page = await listReads(ctx, info).users.list({ filter: toFilterTree(args.filter), sortBy: args.orderBy?.path, sortOrder: args.orderBy?.direction, ...w });
    return connection(page, toUserType, w.limit);
  }

  @Authorized(WRITE_DIRECTORY)
  @Mutation(() => UserType, { description: 'Creates a user.' })
  async createUser(
    @Arg('input', () => UserInputType) input: UserInputType,
    @Arg('ignoredAttributes', () => [String], { nullable: true, description: 'attributes the client sent that were not applied; recorded in the audit event' }) ignored: string[] | null,
    @Ctx() ctx: GraphContext,
  ): Promise<UserType> {
    return toUserType(await new UserService(ctx.store).create(ctx.principal!, toUserInput(input), opts(ctx, null, null, ignored)));
  }

  @Authorized(WRITE_DIRECTORY)
  @Mutation(() => UserType, { description: 'Replaces every writable attribute; omitted ones are cleared, except active, which keeps its value.' })
  async replaceUser(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UserInputType) input: UserInputType,
    @Arg('expectedVersion', () => Int, { nullable: true }) expectedVersion: number | null,
    @Arg('force', () => Boolean, { nullable: true, description: 'change a user an IdP manages' }) force: boolean | null,
    @Arg('ignoredAttributes', () => [String], { nullable: true, description: 'attributes the client sent that were not applied; recorded in the audit event' }) ignored: string[] | null,
    @Ctx() ctx: GraphContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<UserType> {
    return toUserAnswerType(await new UserService(ctx.store).replace(ctx.principal!, id, toUserInput(input), opts(ctx, expectedVersion, force, ignored, info)));
  }

  @Authorized(WRITE_DIRECTORY)
  @Mutation(() => UserType, { description: 'Changes the attributes given; null clears one.' })
  async updateUser(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => UserInputType) input: UserInputType,
    @Arg('expectedVersion', () => Int, { nullable: true }) expectedVersion: number | null,
    @Arg('force', () => Boolean, { nullable: true }) force: boolean | null,
    @Arg('ignoredAttributes', () => [String], { nullable: true, description: 'attributes the client sent that were not applied; recorded in the audit event' }) ignored: string[] | null,
    @Ctx() ctx: GraphContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<UserType> {
    const needsCurrent = input.secondEmail !== undefined || input.mobilePhone !== undefined || input.postalAddress !== undefined;
    const current = needsCurrent ? await ctx.loaders.user.load(id) : undefined;
    if (needsCurrent && !current) throw new NotFound('User', id);
    return toUserAnswerType(await new UserService(ctx.store).update(ctx.principal!, id, toUserInput(input, current ?? undefined), opts(ctx, expectedVersion, force, ignored, info)));
  }

  @Authorized(WRITE_DIRECTORY)
  @Mutation(() => UserType, { description: 'Lets a user sign in again.' })
  async activateUser(
    @Arg('id', () => ID) id: string,
    @Arg('force', () => Boolean, { nullable: true }) force: boolean | null,
    @Ctx() ctx: GraphContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<UserType> {
    return toUserAnswerType(await new UserService(ctx.store).setActive(ctx.principal!, id, true, opts(ctx, null, force, null, info)));
  }

  @Authorized(WRITE_DIRECTORY)
  @Mutation(() => UserType, { description: 'Stops a user from signing in; the user stays listed.' })
  async deactivateUser(
    @Arg('id', () => ID) id: string,
    @Arg('force', () => Boolean, { nullable: true }) force: boolean | null,
    @Ctx() ctx: GraphContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<UserType> {
    return toUserAnswerType(await new UserService(ctx.store).setActive(ctx.principal!, id, false, opts(ctx, null, force, null, info)));
  }

  @Authorized(WRITE_DIRECTORY)
  @Mutation(() => ID, { description: 'Deletes a user and its memberships; returns the id.' })
  async deleteUser(
    @Arg('id', () => ID) id: string,
    @Arg('expectedVersion', () => Int, { nullable: true }) expectedVersion: number | null,
    @Arg('force', () => Boolean, { nullable: true }) force: boolean | null,
    @Ctx() ctx: GraphContext,
  ): Promise<string> {
    await new UserService(ctx.store).delete(ctx.principal!, id, opts(ctx, expectedVersion, force));
    return id;
  }

  @Authorized(READ_DIRECTORY)
  @FieldResolver(() => [GroupType], { description: `The groups the user directly belongs to, by displayName: the first \`first\` of them (at most ${MAX_GROUPS_PER_USER}).` })
  async groups(@Root() user: UserType, @Arg('first', () => Int, { defaultValue: DEFAULT_GROUPS_PER_USER }) first: number, @Ctx() ctx: GraphContext): Promise<GroupType[]> {
    // The query's cost is charged at `first`: what it returns may not be more.
    if (!Number.isInteger(first) || first < 0 || first > MAX_GROUPS_PER_USER) throw new InvalidValue(`groups(first:) takes 0 to ${MAX_GROUPS_PER_USER}.`);
    return (user.memberOf ?? (await ctx.loaders.groupsOfMember.load(user.id))).slice(0, first).map(toGroupType);
  }

  @Authorized(ADMINISTER)
  @FieldResolver(() => Boolean, { description: 'Whether a password is set (the password itself is never readable).' })
  async hasPassword(@Root() user: UserType, @Ctx() ctx: GraphContext): Promise<boolean> {
    return ctx.store.users.hasPassword(user.id);
  }
}
