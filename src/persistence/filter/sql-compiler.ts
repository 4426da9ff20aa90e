import { InvalidFilter } from '../../domain/errors/domain-errors.js';
import { AttributeSpec, JsonSub, lookupAttribute, ResourceKind, ScalarType } from './attribute-table.js';
import { FilterOperator, FilterScalar, FilterTree } from '../../domain/filter/filter-tree.js';
import { escapeLike, frag, joinFrags, SqlFragment } from '../sql/fragment.js';

/** Caps that keep a hostile filter from producing a huge statement. */
const MAX_NODES = 200;
const MAX_DEPTH = 32;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** How one comparable thing is read in SQL: an expression plus its type and case rule. */
interface Operand {
  expr: string;
  type: ScalarType | 'booleanJson';
  caseExact: boolean;
  citext?: boolean;
}

/** Compiles a filter tree into a WHERE fragment over the resource's table aliased `r`. */
export function compileFilter(resource: ResourceKind, tree: FilterTree): SqlFragment {
  const state = { nodes: 0 };
  return compileNode(resource, tree, 0, state);
}

function compileNode(resource: ResourceKind, node: FilterTree, depth: number, state: { nodes: number }): SqlFragment {
  if (++state.nodes > MAX_NODES) throw new InvalidFilter(`The filter has more than ${MAX_NODES} parts.`);
  if (depth > MAX_DEPTH) throw new InvalidFilter(`The filter is nested more than ${MAX_DEPTH} levels deep.`);
  const keys = (['and', 'or', 'not', 'compare', 'any'] as const).filter((k) => node[k] !== undefined && node[k] !== null);
  if (keys.length !== 1) throw new InvalidFilter('Each filter node must set exactly one of and, or, not, compare, any.');
  if (node.and || node.or) {
    const list = (node.and ?? node.or)!;
    if (list.length === 0) throw new InvalidFilter('and / or need at least one operand.');
    const parts = list.map((n) => compileNode(resource, n, depth + 1, state));
    const j = joinFrags(parts, node.and ? ' and ' : ' or ');
    return frag(`(${j.sql})`, j.bindings);
  }
  if (node.not) {
    const inner = compileNode(resource, node.not, depth + 1, state);
    // coalesce: NOT of an unknown (NULL) comparison must be true, as in the RFC's two-valued logic.
    return frag(`not coalesce((${inner.sql}), false)`, inner.bindings);
  }
  if (node.compare) {
    const { path, op, value } = node.compare;
    const found = lookupAttribute(resource, path);
    if (!found) throw new InvalidFilter(`The attribute ${JSON.stringify(path)} cannot be filtered.`);
    return compileCompare(found.spec, found.sub, op, value ?? null, path);
  }
  const { path, where } = node.any!;
  const found = lookupAttribute(resource, path);
  if (!found || found.spec.kind === 'column' || found.sub) {
    throw new InvalidFilter(`${JSON.stringify(path)} is not a multi-valued attribute and cannot take a [value filter].`);
  }
  return compileAny(found.spec, where, depth, state);
}

/** A comparison on an attribute, or on one sub-attribute of a multi-valued one. */
function compileCompare(spec: AttributeSpec, sub: string | undefined, op: FilterOperator, value: FilterScalar, path: string): SqlFragment {
  if (spec.kind === 'column') return comparison({ expr: `r.${spec.column}`, ...spec }, op, value, path);
  const subName = (sub ?? spec.defaultSub).toLowerCase();
  if (spec.kind === 'jsonArray') {
    if (op === 'pr' && !sub) return frag(`jsonb_array_length(r.${spec.column}) > 0`);
    // emails.value eq "x": answered from the GIN-indexed array of lower-cased values.
    if (spec.valueIndexColumn && subName === 'value' && op === 'eq' && typeof value === 'string') {
      return frag(`r.${spec.valueIndexColumn} @> array[lower(?)]::text[]`, [value]);
    }
  }
  return compileAny(spec, { compare: { path: subName, op, value } }, 0, { nodes: 0 });
}

/** `attr[where]`: true when some element of the multi-valued attribute satisfies `where`. */
function compileAny(spec: Exclude<AttributeSpec, { kind: 'column' }>, where: FilterTree, depth: number, state: { nodes: number }): SqlFragment {
  if (spec.kind === 'jsonArray') {
    const inner = compileElement(
      where,
      (name) => {
        const s: JsonSub | undefined = spec.subs[name.toLowerCase()];
        if (!s) throw new InvalidFilter(`${JSON.stringify(name)} is not a sub-attribute of ${spec.column}.`);
        return { expr: `e.el->>'${jsonKey(name)}'`, ...s };
      },
      depth,
      state,
    );
    return frag(`exists (select 1 from jsonb_array_elements(r.${spec.column}) as e(el) where ${inner.sql})`, inner.bindings);
  }
  const inner = compileElement(
    where,
    (name) => {
      const s = spec.subs[name.toLowerCase()];
      if (!s) throw new InvalidFilter(`${JSON.stringify(name)} is not a sub-attribute of this multi-valued attribute.`);
      return { expr: `m.${s.column}`, type: s.type, caseExact: s.caseExact };
    },
    depth,
    state,
  );
  const link = spec.side === 'group' ? 'm.group_id = r.id' : 'm.member_id = r.id';
  return frag(`exists (select 1 from memberships m where ${link} and ${inner.sql})`, inner.bindings);
}

/** JSON keys keep their camelCase (postalCode); called only with names found in the table. */
function jsonKey(name: string): string {
  const camel: Record<string, string> = { streetaddress: 'streetAddress', postalcode: 'postalCode' };
  return camel[name.toLowerCase()] ?? name.toLowerCase();
}

