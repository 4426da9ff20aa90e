import type { FilterTree, ResourceKind } from '../filter/filter-tree.js';
import { ScimError } from '../errors.js';
import type { FilterNode } from '../filter/ast.js';
import { parseFilter } from '../filter/parser.js';
import { toFilterTree } from '../filter/to-filter-tree.js';
import { canonicalPath, UnknownAttributeError } from '../schema/index.js';
import { parseAttrPath } from '../filter/lexer.js';

/** The page size Roster advertises (ServiceProviderConfig filter.maxResults). */
export const MAX_RESULTS = 1000;
/** Page size when the client names none. */
export const DEFAULT_COUNT = 100;

/** A list request after RFC 7644 §3.4.2 rules are applied. */
export interface ListRequest {
  filter?: FilterTree;
  sortBy?: string;
  sortOrder: 'ASC' | 'DESC';
  startIndex: number;
  count: number;
  attributes?: string[];
  excludedAttributes?: string[];
}

/** Raw parameters from a query string or a /.search body. */
export interface RawListParams {
  filter?: unknown;
  sortBy?: unknown;
  sortOrder?: unknown;
  startIndex?: unknown;
  count?: unknown;
  attributes?: unknown;
  excludedAttributes?: unknown;
}

/**
 * Splits `attributes=a,b` (query) or takes a list (.search body). Each name must be an attribute
 * name in RFC 7644 §3.10 notation (`name.givenName`, `urn:…:User:manager`, a schema URN): anything
 * else, a value filter such as `emails[type eq "work"]` above all, is a 400 invalidValue rather than
 * silently matching nothing. Well-formed names the schemas do not know are ignored.
 */
export function attrList(v: unknown, parameter: 'attributes' | 'excludedAttributes'): string[] | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string' && !(Array.isArray(v) && v.every((s) => typeof s === 'string'))) {
    throw new ScimError(400, `${parameter} must be a comma-separated string or a list of attribute names.`, 'invalidValue');
  }
  const parts = (typeof v === 'string' ? [v] : v).flatMap((s) => s.split(','));
  const out = parts.map((s) => s.trim()).filter(Boolean);
  for (const name of out) {
    try {
      parseAttrPath(name);
    } catch {
      throw new ScimError(400, `${parameter} lists ${JSON.stringify(name)}, which is not an attribute name; value filters are not allowed there.`, 'invalidValue');
    }
  }
  return out.length ? out : undefined;
}

function integer(name: string, v: unknown): number | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  const n = typeof v === 'number' ? v : Number(String(v).trim());
  if (!Number.isFinite(n) || !Number.isInteger(n)) throw new ScimError(400, `${name} must be an integer.`, 'invalidValue');
  return n;
}

/** Translates a SCIM filter string into the domain filter tree; unknown attributes are invalidFilter. */
export function translateFilter(resource: ResourceKind, filter: string): FilterTree {
  return translateAst(resource, parseFilter(filter));
}

/** Translates a parsed filter into the domain filter tree; unknown attributes are invalidFilter. */
export function translateAst(resource: ResourceKind, ast: FilterNode): FilterTree {
  try {
    return toFilterTree(ast, {
      resolve: (path) => canonicalPath(resource, path),
      resolveSub: (parent, sub) => {
        // inner paths of attr[...] are sub-attributes of the parent: check them against the schema
        const head = parseAttrPath(parent);
        canonicalPath(resource, { ...head, sub: sub.attr });
        return sub.attr;
      },
    });
  } catch (err) {
    if (err instanceof UnknownAttributeError) throw new ScimError(400, `Invalid filter: ${err.detail}`, 'invalidFilter');
    throw err;
  }
}

/**
 * Largest startIndex passed on: GraphQL's Int is 32-bit, and no directory holds that many rows, so
 * a larger one is an empty page like any other past the end (not a GraphQL variable error, a 500).
 */
const MAX_START_INDEX = 2 ** 31 - 1;

/** Applies RFC 7644 §3.4.2.4 paging rules: startIndex below 1 means 1; count below 0 means 0, above the max is capped. */
export function parseListParams(resource: ResourceKind, raw: RawListParams): ListRequest {
  const startIndex = Math.min(MAX_START_INDEX, Math.max(1, integer('startIndex', raw.startIndex) ?? 1));
  const count = Math.min(MAX_RESULTS, Math.max(0, integer('count', raw.count) ?? DEFAULT_COUNT));
  const order = raw.sortOrder === undefined || raw.sortOrder === '' ? 'ascending' : String(raw.sortOrder).toLowerCase();
  if (order !== 'ascending' && order !== 'descending') throw new ScimError(400, 'sortOrder must be "ascending" or "descending".', 'invalidValue');
  let sortBy: string | undefined;
  if (raw.sortBy !== undefined && raw.sortBy !== '') {
    try {
      sortBy = canonicalPath(resource, parseAttrPath(String(raw.sortBy)));
    } catch {
      throw new ScimError(400, `Cannot sort by ${JSON.stringify(raw.sortBy)}.`, 'invalidValue');
    }
  }
  let filter: FilterTree | undefined;
  if (raw.filter !== undefined && raw.filter !== '') {
    if (typeof raw.filter !== 'string') throw new ScimError(400, 'filter must be a string.', 'invalidFilter');
    filter = translateFilter(resource, raw.filter);
  }
  return {
    filter,
    sortBy,
    sortOrder: order === 'descending' ? 'DESC' : 'ASC',
    startIndex,
    count,
    attributes: attrList(raw.attributes, 'attributes'),
    excludedAttributes: attrList(raw.excludedAttributes, 'excludedAttributes'),
  };
}

/** Whether a projection asks for an attribute (used to skip reading members or groups). */
export function wants(name: string, req: { attributes?: readonly string[]; excludedAttributes?: readonly string[] }): boolean {
  const n = name.toLowerCase();
  const matches = (a: string) => {
    const x = a.toLowerCase();
    return x === n || x.startsWith(`${n}.`) || x.endsWith(`:${n}`) || x.includes(`:${n}.`);
  };
  if (req.attributes?.length) return req.attributes.some(matches);
  return !(req.excludedAttributes ?? []).some(matches);
}

/** The domain filter tree as the GraphQL FilterInput variable (operators are enum names there). */
export function graphFilter(t: FilterTree | undefined): Record<string, unknown> | null {
  if (!t) return null;
  if (t.and) return { and: t.and.map(graphFilter) };
  if (t.or) return { or: t.or.map(graphFilter) };
  if (t.not) return { not: graphFilter(t.not) };
  if (t.compare) return { compare: { path: t.compare.path, op: t.compare.op.toUpperCase(), value: t.compare.value ?? null } };
  return { any: { path: t.any!.path, where: graphFilter(t.any!.where) } };
}
