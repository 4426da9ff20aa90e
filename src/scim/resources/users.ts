import Router from '@koa/router';
import type Koa from 'koa';
import { codeOf, ScimError } from '../errors.js';
import { expectedVersion, jsonBody, LIST_URN, notModified, send } from '../http.js';
import { applyPatch } from '../patch/index.js';
import { normalisePatchBody } from '../patch/normalise.js';
import { project, projector, replaceReadsStored, validateResource, type ProjectionOptions } from '../schema/index.js';
import { applyPatchUnread, callOf, logIgnored, replacement, ScimDeps, unique } from './context.js';
import type { GraphUser } from './graph-types.js';
import { attrList, graphFilter, parseListParams, RawListParams, wants } from './list-params.js';
import { listOperation } from '../operations.js';
import { changedInput, etagOf, STATE_FREE_ATTRIBUTES, toScimUser, toUserInput, USER_URN } from './user-mapper.js';

/**
 * How often a PATCH without If-Match is applied again when another write lands between its read and
 * its write. Each retry means another request committed, so up to this many concurrent writers to
 * one user all succeed.
 */
const PATCH_RETRIES = 10;

/** What a write answered 204 reads back: the new version, for the ETag. */
type VersionAnswer = Pick<GraphUser, 'id' | 'version'>;

