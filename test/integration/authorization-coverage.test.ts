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
