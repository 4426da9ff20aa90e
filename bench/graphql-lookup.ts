/**
 * The GraphQL form of the bench's lookup (issue: the same lookup as a GraphQL query over HTTP, with
 * variables): sent to Roster and answered by the floor, which knows this document alone.
 */
export const GRAPHQL_LOOKUP = 'query Lookup($u: FilterValue) { users(filter: {compare: {path: "userName", op: EQ, value: $u}}, limit: 1) { nodes { id userName } } }';
