import { Arg, Args, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Info, Query, Resolver, Root } from 'type-graphql';
import { READ_DIRECTORY, WRITE_DIRECTORY } from '../../auth/roles.js';
import { InvalidValue } from '../../domain/errors/domain-errors.js';
import { GroupService, MemberRef } from '../../domain/groups/group-service.js';
import { MAX_PAGE } from '../../domain/list.js';
import type { GraphQLResolveInfo } from 'graphql';
import { listReads, type GraphContext } from '../context.js';
import { toFilterTree } from '../inputs/filter.input.js';
import { GroupChangeInput, GroupInputType, MemberInput } from '../inputs/group.input.js';
import { toGroupType } from '../mappers.js';
import { Connection } from '../types/connection.js';
import { GroupType, MemberPage, MemberType } from '../types/group.type.js';
import { connection, ListArgs, window } from './paging.js';

/** A page of groups. */
export const GroupConnection = Connection(GroupType, 'Group');

const refs = (list: MemberInput[] | undefined): MemberRef[] | undefined =>
  list?.map((m) => {
    if (m.type != null && m.type.toLowerCase() !== 'user' && m.type.toLowerCase() !== 'group') throw new InvalidValue(`Member type must be "User" or "Group", not ${JSON.stringify(m.type)}.`);
    return { id: m.id, type: m.type ? (m.type.toLowerCase() === 'user' ? 'User' : 'Group') : null };
  });

/** Groups and membership. Thin: the rules live in GroupService. */
@Resolver(() => GroupType)
export class GroupResolver {
  @Authorized(READ_DIRECTORY)
  @Query(() => GroupType, { nullable: true, description: 'A group by id.' })
  async group(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphContext): Promise<GroupType | null> {
    const g = await ctx.loaders.group.load(id);
    return g ? toGroupType(g) : null;
  }

  @Authorized(READ_DIRECTORY)
  @Query(() => GroupConnection, { description: 'Groups matching a filter, ordered and paged.' })
  async groups(@Args(() => ListArgs) args: ListArgs, @Ctx() ctx: GraphContext, @Info() info: GraphQLResolveInfo) {
    const w = window(args);
    const page = await listReads(ctx, info).groups.list({ filter: toFilterTree(args.filter), sortBy: args.orderBy?.path, sortOrder: args.orderBy?.direction, ...w });
    return connection(page, toGroupType, w.limit);
  }

  @Authorized(READ_DIRECTORY)
  @FieldResolver(() => MemberPage, { description: 'A page of members, in member id order.' })
  async members(
    @Root() group: GroupType,
    @Arg('offset', () => Int, { defaultValue: 0 }) offset: number,
    @Arg('limit', () => Int, { defaultValue: 100 }) limit: number,
    @Ctx() ctx: GraphContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<MemberPage> {
    if (offset < 0 || limit < 0 || limit > 100_000) throw new InvalidValue('members: offset must be ≥ 0 and limit between 0 and 100000.');
    // A whole-list write's answer: the members it left, not a read after its commit.
    const rows = group.writtenMembers ? group.writtenMembers.slice(offset, offset + limit) : await listReads(ctx, info).groups.members(group.id, offset, limit);
    return { groupId: group.id, nodes: rows.map((r): MemberType => ({ id: r.memberId, type: r.memberType, groupId: r.groupId, display: r.display })) };
  }

  @Authorized(READ_DIRECTORY)
  @FieldResolver(() => Int, { description: 'How many members the group has.' })
  memberCount(@Root() group: GroupType, @Ctx() ctx: GraphContext): Promise<number> {
    return ctx.loaders.memberCount.load(group.id);
  }

  @Authorized(READ_DIRECTORY)
  @FieldResolver(() => [ID], { description: 'Which of these ids are members (a probe that never reads the whole list).' })
  async hasMembers(@Root() group: GroupType, @Arg('ids', () => [ID]) ids: string[], @Ctx() ctx: GraphContext): Promise<string[]> {
    if (ids.length > MAX_PAGE) throw new InvalidValue(`Ask about at most ${MAX_PAGE} ids at once.`);
    return [...(await ctx.store.groups.whichAreMembers(group.id, ids))];
  }

  @Authorized(WRITE_DIRECTORY)
  @Mutation(() => GroupType, { description: 'Creates a group.' })
  async createGroup(
    @Arg('input', () => GroupInputType) input: GroupInputType,
    @Arg('ignoredAttributes', () => [String], { nullable: true, description: 'attributes the client sent that were not applied; recorded in the audit event' }) ignored: string[] | null,
    @Ctx() ctx: GraphContext,
  ): Promise<GroupType> {
    return toGroupType(await new GroupService(ctx.store).create(ctx.principal!, { ...input, members: refs(input.members) }, { requestId: ctx.requestId, ignored: ignored ?? undefined }));
  }

  @Authorized(WRITE_DIRECTORY)
  @Mutation(() => GroupType, { description: 'Replaces displayName and externalId, and membership if members is given (only the difference is written).' })
  async replaceGroup(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => GroupInputType) input: GroupInputType,
    @Arg('expectedVersion', () => Int, { nullable: true }) expectedVersion: number | null,
    @Arg('force', () => Boolean, { nullable: true }) force: boolean | null,
    @Arg('ignoredAttributes', () => [String], { nullable: true, description: 'attributes the client sent that were not applied; recorded in the audit event' }) ignored: string[] | null,
    @Ctx() ctx: GraphContext,
  ): Promise<GroupType> {
    return toGroupType(
      await new GroupService(ctx.store).replace(
        ctx.principal!,
        id,
        { ...input, members: refs(input.members) },
        { expectedVersion, force: force ?? false, requestId: ctx.requestId, ignored: ignored ?? undefined },
      ),
    );
  }

