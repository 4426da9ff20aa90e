import { getIntrospectionQuery } from 'graphql';
import { MAX_ALIASES, MAX_FIELDS } from '../../../src/graphql/limits.js';
import { GroupReads } from '../../../src/persistence/groups/group-reads.js';
import { createTestApp, OWNER_KEY, TestApp } from '../../support/app.js';

/**
 * No GraphQL request can stall the server: expensive documents are refused before they run, big
 * or anonymous ones before they are parsed, and whatever runs stops at its deadline. Each refusal
 * is checked with a concurrent GET /healthz, which must be answered within HEALTH_MS: the test
 * process also runs the server, so a server busy parsing or executing would hold it up.
 */
let t: TestApp;
let reader: string;
const HEALTH_MS = 2000;

beforeAll(async () => {
  t = await createTestApp();
  reader = await t.apiKey('READER');
  // Enough data that users { groups { members } } fans out: 20 users, each in 5 groups of 20.
  const users = await t.ok<Record<string, { id: string }>>(`mutation { ${Array.from({ length: 20 }, (_, i) => `u${i}: createUser(input: { userName: "limits-${i}" }) { id }`).join(' ')} }`);
  const members = Object.values(users).map((u) => ({ id: u.id }));
  await t.ok(`mutation($m: [MemberInput!]!) { ${Array.from({ length: 5 }, (_, i) => `g${i}: createGroup(input: { displayName: "limits-${i}", members: $m }) { id }`).join(' ')} }`, { m: members });
});
afterAll(() => t.close());

interface Answer {
  status: number;
  codes: string[];
  body: { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] } | null;
}

/** POSTs a raw body to /graphql. */
async function post(app: TestApp, body: string, key: string | null): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json', accept: 'application/json' };
  if (key) headers.authorization = `Bearer ${key}`;
  const res = await fetch(`${app.baseUrl}/graphql`, { method: 'POST', headers, body });
  const text = await res.text();
  let parsed: Answer['body'] = null;
  try {
    parsed = JSON.parse(text) as Answer['body'];
  } catch {
    // not JSON: the assertions on codes say so
  }
  return { status: res.status, codes: (parsed?.errors ?? []).map((e) => String(e.extensions?.code)), body: parsed };
}

/** Runs `work` and, once it is under way, a GET /healthz; returns both, with how long /healthz took. */
async function withHealthProbe<T>(app: TestApp, work: () => Promise<T>): Promise<{ result: T; healthMs: number }> {
  const running = work();
  await new Promise((r) => setImmediate(r));
  const started = performance.now();
  const health = await fetch(`${app.baseUrl}/healthz`);
  const healthMs = performance.now() - started;
  expect(health.status).toBe(200);
  return { result: await running, healthMs };
}

const query = (q: string, variables: Record<string, unknown> = {}) => JSON.stringify({ query: q, variables });

describe('cost: every list is charged at the page it really returns', () => {
  it('refuses a READER the 300-alias users { groups { members } } query at once, with QUERY_TOO_COMPLEX', async () => {
    const q = `{ ${Array.from({ length: 300 }, (_, i) => `a${i}: users { nodes { groups { members { nodes { user { id userName } } } } } }`).join(' ')} }`;
    const { result, healthMs } = await withHealthProbe(t, () => post(t, query(q), reader));
    expect(result.status).toBe(400);
    expect(result.codes).toEqual(['QUERY_TOO_COMPLEX']);
    expect(healthMs).toBeLessThan(HEALTH_MS);
  });

  it('charges users, user.groups and group.members at their default pages', async () => {
    // One alias, no first/limit anywhere: 50 users × 100 groups each × 100 members each.
    const r = await t.gql('{ users { nodes { groups { members { nodes { user { id userName } } } } } } }', {}, reader);
    expect(r.status).toBe(400);
    expect(r.codes).toEqual(['QUERY_TOO_COMPLEX']);
    expect(r.errors[0].message).toMatch(/limit is 250000/);
    // Pages asked for explicitly are charged as asked: small ones pass.
    const d = await t.ok<{ users: { nodes: { groups: { members: { nodes: unknown[] } }[] }[] } }>(
      '{ users(first: 5) { nodes { groups { members(limit: 5) { nodes { user { id } } } } } } }',
      {},
      reader,
    );
    expect(d.users.nodes.length).toBe(5);
  });
  it('remembers a cost per value of the variables it depends on, never across them', async () => {
    const q =
      'query($n: Int, $m: Int, $u: FilterValue, $deep: Boolean!) { users(first: $n, filter: { compare: { path: "userName", op: EQ, value: $u } }) { nodes { id groups @include(if: $deep) { members(limit: $m) { nodes { user { id } } } } } } }';
    const v = { n: 2, m: 2, u: 'limits-1', deep: true };
    // Small pages pass, again and again (the second time from memory)…
    for (let i = 0; i < 2; i++) expect((await t.gql(q, v, reader)).codes).toEqual([]);
    // …a filter value changes nothing of the cost, and still passes…
    expect((await t.gql(q, { ...v, u: 'limits-2' }, reader)).codes).toEqual([]);
    // …but a bigger page, or the directive that adds the nested lists, is charged anew.
    expect((await t.gql(q, { ...v, n: 1000, m: 100_000 }, reader)).codes).toEqual(['QUERY_TOO_COMPLEX']);
    expect((await t.gql(q, { n: 1000, m: 100_000, u: 'limits-1', deep: false }, reader)).codes).toEqual([]);
    // A variable of the wrong type after a remembered pass is still BAD_USER_INPUT, worded as before.
    const fresh = await t.gql(q.replace('query(', 'query Other('), { ...v, n: 'two' }, reader);
    const remembered = await t.gql(q, { ...v, n: 'two' }, reader);
    expect(remembered.status).toBe(400);
    expect(remembered.codes).toEqual(['BAD_USER_INPUT']);
    expect(remembered.errors.map((e) => e.message)).toEqual(fresh.errors.map((e) => e.message));
  });
});