/** /Users: list, search, get, create, replace, patch, delete. */
export function userRoutes(deps: ScimDeps): Router {
  const { gateway, ops, baseUrl } = deps;
  const router = new Router();

  // Read (and checked) before anything is written: a bad list is a 400 that changes nothing.
  const projection = (ctx: Koa.Context): ProjectionOptions => ({
    attributes: attrList(ctx.query.attributes, 'attributes'),
    excludedAttributes: attrList(ctx.query.excludedAttributes, 'excludedAttributes'),
  });
  const render = (u: GraphUser, p: ProjectionOptions) => project(toScimUser(u, baseUrl), 'User', p);

  /** Whether a PUT must check the stored user (an immutable attribute): decided once, from the schemas. */
  const putReadsStored = replaceReadsStored('User');
  const load = async (ctx: Koa.Context, id: string, withGroups: boolean): Promise<GraphUser> => {
    const data = await gateway.run<{ user: GraphUser | null }>(ops.getUser, { id, withGroups }, callOf(ctx));
    if (!data.user) throw new ScimError(404, `User ${JSON.stringify(id)} not found.`);
    return data.user;
  };

  const list = async (ctx: Koa.Context, raw: RawListParams) => {
    const req = parseListParams('User', raw);
    const listed = listOperation(ops, 'User', graphFilter(req.filter));
    const data = await gateway.run<{ users: { totalCount: number; nodes: GraphUser[] } }>(
      listed.op,
      {
        ...listed.filterVars,
        orderBy: req.sortBy ? { path: req.sortBy, direction: req.sortOrder } : null,
        offset: req.startIndex - 1,
        limit: req.count,
        withGroups: wants('groups', req),
      },
      callOf(ctx),
    );
    const toResource = projector('User', req);
    const resources = data.users.nodes.map((u) => toResource(toScimUser(u, baseUrl)));
    send(ctx, 200, { schemas: [LIST_URN], totalResults: data.users.totalCount, startIndex: req.startIndex, itemsPerPage: resources.length, Resources: resources });
  };

  router.get('/Users', (ctx) => list(ctx, ctx.query as RawListParams));
  router.post('/Users/.search', (ctx) => list(ctx, jsonBody(ctx) as RawListParams));

  router.get('/Users/:id', async (ctx) => {
    const p = projection(ctx);
    const user = await load(ctx, ctx.params.id, wants('groups', p));
    const etag = etagOf(user.version);
    if (notModified(ctx, etag)) return send(ctx, 304, undefined, etag);
    send(ctx, 200, render(user, p), etag);
  });

  router.post('/Users', async (ctx) => {
    const p = projection(ctx);
    const ignored: string[] = [];
    const resource = validateResource('User', jsonBody(ctx), 'create', undefined, ignored);
    logIgnored(deps, ctx, 'User', ignored);
    const data = await gateway.run<{ createUser: GraphUser }>(ops.createUser, { input: toUserInput(resource), ignored: unique(ignored), withGroups: true }, callOf(ctx));
    const user = data.createUser;
    ctx.set('Location', `${baseUrl}/Users/${user.id}`);
    send(ctx, 201, render(user, p), etagOf(user.version));
  });

  router.put('/Users/:id', async (ctx) => {
    const p = projection(ctx);
    const ignored: string[] = [];
    // Okta's profile push needs nothing of the stored user (no immutable attribute; the write finds
    // what changed and keeps an omitted `active`): unpinned, it is one statement.
    const { resource, version } = await replacement(
      ctx,
      'User',
      putReadsStored,
      () => load(ctx, ctx.params.id, false),
      (u) => toScimUser(u, baseUrl),
      ignored,
    );
    logIgnored(deps, ctx, 'User', ignored);
    const input = toUserInput(resource);
    // `active` left out (or null) keeps its value: absent, it would read as true and silently
    // re-enable a disabled account (RFC 7644 §3.5.1 lets a server keep omitted values).
    if (resource.active === undefined || resource.active === null) delete input.active;
    const data = await gateway.run<{ replaceUser: GraphUser }>(ops.replaceUser, { id: ctx.params.id, input, expectedVersion: version, ignored: unique(ignored), withGroups: true }, callOf(ctx));
    send(ctx, 200, render(data.replaceUser, p), etagOf(data.replaceUser.version));
  });

  router.patch('/Users/:id', async (ctx) => {
    const body = jsonBody(ctx);
    const pinned = ctx.get('if-match') !== '';
    const p = projection(ctx);
    // RFC 7644 §3.5.2: 204 unless the client asked for attributes back; a 204 needs only the new version.
    const answerWithBody = Boolean(p.attributes || p.excludedAttributes);
    // A PATCH that only replaces simple attributes (Okta's and Entra's deactivation, a new title)
    // sets values that do not depend on the stored user, and the write itself finds what changed:
    // unpinned and answered 204, it skips the read (one statement instead of two).
    const stateFree = !pinned && !answerWithBody ? stateFreeAttributes(body) : undefined;
    if (stateFree) {
      const result = await applyPatchUnread('User', { schemas: [USER_URN], id: ctx.params.id }, body, () => load(ctx, ctx.params.id, false));
      logIgnored(deps, ctx, 'User', result.ignored);
      const all = toUserInput(result.resource);
      const input = Object.fromEntries(stateFree.map((name) => [name, all[name]]));
      const stamp = (await gateway.run<{ updateUser: VersionAnswer }>(ops.updateUserStamp, { id: ctx.params.id, input, expectedVersion: null, ignored: unique(result.ignored) }, callOf(ctx)))
        .updateUser;
      return send(ctx, 204, undefined, etagOf(stamp.version));
    }
    for (let attempt = 1; ; attempt++) {
      const current = await load(ctx, ctx.params.id, false);
      const version = expectedVersion(ctx, current.version) ?? current.version;
      const before = toScimUser(current, baseUrl);
      const result = applyPatch('User', before, body);
      if (attempt === 1) logIgnored(deps, ctx, 'User', result.ignored);
      // A PATCH that changes nothing still goes to the domain (with no changes): only the domain
      // decides whether this caller may write the user at all, and it writes nothing for a no-op.
      const input = result.changed ? changedInput(toUserInput(before), toUserInput(result.resource)) : {};
      const vars = { id: current.id, input, expectedVersion: version, ignored: unique(result.ignored) };
      try {
        if (answerWithBody) {
          const user = (await gateway.run<{ updateUser: GraphUser }>(ops.updateUser, { ...vars, withGroups: wants('groups', p) }, callOf(ctx))).updateUser;
          return send(ctx, 200, render(user, p), etagOf(user.version));
        }
        const stamp = (await gateway.run<{ updateUser: VersionAnswer }>(ops.updateUserStamp, vars, callOf(ctx))).updateUser;
        return send(ctx, 204, undefined, etagOf(stamp.version));
      } catch (err) {
        // Another write landed between our read and our write: apply the PATCH again to the new state.
        if (codeOf(err) === 'VERSION_MISMATCH' && !pinned) {
          if (attempt < PATCH_RETRIES) continue;
          // The client named no version: a 412 would blame a precondition it never set.
          throw new ScimError(409, 'The user was changed by other requests while this PATCH was applied; send it again.');
        }
        throw err;
      }
    }
  });

  router.delete('/Users/:id', async (ctx) => {
    const version = ctx.get('if-match') ? expectedVersion(ctx, (await load(ctx, ctx.params.id, false)).version) : undefined;
    await gateway.run(ops.deleteUser, { id: ctx.params.id, expectedVersion: version ?? null }, callOf(ctx));
    send(ctx, 204, undefined);
  });

  return router;
}

/**
 * The attributes a PATCH sets when nothing it does depends on the stored user: every operation a
 * `replace` (or an `add`, which replaces a singular attribute) of a whole singular simple core
 * attribute. Undefined otherwise, and for a body that does not parse (the usual path reports it).
 */
function stateFreeAttributes(body: unknown): string[] | undefined {
  try {
    const operations = normalisePatchBody('User', body);
    const names = new Set<string>();
    for (const o of operations) {
      if (o.op === 'remove' || o.target.kind !== 'attribute') return undefined;
      const { resolved, filter } = o.target;
      if (filter || resolved.extension || resolved.subAttribute || !STATE_FREE_ATTRIBUTES.has(resolved.attribute.name)) return undefined;
      names.add(resolved.attribute.name);
    }
    return names.size ? [...names] : undefined;
  } catch {
    return undefined;
  }
}
