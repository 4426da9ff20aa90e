import { buildRosterSchema } from '../../../src/graphql/schema.js';
import { createGateway } from '../../../src/scim/gateway.js';
import { listOperation, prepareOperations } from '../../../src/scim/operations.js';

/**
 * The facade's documents run compiled (graphql-jit) except the general filtered lists, whose
 * recursive FilterInput variable graphql-jit cannot compile; IdPs' usual lookup (one comparison)
 * and unfiltered pages take compiled documents.
 */
const ops = prepareOperations(createGateway(buildRosterSchema(), { context: () => ({}) as never }));

test('every document but the general filtered lists is compiled', () => {
  const interpreted = Object.entries(ops)
    .filter(([, op]) => !op.compiled)
    .map(([name]) => name)
    .sort();
  expect(interpreted).toEqual(['listGroups', 'listUsers']);
});

test('a single comparison and no filter choose the compiled lists; anything else the general one', () => {
  const compare = { compare: { path: 'userName', op: 'EQ', value: 'a' } };
  expect(listOperation(ops, 'User', compare)).toEqual({ op: ops.listUsersCompare, filterVars: compare });
  expect(listOperation(ops, 'User', null)).toEqual({ op: ops.listUsersAll, filterVars: {} });
  const and = { and: [compare, compare] };
  expect(listOperation(ops, 'User', and)).toEqual({ op: ops.listUsers, filterVars: { filter: and } });
  expect(listOperation(ops, 'Group', compare).op).toBe(ops.listGroupsCompare);
});
