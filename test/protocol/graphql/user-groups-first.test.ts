import { createTestApp, type TestApp } from '../../support/app.js';

/** User.groups returns at most `first` groups, and a query is charged for what it asks. */
let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

test('groups(first:) bounds the list; out of range is INVALID_VALUE; a large fan-out is refused by cost', async () => {
  const user = (await app.ok<{ createUser: { id: string } }>('mutation { createUser(input: { userName: "member-of-three" }) { id } }')).createUser.id;
  for (const name of ['a-group', 'b-group', 'c-group']) {
    const g = (await app.ok<{ createGroup: { id: string } }>('mutation($n: String!) { createGroup(input: { displayName: $n }) { id } }', { n: name })).createGroup.id;
    await app.ok('mutation($g: ID!, $u: ID!) { addGroupMembers(id: $g, members: [{ id: $u }]) { id } }', { g, u: user });
  }
  const q = 'query($id: ID!, $n: Int!) { user(id: $id) { groups(first: $n) { displayName } } }';
  expect((await app.ok<{ user: { groups: unknown[] } }>(q, { id: user, n: 2 })).user.groups).toEqual([{ displayName: 'a-group' }, { displayName: 'b-group' }]);
  expect((await app.ok<{ user: { groups: unknown[] } }>('query($id: ID!) { user(id: $id) { groups { displayName } } }', { id: user })).user.groups).toHaveLength(3);
  expect((await app.gql(q, { id: user, n: 10_001 })).codes).toEqual(['INVALID_VALUE']);
  expect((await app.gql('{ users(first: 1000) { nodes { groups(first: 10000) { id } } } }')).codes).toEqual(['QUERY_TOO_COMPLEX']);
});
