import type { Gateway, PreparedOperation } from './gateway.js';

const MULTI = '{ value display type primary }';
const USER_FIELDS = `
  id userName externalId active
  name { formatted familyName givenName middleName honorificPrefix honorificSuffix }
  displayName nickName profileUrl title userType preferredLanguage locale timezone
  emails ${MULTI} phoneNumbers ${MULTI} ims ${MULTI} photos ${MULTI}
  addresses { formatted streetAddress locality region postalCode country type primary }
  entitlements ${MULTI} roles ${MULTI} x509Certificates ${MULTI}
  enterprise { employeeNumber costCenter organization division department manager { value displayName } }
  staticIp macAddress created lastModified version
  groups(first: 10000) @include(if: $withGroups) { id displayName }`;

const GROUP_FIELDS = `
  id displayName externalId created lastModified version
  members(offset: 0, limit: $memberLimit) @include(if: $withMembers) { nodes { id type display } }`;

/** The GraphQL documents the facade runs, parsed and validated against the schema once, at start. */
const SOURCES = {
  getUser: `query GetUser($id: ID!, $withGroups: Boolean!) { user(id: $id) { ${USER_FIELDS} } }`,
  listUsers: `query ListUsers($filter: FilterInput, $orderBy: OrderByInput, $offset: Int!, $limit: Int!, $withGroups: Boolean!) {
    users(filter: $filter, orderBy: $orderBy, offset: $offset, limit: $limit) { totalCount nodes { ${USER_FIELDS} } } }`,
  // The same list with one comparison, or none: documents graphql-jit can compile (the recursive
  // FilterInput variable of listUsers it cannot). IdPs' lookups (userName eq "…") take this path.
  listUsersCompare: `query ListUsersCompare($compare: CompareInput!, $orderBy: OrderByInput, $offset: Int!, $limit: Int!, $withGroups: Boolean!) {
    users(filter: { compare: $compare }, orderBy: $orderBy, offset: $offset, limit: $limit) { totalCount nodes { ${USER_FIELDS} } } }`,
  listUsersAll: `query ListUsersAll($orderBy: OrderByInput, $offset: Int!, $limit: Int!, $withGroups: Boolean!) {
    users(orderBy: $orderBy, offset: $offset, limit: $limit) { totalCount nodes { ${USER_FIELDS} } } }`,
  createUser: `mutation CreateUser($input: UserInputType!, $ignored: [String!], $withGroups: Boolean!) { createUser(input: $input, ignoredAttributes: $ignored) { ${USER_FIELDS} } }`,
  replaceUser: `mutation ReplaceUser($id: ID!, $input: UserInputType!, $expectedVersion: Int, $ignored: [String!], $withGroups: Boolean!) {
    replaceUser(id: $id, input: $input, expectedVersion: $expectedVersion, ignoredAttributes: $ignored) { ${USER_FIELDS} } }`,
  updateUser: `mutation UpdateUser($id: ID!, $input: UserInputType!, $expectedVersion: Int, $ignored: [String!], $withGroups: Boolean!) {
    updateUser(id: $id, input: $input, expectedVersion: $expectedVersion, ignoredAttributes: $ignored) { ${USER_FIELDS} } }`,
  // A PATCH answered 204 sends only the new ETag: asking for nothing else, the write reads back
  // nothing else (the resolver sees the selection; see selectsOnly).
  updateUserStamp: `mutation UpdateUserStamp($id: ID!, $input: UserInputType!, $expectedVersion: Int, $ignored: [String!]) {
    updateUser(id: $id, input: $input, expectedVersion: $expectedVersion, ignoredAttributes: $ignored) { id version } }`,
  deleteUser: `mutation DeleteUser($id: ID!, $expectedVersion: Int) { deleteUser(id: $id, expectedVersion: $expectedVersion) }`,
  getGroup: `query GetGroup($id: ID!, $withMembers: Boolean!, $memberLimit: Int!) { group(id: $id) { ${GROUP_FIELDS} } }`,
  listGroups: `query ListGroups($filter: FilterInput, $orderBy: OrderByInput, $offset: Int!, $limit: Int!, $withMembers: Boolean!, $memberLimit: Int!) {
    groups(filter: $filter, orderBy: $orderBy, offset: $offset, limit: $limit) { totalCount nodes { ${GROUP_FIELDS} } } }`,
  listGroupsCompare: `query ListGroupsCompare($compare: CompareInput!, $orderBy: OrderByInput, $offset: Int!, $limit: Int!, $withMembers: Boolean!, $memberLimit: Int!) {
    groups(filter: { compare: $compare }, orderBy: $orderBy, offset: $offset, limit: $limit) { totalCount nodes { ${GROUP_FIELDS} } } }`,
  listGroupsAll: `query ListGroupsAll($orderBy: OrderByInput, $offset: Int!, $limit: Int!, $withMembers: Boolean!, $memberLimit: Int!) {
    groups(orderBy: $orderBy, offset: $offset, limit: $limit) { totalCount nodes { ${GROUP_FIELDS} } } }`,
  createGroup: `mutation CreateGroup($input: GroupInputType!, $ignored: [String!], $withMembers: Boolean!, $memberLimit: Int!) { createGroup(input: $input, ignoredAttributes: $ignored) { ${GROUP_FIELDS} } }`,
  replaceGroup: `mutation ReplaceGroup($id: ID!, $input: GroupInputType!, $expectedVersion: Int, $ignored: [String!], $withMembers: Boolean!, $memberLimit: Int!) {
    replaceGroup(id: $id, input: $input, expectedVersion: $expectedVersion, ignoredAttributes: $ignored) { ${GROUP_FIELDS} } }`,
  updateGroup: `mutation UpdateGroup($id: ID!, $input: GroupChangeInput!, $expectedVersion: Int, $ignored: [String!], $withMembers: Boolean!, $memberLimit: Int!) {
    updateGroup(id: $id, input: $input, expectedVersion: $expectedVersion, ignoredAttributes: $ignored) { ${GROUP_FIELDS} } }`,
  deleteGroup: `mutation DeleteGroup($id: ID!, $expectedVersion: Int) { deleteGroup(id: $id, expectedVersion: $expectedVersion) }`,
} as const;

/** Names of the facade's operations. */
export type OperationName = keyof typeof SOURCES;

/** Every operation, prepared. */
export type Operations = Record<OperationName, PreparedOperation>;

/** Prepares every document; a document that does not match the schema stops the start. */
export function prepareOperations(gateway: Gateway): Operations {
  return Object.fromEntries(Object.entries(SOURCES).map(([name, source]) => [name, gateway.prepare(name, source)])) as Operations;
}

/**
 * The list operation for a filter, and its variables: the compiled single-comparison or unfiltered
 * document where the filter allows it, else the general one. Same results either way.
 */
export function listOperation(ops: Operations, kind: 'User' | 'Group', filter: Record<string, unknown> | null): { op: PreparedOperation; filterVars: Record<string, unknown> } {
  const [general, compare, all] = kind === 'User' ? [ops.listUsers, ops.listUsersCompare, ops.listUsersAll] : [ops.listGroups, ops.listGroupsCompare, ops.listGroupsAll];
  if (filter === null) return { op: all, filterVars: {} };
  const keys = Object.keys(filter);
  if (keys.length === 1 && keys[0] === 'compare') return { op: compare, filterVars: { compare: filter.compare } };
  return { op: general, filterVars: { filter } };
}