/** Compiles the filter inside `[...]`, whose paths are sub-attribute names. */
function compileElement(node: FilterTree, operand: (name: string) => Operand, depth: number, state: { nodes: number }): SqlFragment {
  if (++state.nodes > MAX_NODES) throw new InvalidFilter(`The filter has more than ${MAX_NODES} parts.`);
  if (depth > MAX_DEPTH) throw new InvalidFilter(`The filter is nested more than ${MAX_DEPTH} levels deep.`);
  if (node.and || node.or) {
    const list = (node.and ?? node.or)!;
    if (list.length === 0) throw new InvalidFilter('and / or need at least one operand.');
    const j = joinFrags(
      list.map((n) => compileElement(n, operand, depth + 1, state)),
      node.and ? ' and ' : ' or ',
    );
    return frag(`(${j.sql})`, j.bindings);
  }
  if (node.not) {
    const inner = compileElement(node.not, operand, depth + 1, state);
    return frag(`not coalesce((${inner.sql}), false)`, inner.bindings);
  }
  if (node.compare) {
    const name = node.compare.path.includes('.') ? node.compare.path.slice(node.compare.path.lastIndexOf('.') + 1) : node.compare.path;
    return comparison(operand(name), node.compare.op, node.compare.value ?? null, node.compare.path);
  }
  throw new InvalidFilter('A value filter cannot contain another value filter.');
}

/** One operator applied to one operand, typed by the attribute. */
function comparison(o: Operand, op: FilterOperator, value: FilterScalar, path: string): SqlFragment {
  if (op === 'pr') {
    return o.type === 'string' || o.type === 'reference' ? frag(`(${o.expr} is not null and ${o.expr} <> '')`) : frag(`${o.expr} is not null`);
  }
  if (value === null) {
    if (op === 'eq') return frag(`${o.expr} is null`);
    if (op === 'ne') return frag(`${o.expr} is not null`);
    throw new InvalidFilter(`${op} cannot compare ${path} with null.`);
  }
  switch (o.type) {
    case 'boolean':
    case 'booleanJson':
      return booleanComparison(o, op, value, path);
    case 'dateTime':
      return dateComparison(o, op, value, path);
    case 'uuid':
      return uuidComparison(o, op, value, path);
    case 'string':
    case 'reference':
      return stringComparison(o, op, value, path);
  }
}

const ORDER_OPS: Record<string, string> = { gt: '>', ge: '>=', lt: '<', le: '<=' };

function stringComparison(o: Operand, op: FilterOperator, value: FilterScalar, path: string): SqlFragment {
  if (typeof value !== 'string') throw new InvalidFilter(`${path} is a string; compare it with a quoted value.`);
  // citext compares without regard to case by itself, and `=` then uses the unique index.
  const [lhs, rhs] = o.caseExact || o.citext ? [o.expr, '?'] : [`lower(${o.expr})`, 'lower(?)'];
  switch (op) {
    case 'eq':
      return frag(`${lhs} = ${rhs}`, [value]);
    case 'ne':
      return frag(`${lhs} is distinct from ${rhs}`, [value]);
    case 'co':
      return frag(`${lhs} like ${rhs} escape '\\'`, [`%${escapeLike(value)}%`]);
    case 'sw':
      return frag(`${lhs} like ${rhs} escape '\\'`, [`${escapeLike(value)}%`]);
    case 'ew':
      return frag(`${lhs} like ${rhs} escape '\\'`, [`%${escapeLike(value)}`]);
    default:
      return frag(`${lhs} ${ORDER_OPS[op]} ${rhs}`, [value]);
  }
}

function booleanComparison(o: Operand, op: FilterOperator, value: FilterScalar, path: string): SqlFragment {
  let b: boolean;
  if (typeof value === 'boolean') b = value;
  else if (typeof value === 'string' && /^(true|false)$/i.test(value)) b = value.toLowerCase() === 'true';
  else throw new InvalidFilter(`${path} is a boolean; compare it with true or false.`);
  if (op !== 'eq' && op !== 'ne') throw new InvalidFilter(`${op} does not apply to the boolean ${path}.`);
  const expr = o.type === 'booleanJson' ? `coalesce((${o.expr})::boolean, false)` : o.expr;
  return frag(op === 'eq' ? `${expr} = ?` : `${expr} is distinct from ?`, [b]);
}

function dateComparison(o: Operand, op: FilterOperator, value: FilterScalar, path: string): SqlFragment {
  if (typeof value !== 'string' || Number.isNaN(Date.parse(value))) {
    throw new InvalidFilter(`${path} is a dateTime; compare it with an ISO 8601 string.`);
  }
  const at = new Date(value).toISOString();
  if (op === 'eq') return frag(`${o.expr} = ?::timestamptz`, [at]);
  if (op === 'ne') return frag(`${o.expr} is distinct from ?::timestamptz`, [at]);
  if (ORDER_OPS[op]) return frag(`${o.expr} ${ORDER_OPS[op]} ?::timestamptz`, [at]);
  throw new InvalidFilter(`${op} does not apply to the dateTime ${path}.`);
}

function uuidComparison(o: Operand, op: FilterOperator, value: FilterScalar, path: string): SqlFragment {
  if (typeof value !== 'string') throw new InvalidFilter(`${path} is a string; compare it with a quoted value.`);
  if (op === 'eq' || op === 'ne') {
    // Ids are uuids: any other string names no resource, which is an answer, not an error.
    if (!UUID.test(value)) return frag(op === 'eq' ? 'false' : 'true');
    return frag(op === 'eq' ? `${o.expr} = ?::uuid` : `${o.expr} <> ?::uuid`, [value.toLowerCase()]);
  }
  return stringComparison({ ...o, expr: `${o.expr}::text`, caseExact: false }, op, value, path);
}
