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