  @Authorized(WRITE_DIRECTORY)
  @Mutation(() => GroupType, { description: 'Changes attributes and members in one transaction.' })
  async updateGroup(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => GroupChangeInput) input: GroupChangeInput,
    @Arg('expectedVersion', () => Int, { nullable: true }) expectedVersion: number | null,
    @Arg('force', () => Boolean, { nullable: true }) force: boolean | null,
    @Arg('ignoredAttributes', () => [String], { nullable: true, description: 'attributes the client sent that were not applied; recorded in the audit event' }) ignored: string[] | null,
    @Ctx() ctx: GraphContext,
  ): Promise<GroupType> {
    const svc = new GroupService(ctx.store);
    const o = { expectedVersion, force: force ?? false, requestId: ctx.requestId, ignored: ignored ?? undefined };
    const { addMembers, removeMembers, members, ...attrs } = input;
    return toGroupType(await svc.update(ctx.principal!, id, { ...attrs, members: refs(members), add: refs(addMembers), remove: removeMembers }, o));
  }

  @Authorized(WRITE_DIRECTORY)
  @Mutation(() => GroupType, { description: 'Adds members (existing ones are left as they are).' })
  async addGroupMembers(@Arg('id', () => ID) id: string, @Arg('members', () => [MemberInput]) members: MemberInput[], @Ctx() ctx: GraphContext): Promise<GroupType> {
    return toGroupType(await new GroupService(ctx.store).update(ctx.principal!, id, { add: refs(members) }, { requestId: ctx.requestId }));
  }

  @Authorized(WRITE_DIRECTORY)
  @Mutation(() => GroupType, { description: 'Removes members by id (absent ones are ignored).' })
  async removeGroupMembers(@Arg('id', () => ID) id: string, @Arg('memberIds', () => [ID]) memberIds: string[], @Ctx() ctx: GraphContext): Promise<GroupType> {
    return toGroupType(await new GroupService(ctx.store).update(ctx.principal!, id, { remove: memberIds }, { requestId: ctx.requestId }));
  }

  @Authorized(WRITE_DIRECTORY)
  @Mutation(() => GroupType, { description: 'Makes membership exactly this list, writing only the difference.' })
  async replaceGroupMembers(@Arg('id', () => ID) id: string, @Arg('members', () => [MemberInput]) members: MemberInput[], @Ctx() ctx: GraphContext): Promise<GroupType> {
    return toGroupType(await new GroupService(ctx.store).update(ctx.principal!, id, { members: refs(members) }, { requestId: ctx.requestId }));
  }

  @Authorized(WRITE_DIRECTORY)
  @Mutation(() => ID, { description: 'Deletes a group and its memberships; its name is free again at once.' })
  async deleteGroup(
    @Arg('id', () => ID) id: string,
    @Arg('expectedVersion', () => Int, { nullable: true }) expectedVersion: number | null,
    @Arg('force', () => Boolean, {
      nullable: true,
      description: 'delete a group an IdP manages (audited); better unlink it in the IdP. The IdP can push the same name again afterwards.',
    })
    force: boolean | null,
    @Ctx() ctx: GraphContext,
  ): Promise<string> {
    await new GroupService(ctx.store).delete(ctx.principal!, id, { expectedVersion, force: force ?? false, requestId: ctx.requestId });
    return id;
  }
}
