import Router from '@koa/router';
import type Koa from 'koa';
import type { FilterTree, ResourceKind } from '../filter/filter-tree.js';
import { ScimError } from '../errors.js';
import type { FilterNode } from '../filter/ast.js';
import { parseFilter } from '../filter/parser.js';
import { UnreachableCaseError } from '../filter/unreachable.js';
import { jsonBody, LIST_URN, send } from '../http.js';
import { projector } from '../schema/index.js';
import { callOf, ScimDeps } from './context.js';
import { listOperation } from '../operations.js';
import type { GraphGroup, GraphUser } from './graph-types.js';
import { MEMBER_LIMIT } from './groups.js';
import { toScimGroup } from './group-mapper.js';
import { graphFilter, ListRequest, parseListParams, RawListParams, translateAst, wants } from './list-params.js';
import { toScimUser } from './user-mapper.js';

const KINDS: readonly ResourceKind[] = ['User', 'Group'];

type Page = { totalCount: number; nodes: Record<string, unknown>[] };
type Leaf = Exclude<FilterNode, { kind: 'and' | 'or' | 'not' }>;

/** Whether a type's schema defines every attribute a comparison names. */
function knows(kind: ResourceKind, leaf: Leaf): boolean {
  try {
    translateAst(kind, leaf);
    return true;
  } catch (err) {
    if (err instanceof ScimError && err.scimType === 'invalidFilter') return false;
    throw err;
  }
}

/**
 * The filter as one type reads it. RFC 7644 §3.4.2: an attribute a type does not define has no
 * value there, so presence and equality on it are false (and `ne` true); constants are folded
 * away. `false` means no resource of the type can match, `true` that every one does.
 */
function foldFor(kind: ResourceKind, node: FilterNode): FilterNode | boolean {
  switch (node.kind) {
    case 'and':
    case 'or': {
      const l = foldFor(kind, node.left);
      const r = foldFor(kind, node.right);
      const absorbing = node.kind === 'or';
      if (l === absorbing || r === absorbing) return absorbing;
      if (typeof l === 'boolean') return r;
      if (typeof r === 'boolean') return l;
      return { kind: node.kind, left: l, right: r };
    }
    case 'not': {
      const f = foldFor(kind, node.filter);
      return typeof f === 'boolean' ? !f : { kind: 'not', filter: f };
    }
    case 'compare':
    case 'present':
    case 'valuePath':
      return knows(kind, node) ? node : node.kind === 'compare' && node.op === 'ne';
    default:
      throw new UnreachableCaseError(node);
  }
}

/** Every comparison must name an attribute of at least one type: otherwise 400 invalidFilter, as on /Users. */
function checkKnownSomewhere(node: FilterNode): void {
  if (node.kind === 'and' || node.kind === 'or') {
    checkKnownSomewhere(node.left);
    checkKnownSomewhere(node.right);
  } else if (node.kind === 'not') checkKnownSomewhere(node.filter);
  else if (!KINDS.some((k) => knows(k, node))) translateAst('User', node);
}

/**
 * POST /.search at the root (RFC 7644 §3.4.3): the filter is applied to Users and to Groups, the
 * results are concatenated (Users first, each in its own stable order) and paged as one list.
 */
export function searchRoutes(deps: ScimDeps): Router {
  const { gateway, ops, baseUrl } = deps;
  const router = new Router();

  const fetch = async (ctx: Koa.Context, kind: ResourceKind, req: ListRequest, filter: FilterTree | undefined, offset: number, limit: number): Promise<Page> => {
    const listed = listOperation(ops, kind, graphFilter(filter));
    const vars = { ...listed.filterVars, orderBy: null, offset, limit };
    if (kind === 'User') {
      const data = await gateway.run<{ users: { totalCount: number; nodes: GraphUser[] } }>(listed.op, { ...vars, withGroups: wants('groups', req) }, callOf(ctx));
      const toResource = projector('User', req);
      return { totalCount: data.users.totalCount, nodes: data.users.nodes.map((u) => toResource(toScimUser(u, baseUrl))) };
    }
    const data = await gateway.run<{ groups: { totalCount: number; nodes: GraphGroup[] } }>(listed.op, { ...vars, withMembers: wants('members', req), memberLimit: MEMBER_LIMIT }, callOf(ctx));
    const toResource = projector('Group', req);
    return { totalCount: data.groups.totalCount, nodes: data.groups.nodes.map((g) => toResource(toScimGroup(g, baseUrl))) };
  };

  router.post('/.search', async (ctx) => {
    const raw = jsonBody(ctx) as RawListParams;
    if (raw.sortBy !== undefined && raw.sortBy !== null && raw.sortBy !== '') {
      throw new ScimError(400, 'The root search does not sort across resource types; sort with /Users/.search or /Groups/.search.', 'invalidValue');
    }
    if (raw.filter !== undefined && raw.filter !== null && typeof raw.filter !== 'string') throw new ScimError(400, 'filter must be a string.', 'invalidFilter');
    const ast = raw.filter ? parseFilter(raw.filter) : undefined;
    if (ast) checkKnownSomewhere(ast);
    const req = parseListParams('User', { ...raw, filter: undefined });
    const offset = req.startIndex - 1;

    // Users first, then as many groups as the page still has room for; each count is exact.
    const pages: Page[] = [];
    let skipped = 0;
    for (const kind of KINDS) {
      const folded = ast ? foldFor(kind, ast) : true;
      if (folded === false) continue;
      const filter = folded === true ? undefined : translateAst(kind, folded);
      const room = req.count - pages.reduce((n, p) => n + p.nodes.length, 0);
      const page = await fetch(ctx, kind, req, filter, Math.max(0, offset - skipped), room);
      skipped += page.totalCount;
      pages.push(page);
    }
    const resources = pages.flatMap((p) => p.nodes);
    const totalResults = pages.reduce((n, p) => n + p.totalCount, 0);
    send(ctx, 200, { schemas: [LIST_URN], totalResults, startIndex: req.startIndex, itemsPerPage: resources.length, Resources: resources });
  });

  return router;
}
