import type { FilterTree } from './filter-tree.js';
import type { AttrPath, FilterNode } from './ast.js';
import { UnreachableCaseError } from './unreachable.js';

/**
 * Turns written attribute paths into the domain's canonical dotted paths. Supplied by the caller,
 * who checks names against the schema and throws for unknown attributes (400 invalidFilter).
 */
export interface PathResolver {
  /** A top-level path: `userName`, `name.familyName`, `urn:…:enterprise:2.0:User:manager.value`. */
  resolve(path: AttrPath): string;
  /** A path inside `parent[...]`, relative to the element: `type` in `emails[type eq "work"]`. */
  resolveSub(parent: string, sub: AttrPath): string;
}

/** Translates a SCIM filter AST into the domain FilterTree, one node for one node (no DNF). */
export function toFilterTree(node: FilterNode, resolver: PathResolver): FilterTree {
  switch (node.kind) {
    case 'compare':
      return { compare: { path: resolver.resolve(node.path), op: node.op, value: node.value } };
    case 'present':
      return { compare: { path: resolver.resolve(node.path), op: 'pr' } };
    case 'and':
      return { and: chain(node, 'and').map((child) => toFilterTree(child, resolver)) };
    case 'or':
      return { or: chain(node, 'or').map((child) => toFilterTree(child, resolver)) };
    case 'not':
      return { not: toFilterTree(node.filter, resolver) };
    case 'valuePath': {
      const parent = resolver.resolve(node.path);
      // Inside the brackets every path is relative to an element of `parent` (RFC 7644 §3.4.2.2).
      const inner: PathResolver = {
        resolve: (sub) => resolver.resolveSub(parent, sub),
        resolveSub: (innerParent, sub) => resolver.resolveSub(innerParent, sub),
      };
      return { any: { path: parent, where: toFilterTree(node.filter, inner) } };
    }
    default:
      throw new UnreachableCaseError(node);
  }
}

/**
 * The operands of a run of the same associative operator, in order: `a and b and c` becomes one
 * `and` of three. Merging a run is not normalisation; mixed operators keep their nesting.
 */
function chain(node: FilterNode, kind: 'and' | 'or'): FilterNode[] {
  const operands: FilterNode[] = [];
  const stack: FilterNode[] = [node];
  while (stack.length > 0) {
    const current = stack.pop() as FilterNode;
    if (current.kind === kind) {
      stack.push(current.right, current.left);
    } else {
      operands.push(current);
    }
  }
  return operands;
}
