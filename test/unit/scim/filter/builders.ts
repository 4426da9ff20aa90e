import type { AttrPath, CompareOp, FilterLiteral, FilterNode } from '../../../../src/scim/filter/ast.js';

/** `"urn:…:User:name.familyName"` → AttrPath, split independently of the lexer under test. */
export function path(text: string): AttrPath {
  const colon = text.lastIndexOf(':');
  const [attr, sub] = text.slice(colon + 1).split('.');
  const result: AttrPath = { attr };
  if (colon >= 0) result.urn = text.slice(0, colon);
  if (sub !== undefined) result.sub = sub;
  return result;
}

/** Any comparison node. */
export function cmp(op: CompareOp, attr: string, value: FilterLiteral): FilterNode {
  return { kind: 'compare', path: path(attr), op, value };
}

/** `attr eq value`. */
export const eq = (attr: string, value: FilterLiteral): FilterNode => cmp('eq', attr, value);
/** `attr ne value`. */
export const ne = (attr: string, value: FilterLiteral): FilterNode => cmp('ne', attr, value);
/** `attr co value`. */
export const co = (attr: string, value: FilterLiteral): FilterNode => cmp('co', attr, value);
/** `attr sw value`. */
export const sw = (attr: string, value: FilterLiteral): FilterNode => cmp('sw', attr, value);

/** `attr pr`. */
export function pr(attr: string): FilterNode {
  return { kind: 'present', path: path(attr) };
}

/** Left-associative `and`, as the parser builds it: and(a, b, c) = (a and b) and c. */
export function and(first: FilterNode, ...rest: FilterNode[]): FilterNode {
  return rest.reduce((left, right) => ({ kind: 'and', left, right }), first);
}

/** Left-associative `or`. */
export function or(first: FilterNode, ...rest: FilterNode[]): FilterNode {
  return rest.reduce((left, right) => ({ kind: 'or', left, right }), first);
}

/** `not (filter)`. */
export function not(filter: FilterNode): FilterNode {
  return { kind: 'not', filter };
}

/** `attr[filter]`. */
export function vp(attr: string, filter: FilterNode): FilterNode {
  return { kind: 'valuePath', path: path(attr), filter };
}
