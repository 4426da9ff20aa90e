import Router from '@koa/router';
import type Koa from 'koa';
import { codeOf, ScimError } from '../errors.js';
import { expectedVersion, jsonBody, LIST_URN, notModified, send } from '../http.js';
import { applyPatch, normalisePatchBody } from '../patch/index.js';
import { project, projector, replaceReadsStored, validateResource, type ProjectionOptions } from '../schema/index.js';
import { applyPatchUnread, callOf, logIgnored, replacement, ScimDeps, unique } from './context.js';
import type { GraphGroup } from './graph-types.js';
import { GROUP_URN, membersOf, toMemberInput, toScimGroup } from './group-mapper.js';
import { attrList, graphFilter, parseListParams, RawListParams, wants } from './list-params.js';
import { listOperation } from '../operations.js';
import { etagOf } from './user-mapper.js';

/** Most members a group response lists. */
export const MEMBER_LIMIT = 100_000;
const PATCH_RETRIES = 3;

/** /Groups: list, search, get, create, replace (as a member diff), patch (as member deltas), delete. */
export function groupRoutes(deps: ScimDeps): Router {
  const { gateway, ops, baseUrl } = deps;
  const router = new Router();

  // Read (and checked) before anything is written: a bad list is a 400 that changes nothing.
  const projection = (ctx: Koa.Context): ProjectionOptions => ({
    attributes: attrList(ctx.query.attributes, 'attributes'),
    excludedAttributes: attrList(ctx.query.excludedAttributes, 'excludedAttributes'),
  });
  const render = (g: GraphGroup, p: ProjectionOptions) => project(toScimGroup(g, baseUrl), 'Group', p);
  const memberVars = (withMembers: boolean) => ({ withMembers, memberLimit: MEMBER_LIMIT });

  /** Whether a PUT must check the stored group (an immutable attribute): decided once, from the schemas. */
  const putReadsStored = replaceReadsStored('Group');
  const load = async (ctx: Koa.Context, id: string, withMembers: boolean): Promise<GraphGroup> => {
    const data = await gateway.run<{ group: GraphGroup | null }>(ops.getGroup, { id, ...memberVars(withMembers) }, callOf(ctx));
    if (!data.group) throw new ScimError(404, `Group ${JSON.stringify(id)} not found.`);
    return data.group;
  };

  const list = async (ctx: Koa.Context, raw: RawListParams) => {
    const req = parseListParams('Group', raw);
    const listed = listOperation(ops, 'Group', graphFilter(req.filter));
    const data = await gateway.run<{ groups: { totalCount: number; nodes: GraphGroup[] } }>(
      listed.op,
      {
        ...listed.filterVars,
        orderBy: req.sortBy ? { path: req.sortBy, direction: req.sortOrder } : null,
        offset: req.startIndex - 1,
        limit: req.count,
        // excludedAttributes=members (Entra's probes) never reads a member
        ...memberVars(wants('members', req)),
      },
      callOf(ctx),
    );
    const toResource = projector('Group', req);
    const resources = data.groups.nodes.map((g) => toResource(toScimGroup(g, baseUrl)));
    send(ctx, 200, { schemas: [LIST_URN], totalResults: data.groups.totalCount, startIndex: req.startIndex, itemsPerPage: resources.length, Resources: resources });
  };

  router.get('/Groups', (ctx) => list(ctx, ctx.query as RawListParams));
  router.post('/Groups/.search', (ctx) => list(ctx, jsonBody(ctx) as RawListParams));

  router.get('/Groups/:id', async (ctx) => {
    const p = projection(ctx);
    const group = await load(ctx, ctx.params.id, wants('members', p));
    const etag = etagOf(group.version);
    if (notModified(ctx, etag)) return send(ctx, 304, undefined, etag);
    send(ctx, 200, render(group, p), etag);
  });

  router.post('/Groups', async (ctx) => {
    const p = projection(ctx);
    const ignored: string[] = [];
    const resource = validateResource('Group', jsonBody(ctx), 'create', undefined, ignored);
    logIgnored(deps, ctx, 'Group', ignored);
    const input = { displayName: resource.displayName, externalId: resource.externalId ?? null, members: membersOf(resource) ?? [] };
    const data = await gateway.run<{ createGroup: GraphGroup }>(ops.createGroup, { input, ignored: unique(ignored), ...memberVars(wants('members', p)) }, callOf(ctx));
    ctx.set('Location', `${baseUrl}/Groups/${data.createGroup.id}`);
    send(ctx, 201, render(data.createGroup, p), etagOf(data.createGroup.version));
  });

  // Okta's custom app sends every rename and membership change as a full PUT with the whole
  // member list: the domain writes only the difference against stored membership.
  router.put('/Groups/:id', async (ctx) => {
    const p = projection(ctx);
    const ignored: string[] = [];
    // The write works out the member difference itself: unpinned, a PUT is one statement.
    const { resource, version } = await replacement(
      ctx,
      'Group',
      putReadsStored,
      () => load(ctx, ctx.params.id, false),
      (g) => toScimGroup(g, baseUrl),
      ignored,
    );
    logIgnored(deps, ctx, 'Group', ignored);
    const input = { displayName: resource.displayName, externalId: resource.externalId ?? null, members: membersOf(resource) ?? [] };
    const data = await gateway.run<{ replaceGroup: GraphGroup }>(
      ops.replaceGroup,
      { id: ctx.params.id, input, expectedVersion: version, ignored: unique(ignored), ...memberVars(wants('members', p)) },
      callOf(ctx),
    );
    send(ctx, 200, render(data.replaceGroup, p), etagOf(data.replaceGroup.version));
  });

  router.patch('/Groups/:id', async (ctx) => {
    const body = jsonBody(ctx);
    const pinned = ctx.get('if-match') !== '';
    const p = projection(ctx);
    const answerWithResource = !!(p.attributes || p.excludedAttributes);
    // Adding and removing members (an IdP's usual push) needs nothing of the stored group: the
    // mutation writes the delta and answers with the group (404 when there is none). Such a PATCH,
    // unpinned, skips the read; any other attribute, or If-Match, and the group is read first.
    const deltaOnly = !pinned && !answerWithResource && onlyMembers(body);
    for (let attempt = 1; ; attempt++) {
      // The current state is read without members: a PATCH never loads the member list.
      const current = deltaOnly ? undefined : await load(ctx, ctx.params.id, false);
      if (!current) {
        const result = await applyPatchUnread('Group', { schemas: [GROUP_URN], id: ctx.params.id }, body, () => load(ctx, ctx.params.id, false));
        logIgnored(deps, ctx, 'Group', result.ignored);
        const d = result.changed ? result.memberDelta : undefined;
        const input: Record<string, unknown> = {};
        if (d?.replaceAll) input.members = d.replaceAll.map(toMemberInput);
        if (d?.add.length) input.addMembers = d.add.map(toMemberInput);
        if (d?.remove.length) input.removeMembers = d.remove;
        const group = (
          await gateway.run<{ updateGroup: GraphGroup }>(ops.updateGroup, { id: ctx.params.id, input, expectedVersion: null, ignored: unique(result.ignored), ...memberVars(false) }, callOf(ctx))
        ).updateGroup;
        return send(ctx, 204, undefined, etagOf(group.version));
      }
      const version = expectedVersion(ctx, current.version) ?? current.version;
      const result = applyPatch('Group', toScimGroup(current, baseUrl), body);
      if (attempt === 1) logIgnored(deps, ctx, 'Group', result.ignored);
      let group: GraphGroup;
      const d = result.changed ? result.memberDelta : undefined;
      const input: Record<string, unknown> = {};
      if (result.resource.displayName !== current.displayName) input.displayName = result.resource.displayName;
      const ext = (result.resource.externalId as string | undefined) ?? null;
      if (ext !== current.externalId) input.externalId = ext;
      if (d?.replaceAll) input.members = d.replaceAll.map(toMemberInput);
      if (d?.add.length) input.addMembers = d.add.map(toMemberInput);
      if (d?.remove.length) input.removeMembers = d.remove;
      // A PATCH that changes nothing still goes to the domain (with no changes): only the domain
      // decides whether this caller may write the group at all, and it writes nothing for a no-op.
      try {
        group = (
          await gateway.run<{ updateGroup: GraphGroup }>(
            ops.updateGroup,
            { id: current.id, input, expectedVersion: pinned ? version : null, ignored: unique(result.ignored), ...memberVars(answerWithResource && wants('members', p)) },
            callOf(ctx),
          )
        ).updateGroup;
      } catch (err) {
        if (codeOf(err) === 'VERSION_MISMATCH' && !pinned && attempt < PATCH_RETRIES) continue;
        throw err;
      }
      if (answerWithResource) {
        return send(ctx, 200, render(group, p), etagOf(group.version));
      }
      return send(ctx, 204, undefined, etagOf(group.version));
    }
  });

  router.delete('/Groups/:id', async (ctx) => {
    const version = ctx.get('if-match') ? expectedVersion(ctx, (await load(ctx, ctx.params.id, false)).version) : undefined;
    await gateway.run(ops.deleteGroup, { id: ctx.params.id, expectedVersion: version ?? null }, callOf(ctx));
    send(ctx, 204, undefined);
  });

  return router;
}

/** Whether every operation of a PATCH body targets `members` (a body the engine refuses: false, so that the read path reports it). */
function onlyMembers(body: unknown): boolean {
  try {
    const ops = normalisePatchBody('Group', body);
    return ops.every((o) => o.target.kind === 'attribute' && !o.target.resolved.extension && o.target.resolved.attribute.name === 'members');
  } catch {
    return false;
  }
}
