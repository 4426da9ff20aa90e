import { createTestApp, type TestApp } from '../../support/app.js';

/**
 * A lone surrogate ("\ud800" in JSON) is no Unicode character: text that holds one cannot be
 * stored as sent. Every way in refuses it with a typed error and stores nothing, rather than
 * keeping U+FFFD in its place or failing inside the database.
 */
let app: TestApp;
beforeAll(async () => {
  app = await createTestApp();
});
afterAll(() => app.close());

const LONE = 'a\ud800b';

test.each([
  ['a scalar attribute', { userName: 'surrogate-1@example.com', displayName: LONE }],
  ['the userName', { userName: `surrogate-${LONE}` }],
  ['a multi-valued attribute', { userName: 'surrogate-2@example.com', emails: [{ value: 'x@example.com', type: LONE }] }],
  ['an enterprise attribute', { userName: 'surrogate-3@example.com', enterprise: { department: LONE } }],
])('GraphQL createUser with %s: INVALID_VALUE, nothing stored', async (_label, input) => {
  const res = await app.gql('mutation($i: UserInputType!) { createUser(input: $i) { id } }', { i: input });
  expect(res.codes).toEqual(['INVALID_VALUE']);
  expect(await app.sql("select id from users where user_name like 'surrogate-%'")).toEqual([]);
});

test('GraphQL filters and group names refuse it too', async () => {
  const filtered = await app.gql('query($f: FilterInput) { users(filter: $f) { nodes { id } } }', { f: { compare: { path: 'displayName', op: 'EQ', value: LONE } } });
  expect(filtered.codes[0]).toMatch(/^(INVALID_VALUE|INVALID_FILTER)$/);
  const group = await app.gql('mutation($i: GroupInputType!) { createGroup(input: $i) { id } }', { i: { displayName: LONE } });
  expect(group.codes).toEqual(['INVALID_VALUE']);
});

test('in a string literal of the document, graphql-js refuses the escape itself (a 400, never stored)', async () => {
  const res = await app.gql('mutation { createUser(input: { userName: "surrogate-literal", displayName: "a\\ud800b" }) { id } }');
  expect({ status: res.status, codes: res.codes }).toEqual({ status: 400, codes: ['GRAPHQL_PARSE_FAILED'] });
});
