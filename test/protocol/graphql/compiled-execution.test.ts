import request from 'supertest';
import { createTestApp, OWNER_KEY, TestApp, unique } from '../../support/app.js';

/**
 * A repeated GraphQL document runs compiled (graphql-jit) from GRAPHQL_COMPILE_AFTER uses on. The
 * answer must not change when it does: the same data, the same errors with the same codes, paths
 * and messages, the same HTTP status. Each document below runs three times at the production
 * default (2): once interpreted, then compiled.
 */
let t: TestApp;
let reader: string;
let userId: string;
let userName: string;

const counters = async (app: TestApp): Promise<{ compiled: number; compilations: number }> => {
  const text = (await request(app.server).get('/metrics').expect(200)).text;
  const read = (name: string) => Number(new RegExp(`^${name} (\\d+)$`, 'm').exec(text)?.[1] ?? NaN);
  return { compiled: read('roster_graphql_compiled_executions_total'), compilations: read('roster_graphql_compilations_total') };
};

/** Status and body of one POST /graphql, as the client reads them. */
const answer = async (app: TestApp, query: string, variables: Record<string, unknown>, key: string) => {
  const res = await request(app.server).post('/graphql').set('content-type', 'application/json').set('authorization', `Bearer ${key}`).send({ query, variables });
  return { status: res.status, body: res.body as unknown };
};

beforeAll(async () => {
  t = await createTestApp({ GRAPHQL_COMPILE_AFTER: '2' });
  reader = await t.apiKey('READER');
  userName = `${unique('compiled')}@example.com`;
  const d = await t.ok<{ createUser: { id: string } }>('mutation($i: UserInputType!) { createUser(input: $i) { id } }', { i: { userName, title: 'Engineer' } });
  userId = d.createUser.id;
  const g = await t.ok<{ createGroup: { id: string } }>('mutation($i: GroupInputType!) { createGroup(input: $i) { id } }', { i: { displayName: unique('compiled-group') } });
  await t.ok('mutation($g: ID!, $u: ID!) { addGroupMembers(id: $g, members: [{ id: $u }]) { version } }', { g: g.createGroup.id, u: userId });
});
afterAll(() => t.close());

/** name, document, variables, key, the error codes it answers (none: data) */
const CASES: [string, string, () => Record<string, unknown>, () => string, string[]][] = [
  [
    'the lookup with a variable',
    'query Lookup($u: FilterValue) { users(filter: {compare: {path: "userName", op: EQ, value: $u}}, limit: 1) { totalCount nodes { id userName title active groups { displayName } } } }',
    () => ({ u: userName }),
    () => OWNER_KEY,
    [],
  ],
  [
    'a user with a custom scalar and a nested list',
    'query($id: ID!) { user(id: $id) { id meta: lastModified emails { value } groups { displayName } __typename } }',
    () => ({ id: userId }),
    () => OWNER_KEY,
    [],
  ],
  ['an unknown id', 'query($id: ID!) { user(id: $id) { id } }', () => ({ id: '00000000-0000-4000-8000-000000000000' }), () => OWNER_KEY, []],
  ['a variable of the wrong type (BAD_USER_INPUT)', 'query($n: Int) { users(first: $n) { nodes { id } } }', () => ({ n: 'many' }), () => OWNER_KEY, ['BAD_USER_INPUT']],
  ['a missing required variable', 'query($id: ID!) { user(id: $id) { id } }', () => ({}), () => OWNER_KEY, ['BAD_USER_INPUT']],
  ['an argument out of range (INVALID_VALUE)', 'query($n: Int) { users(first: $n) { nodes { id } } }', () => ({ n: 100_000 }), () => OWNER_KEY, ['INVALID_VALUE']],
  ['a role refusal inside a query (FORBIDDEN)', '{ me { role } credentials { id } }', () => ({}), () => reader, ['FORBIDDEN']],
  ['a mutation the role may not run', 'mutation($i: GroupInputType!) { createGroup(input: $i) { id } }', () => ({ i: { displayName: 'never' } }), () => reader, ['FORBIDDEN']],
  ['a mutation refused by the domain (a taken userName)', 'mutation($i: UserInputType!) { createUser(input: $i) { id } }', () => ({ i: { userName } }), () => OWNER_KEY, ['UNIQUENESS']],
  ['introspection', '{ __schema { queryType { name } } __type(name: "UserType") { name kind } }', () => ({}), () => reader, []],
];

describe('a repeated document answers the same when it runs compiled', () => {
  test.each(CASES)('%s', async (_name, query, variables, key, codes) => {
    const first = await answer(t, query, variables(), key());
    expect(((first.body as { errors?: { extensions: { code: string } }[] }).errors ?? []).map((e) => e.extensions.code)).toEqual(codes);
    for (let i = 0; i < 2; i++) expect(await answer(t, query, variables(), key())).toEqual(first);
  });

  test('the repeats above ran compiled, each document compiled once', async () => {
    const before = await counters(t);
    const q = 'query($id: ID!) { user(id: $id) { userName } }';
    for (let i = 0; i < 5; i++) await t.ok(q, { id: userId });
    const after = await counters(t);
    // The first use is interpreted, the next four compiled; one compilation.
    expect({ compiled: after.compiled - before.compiled, compilations: after.compilations - before.compilations }).toEqual({ compiled: 4, compilations: 1 });
    expect(before.compiled).toBeGreaterThan(0);
  });

  test('a variable of the recursive filter type is never compiled, and still answers', async () => {
    const before = await counters(t);
    const q = 'query($f: FilterInput) { users(filter: $f) { nodes { userName } } }';
    for (let i = 0; i < 3; i++) {
      const d = await t.ok<{ users: { nodes: { userName: string }[] } }>(q, { f: { compare: { path: 'userName', op: 'EQ', value: userName } } });
      expect(d.users.nodes).toEqual([{ userName }]);
    }
    expect(await counters(t)).toEqual(before);
  });
});

test('GRAPHQL_COMPILE_AFTER=0 never compiles', async () => {
  const off = await createTestApp({ GRAPHQL_COMPILE_AFTER: '0' });
  try {
    for (let i = 0; i < 3; i++) expect(await off.ok<{ me: { role: string } }>('{ me { role } }')).toEqual({ me: { role: 'OWNER' } });
    expect(await counters(off)).toEqual({ compiled: 0, compilations: 0 });
  } finally {
    await off.close();
  }
});
