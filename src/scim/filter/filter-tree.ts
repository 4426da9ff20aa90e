/**
 * The filter tree a SCIM filter translates to, node for node: the same shape as GraphQL's
 * `FilterInput`, which `graphFilter` turns it into. Declared here so the facade depends on
 * GraphQL's contract, never on the directory's own types.
 */
export type FilterOperator = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le' | 'pr';

/** A comparison value. */
export type FilterScalar = string | number | boolean | null;

/** Exactly one key is set in each node. */
export interface FilterTree {
  and?: FilterTree[];
  or?: FilterTree[];
  not?: FilterTree;
  compare?: { path: string; op: FilterOperator; value?: FilterScalar };
  any?: { path: string; where: FilterTree };
}

/** The resources the facade lists. */
export type ResourceKind = 'User' | 'Group';