describe('shape: aliases and fields per document', () => {
  const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: me { role }`).join(' ')} }`;

  it(`allows ${MAX_ALIASES} aliases and refuses ${MAX_ALIASES + 1}`, async () => {
    expect((await t.gql(aliases(MAX_ALIASES), {}, reader)).errors).toEqual([]);
    const r = await t.gql(aliases(MAX_ALIASES + 1), {}, reader);
    expect(r.status).toBe(400);
    expect(r.codes).toEqual(['QUERY_TOO_COMPLEX']);
    expect(r.errors[0].message).toMatch(/aliases/);
  });

  it(`refuses more than ${MAX_FIELDS} fields, counting a fragment wherever it is spread`, async () => {
    const wide = `{ me { ${'role '.repeat(MAX_FIELDS)} } }`;
    expect((await t.gql(wide, {}, reader)).codes).toEqual(['QUERY_TOO_COMPLEX']);
    // 4 fields, spread 10 × 10 × 10 times (and `me`): tiny text, 4001 fields.
    const bomb = `fragment A on Me { role name idp credentialId } fragment B on Me { ${'...A '.repeat(10)} } fragment C on Me { ${'...B '.repeat(10)} }
      { me { ${'...C '.repeat(10)} } }`;
    const r = await t.gql(bomb, {}, reader);
    expect(r.codes).toEqual(['QUERY_TOO_COMPLEX']);
    expect(r.errors[0].message).toMatch(/4001 fields/);
  });

  it('lets the full introspection query through, with a key', async () => {
    const q = getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true });
    const r = await t.gql<{ __schema: { types: unknown[] } }>(q, {}, reader);
    expect(r.errors).toEqual([]);
    expect(r.data?.__schema.types.length).toBeGreaterThan(10);
  });
});

describe('size: a big document is refused before it is parsed', () => {
  // About 4 MB of GraphQL: parsing and validating it took graphql-js 8 to 11 s of CPU.
  const huge = query(`{ me { ${'role '.repeat(800_000)}} }`);

  it('refuses it from an anonymous caller with 401 without reading it', async () => {
    const { result, healthMs } = await withHealthProbe(t, () => post(t, huge, null));
    expect(result.status).toBe(401);
    expect(result.codes).toEqual(['UNAUTHENTICATED']);
    expect(healthMs).toBeLessThan(HEALTH_MS);
  });

  it('refuses it from a READER with 413 QUERY_TOO_LARGE', async () => {
    const { result, healthMs } = await withHealthProbe(t, () => post(t, huge, reader));
    expect(result.status).toBe(413);
    expect(result.codes).toEqual(['QUERY_TOO_LARGE']);
    expect(result.body?.errors?.[0].message).toMatch(/limit is 65536/);
    expect(healthMs).toBeLessThan(HEALTH_MS);
  });

  it('refuses an invalid key with 401 before reading the body, and never parses an anonymous document', async () => {
    const bad = await post(t, huge, 'rk_not_a_real_key');
    expect(bad.status).toBe(401);
    expect(bad.body?.errors?.[0].message).toBe('The credential is not valid.');
    // A syntax error would be GRAPHQL_PARSE_FAILED if the document had been parsed.
    const anon = await post(t, query('{ me { '), null);
    expect(anon.status).toBe(401);
    expect(anon.codes).toEqual(['UNAUTHENTICATED']);
  });
});

describe('deadline', () => {
  const GROUPS = 100;
  const ALIASES = 50;
  let timed: TestApp;
  beforeAll(async () => {
    timed = await createTestApp({ GRAPHQL_TIMEOUT_MS: '50' });
    // Straight into the table: a GraphQL mutation would itself have to finish within 50 ms.
    await timed.sql(`insert into groups (id, display_name, created_at, updated_at) select gen_random_uuid(), 'deadline-' || i, now(), now() from generate_series(1, ?) i`, [GROUPS]);
  });
  afterAll(() => timed?.close());

  it('answers QUERY_TIMEOUT once, and stops reading, when a query runs past GRAPHQL_TIMEOUT_MS', async () => {
    // ALIASES × GROUPS reads of a group's members, one statement each (members are not batched).
    const q = `{ ${Array.from({ length: ALIASES }, (_, i) => `a${i}: groups(first: ${GROUPS}) { nodes { members(limit: 1) { nodes { id } } } }`).join(' ')} }`;
    let reads = 0;
    const members = Object.getOwnPropertyDescriptor(GroupReads.prototype, 'members')!.value as GroupReads['members'];
    GroupReads.prototype.members = function (this: GroupReads, ...args: Parameters<GroupReads['members']>) {
      reads++;
      return members.apply(this, args);
    };
    try {
      const { result, healthMs } = await withHealthProbe(timed, () => post(timed, query(q), OWNER_KEY));
      expect(result.status).toBe(503);
      expect(result.body).toEqual({ data: null, errors: [{ message: expect.stringMatching(/within 50 ms/), extensions: { code: 'QUERY_TIMEOUT' } }] });
      expect(healthMs).toBeLessThan(HEALTH_MS);
      // Apollo answers only once execution has ended: the reads not started by the deadline never ran.
      expect(reads).toBeLessThan(ALIASES * GROUPS);
    } finally {
      GroupReads.prototype.members = members;
    }
  });
});
