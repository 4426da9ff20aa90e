import type { AttrPath, CompareOp, FilterLiteral, FilterNode } from './ast.js';
import { UnreachableCaseError } from './unreachable.js';

/** Options of matchesFilter. */
export interface MatchOptions {
  /**
   * Whether string comparisons on an attribute are case-sensitive (RFC 7643 §2.2 caseExact);
   * default: not. Receives the dotted name as written, relative to the object evaluated
   * ('value', 'name.givenName'; 'emails.value' for the inside of `emails[...]`), without URN.
   */
  caseExact?: (subAttr: string) => boolean;
}

/**
 * Evaluates a filter in memory against one JSON object, typically an element of a multi-valued
 * attribute for a PATCH path like `emails[type eq "work"]` (RFC 7644 §3.5.2).
 */
export function matchesFilter(node: FilterNode, element: unknown, opts: MatchOptions = {}): boolean {
  return evaluate(node, element, opts, '');
}

function evaluate(node: FilterNode, target: unknown, opts: MatchOptions, prefix: string): boolean {
  switch (node.kind) {
    case 'compare': {
      const exact = opts.caseExact?.(prefix + nameOf(node.path)) ?? false;
      return compareAttribute(lookup(target, node.path), node.op, node.value, exact);
    }
    case 'present':
      return lookup(target, node.path).some(isPresent);
    case 'and':
      return evaluate(node.left, target, opts, prefix) && evaluate(node.right, target, opts, prefix);
    case 'or':
      return evaluate(node.left, target, opts, prefix) || evaluate(node.right, target, opts, prefix);
    case 'not':
      return !evaluate(node.filter, target, opts, prefix);
    case 'valuePath': {
      const inner = `${prefix}${nameOf(node.path)}.`;
      return lookup(target, node.path).some((element) => evaluate(node.filter, element, opts, inner));
    }
    default:
      throw new UnreachableCaseError(node);
  }
}

/**
 * The values an attribute path designates, multi-valued attributes expanded: `emails.value` on a
 * resource yields every email's value. Names match keys case-insensitively (RFC 7643 §2.1).
 */
function lookup(target: unknown, path: AttrPath): unknown[] {
  let base = target;
  if (path.urn !== undefined) {
    // Extension attributes sit under their schema URN (RFC 7643 §3.3); core ones at the top level.
    const extension = getKey(target, path.urn);
    if (extension !== undefined) base = extension;
  }
  const values = expand(getKey(base, path.attr));
  const sub = path.sub;
  return sub === undefined ? values : values.flatMap((value) => expand(getKey(value, sub)));
}

function getKey(target: unknown, name: string): unknown {
  if (!isObject(target)) return undefined;
  if (Object.hasOwn(target, name)) return target[name];
  const lower = name.toLowerCase();
  const key = Object.keys(target).find((k) => k.toLowerCase() === lower);
  return key === undefined ? undefined : target[key];
}

function expand(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/**
 * "ne" is the negation of "eq" over the whole attribute; the other operators match when any value
 * matches (RFC 7644 §3.4.2.2: a multi-valued attribute matches if any of its values match).
 */
function compareAttribute(values: unknown[], op: CompareOp, expected: FilterLiteral, exact: boolean): boolean {
  if (op === 'ne') return !compareAttribute(values, 'eq', expected, exact);
  // Unassigned, null and empty are the same state (RFC 7643 §2.5), so `eq null` means "has no value".
  if (expected === null) return op === 'eq' && values.every((value) => value === null);
  return values.some((value) => compareValue(unwrap(value), op, expected, exact));
}

/** `emails co "example.com"` compares each element's `value` (RFC 7644 §3.4.2.2 examples). */
function unwrap(value: unknown): unknown {
  return isObject(value) && Object.hasOwn(value, 'value') ? value['value'] : value;
}

function compareValue(actual: unknown, op: Exclude<CompareOp, 'ne'>, expected: string | number | boolean, exact: boolean): boolean {
  if (typeof actual === 'string' && typeof expected === 'string') {
    return compareStrings(exact ? actual : actual.toLowerCase(), op, exact ? expected : expected.toLowerCase());
  }
  if (typeof actual === 'number' && typeof expected === 'number') {
    return compareOrdered(actual, op, expected);
  }
  // Booleans have no order, so only equality applies to them.
  return op === 'eq' && typeof actual === 'boolean' && actual === expected;
}

function compareStrings(actual: string, op: Exclude<CompareOp, 'ne'>, expected: string): boolean {
  switch (op) {
    case 'co':
      return actual.includes(expected);
    case 'sw':
      return actual.startsWith(expected);
    case 'ew':
      return actual.endsWith(expected);
    case 'eq':
    case 'gt':
    case 'ge':
    case 'lt':
    case 'le':
      // Code-unit order: lexicographic, and chronological for same-format dateTimes (RFC 7644 §3.4.2.2).
      return compareOrdered(actual, op, expected);
    default:
      throw new UnreachableCaseError(op);
  }
}

function compareOrdered<T extends string | number>(actual: T, op: Exclude<CompareOp, 'ne'>, expected: T): boolean {
  switch (op) {
    case 'eq':
      return actual === expected;
    case 'gt':
      return actual > expected;
    case 'ge':
      return actual >= expected;
    case 'lt':
      return actual < expected;
    case 'le':
      return actual <= expected;
    case 'co':
    case 'sw':
    case 'ew':
      // Substring operators apply to strings only.
      return false;
    default:
      throw new UnreachableCaseError(op);
  }
}

/** "pr": a value other than null, "" or an empty array / complex value (RFC 7644 §3.4.2.2). */
function isPresent(value: unknown): boolean {
  if (value === undefined || value === null || value === '') return false;
  if (Array.isArray(value)) return value.some(isPresent);
  if (isObject(value)) return Object.values(value).some(isPresent);
  return true;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function nameOf(path: AttrPath): string {
  return path.sub === undefined ? path.attr : `${path.attr}.${path.sub}`;
}
