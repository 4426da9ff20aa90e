import { getMetadataStorage } from 'type-graphql';
import { buildRosterSchema } from '../../src/graphql/schema.js';

/**
 * Every root field and every field resolver declares the roles allowed to use it; plain object
 * fields are reachable only through those, so nothing in the graph is readable without a role check.
 */
test('every query, mutation and field resolver is behind a role check', () => {
  const schema = buildRosterSchema();
  const storage = getMetadataStorage();
  const authorized = new Set(storage.authorizedFields.map((f) => `${f.target.name}.${f.fieldName}`));
  const resolvers = [...storage.queries, ...storage.mutations, ...storage.fieldResolvers];
  const unguarded = resolvers.map((r) => `${r.target.name}.${r.methodName}`).filter((k) => !authorized.has(k));
  expect(unguarded).toEqual([]);
  const rootFields = [...Object.keys(schema.getQueryType()!.getFields()), ...Object.keys(schema.getMutationType()!.getFields())];
  expect(rootFields.length).toBeGreaterThan(20);
});

/** A person signed in without a mapped role (USER) may read `viewer`, and the user it shows, and nothing else. */
test('only viewer is open to the USER role', () => {
  buildRosterSchema();
  const open = getMetadataStorage()
    .authorizedFields.filter((f) => (f.roles as string[]).includes('USER'))
    .map((f) => `${f.target.name}.${f.fieldName}`)
    .sort();
  expect(open).toEqual(['ViewerResolver.user', 'ViewerResolver.viewer']);
});

/** SAML connections and sessions are administration: OWNER and ADMIN only. */
test('SAML connections and sessions need OWNER or ADMIN', () => {
  buildRosterSchema();
  const roles = new Map(getMetadataStorage().authorizedFields.map((f) => [`${f.target.name}.${f.fieldName}`, [...(f.roles as string[])].sort()]));
  for (const field of ['samlServiceProvider', 'samlConnections', 'configureSaml', 'configureSamlManually', 'setSamlOptions', 'removeSaml'])
    expect([field, roles.get(`SamlResolver.${field}`)]).toEqual([field, ['ADMIN', 'OWNER']]);
  for (const field of ['sessions', 'revokeSession', 'user']) expect([field, roles.get(`SessionResolver.${field}`)]).toEqual([field, ['ADMIN', 'OWNER']]);
});

/**
 * Object types read their plain fields with graphql's default resolver (`simpleResolvers`: a
 * page of 100 users is 4,500 field reads, and type-graphql's wrapper per read was a fifth of the
 * import walk's GraphQL time). That resolver runs no role check, so a role may only sit on a
 * resolver's method, never on an object type's field: this fails if one is put there.
 */
test('roles are declared on resolvers only, never on plain object fields', () => {
  buildRosterSchema();
  const storage = getMetadataStorage();
  const resolverClasses = new Set(storage.resolverClasses.map((r) => r.target));
  const onObjectFields = storage.authorizedFields.filter((f) => !resolverClasses.has(f.target)).map((f) => `${f.target.name}.${f.fieldName}`);
  expect(onObjectFields).toEqual([]);
  // Only pages keep type-graphql's resolvers: their totalCount is a promise, which a plain read would not await.
  const wrapped = storage.objectTypes.filter((t) => t.simpleResolvers !== true).map((t) => t.name);
  expect(wrapped.filter((n) => !n.endsWith('Connection') && n !== 'AuditEventPage')).toEqual([]);
});
