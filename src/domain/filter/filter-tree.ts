/**
 * The directory's filter tree: what the GraphQL `FilterInput` carries and what the SQL compiler
 * executes. It is deliberately close to the SCIM filter grammar so that every SCIM filter maps
 * onto it one to one, but it is the domain's own type: GraphQL clients write it directly.
 *
 * Paths are dotted attribute paths, resolved case-insensitively against the resource's declared
 * attribute table (src/domain/filter/attribute-table.ts):
 *   "userName", "name.familyName", "emails.value" (any element), "meta.lastModified",
 *   "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber",
 *   "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value", "members.value".
 * Inside `any.where`, paths are sub-attribute names of the multi-valued attribute ("type", "value").
 */

export type FilterOperator = 'eq' | 'ne' | 'co' | 'sw' | 'ew' | 'gt' | 'ge' | 'lt' | 'le' | 'pr';

export type FilterScalar = string | number | boolean | null;

/** Exactly one key is set in each node. */
export interface FilterTree {
  and?: FilterTree[];
  or?: FilterTree[];
  not?: FilterTree;
  /** A comparison; `value` is ignored for `pr`. */
  compare?: { path: string; op: FilterOperator; value?: FilterScalar };
  /** True when some element of the multi-valued attribute `path` matches `where`. */
  any?: { path: string; where: FilterTree };
}
