import {
  getNamedType,
  GraphQLArgument,
  GraphQLField,
  GraphQLInputType,
  GraphQLObjectType,
  GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
} from 'graphql';
import { buildRosterSchema } from '../../../src/graphql/schema.js';
import { createTestApp, OWNER_KEY, TestApp } from '../../support/app.js';

/**
 * Bad GraphQL input is the client's error: a typed 4xx answer, never a 500 or INTERNAL_SERVER_ERROR.
 * Known cases first, then a seeded fuzz of random documents and variables built from the schema.
 */
let t: TestApp;
let reader: string;
let userId: string;
let groupId: string;

beforeAll(async () => {
  t = await createTestApp();
  reader = await t.apiKey('READER');
  userId = (await t.ok<{ createUser: { id: string } }>('mutation { createUser(input: { userName: "fuzz-seed" }) { id } }')).createUser.id;
  groupId = (await t.ok<{ createGroup: { id: string } }>('mutation($m: ID!) { createGroup(input: { displayName: "fuzz-seed", members: [{ id: $m }] }) { id } }', { m: userId })).createGroup.id;
});
afterAll(() => t.close());

interface Raw {
  status: number;
  text: string;
  codes: string[];
}

/** Sends anything to /graphql and reads whatever comes back. */
async function raw(init: { method?: string; body?: string; contentType?: string; key?: string | null; search?: string; headers?: Record<string, string> }): Promise<Raw> {
  const headers: Record<string, string> = { accept: 'application/json', ...(init.headers ?? {}) };
  if (init.contentType !== undefined) headers['content-type'] = init.contentType;
  const key = init.key === undefined ? OWNER_KEY : init.key;
  if (key) headers.authorization = `Bearer ${key}`;
  const res = await fetch(`${t.baseUrl}/graphql${init.search ?? ''}`, { method: init.method ?? 'POST', headers, body: init.body });
  const text = await res.text();
  let codes: string[] = [];
  try {
    const body = JSON.parse(text) as { errors?: { extensions?: { code?: string } }[] };
    codes = (body.errors ?? []).map((e) => String(e.extensions?.code));
  } catch {
    // not JSON
  }
  return { status: res.status, text, codes };
}

const clientError = (r: Raw) => ({ status: r.status < 500 ? 'below 500' : r.status, internal: r.codes.includes('INTERNAL_SERVER_ERROR') });
const CLIENT_ERROR = { status: 'below 500', internal: false };

describe('known cases', () => {
  it('answers a variable of the wrong type with BAD_USER_INPUT (the cost check reads variables first)', async () => {
    const r = await t.gql('query($n: Int) { users(first: $n) { totalCount } }', { n: 'abc' });
    expect(r.status).toBe(400);
    expect(r.codes).toEqual(['BAD_USER_INPUT']);
    expect(r.errors[0].message).toMatch(/Int cannot represent/);
  });

  it('answers a password variable of the wrong type with BAD_USER_INPUT, without repeating the value', async () => {
    const secret = 'hunter2-wrong-type-1234567';
    for (const [q, v] of [
      ['mutation($i: UserInputType!) { createUser(input: $i) { id } }', { i: { userName: 'typed-pw', password: [secret] } }],
      ['mutation($i: UserInputType!) { createUser(input: $i) { id } }', { i: { userName: 'typed-pw', password: 1234567890123456 } }],
      ['mutation($p: String) { createUser(input: { userName: "typed-pw", password: $p }) { id } }', { p: { value: secret } }],
      ['mutation($password: String) { createUser(input: { userName: "typed-pw", password: $password }) { id } }', { password: [secret] }],
    ] as const) {
      const r = await t.gql(q, v);
      expect({ q, status: r.status, codes: r.codes }).toEqual({ q, status: 400, codes: ['BAD_USER_INPUT'] });
      expect(r.errors[0].message).toMatch(/invalid value/);
      expect(r.errors[0].message).not.toContain(secret);
      expect(r.errors[0].message).not.toContain('1234567890123456');
    }
    expect(await t.sql('select 1 from users where user_name = ?', ['typed-pw'])).toEqual([]);
  });

  it('treats after: null (and the other paging arguments as null) as not given', async () => {
    const d = await t.ok<{ users: { nodes: unknown[]; pageInfo: { hasPreviousPage: boolean } } }>('{ users(first: 2, after: null) { nodes { id } pageInfo { hasPreviousPage } } }');
    expect(d.users.nodes.length).toBeGreaterThan(0);
    expect(d.users.pageInfo.hasPreviousPage).toBe(false);
    await t.ok('query($after: String) { users(first: 1, after: $after, offset: null, limit: null) { nodes { id } } }', { after: null });
    await t.ok('{ groups(offset: 0, limit: 1, first: null, after: null) { nodes { id } } }');
  });

  it('refuses 5,000 aliases with QUERY_TOO_COMPLEX', async () => {
    const r = await t.gql(`{ me { ${Array.from({ length: 5000 }, (_, i) => `a${i}:role`).join(' ')} } }`);
    expect(r.status).toBe(400);
    expect(r.codes).toEqual(['QUERY_TOO_COMPLEX']);
  });

  it('refuses a NUL character in a filter value, a literal or any variable with INVALID_VALUE', async () => {
    const filter = { compare: { path: 'userName', op: 'EQ', value: 'a\u0000b' } };
    for (const [q, v] of [
      ['query($f: FilterInput) { users(filter: $f) { nodes { id } } }', { f: filter }],
      ['{ users(filter: { compare: { path: "userName", op: EQ, value: "a\\u0000b" } }) { nodes { id } } }', {}],
      ['mutation($u: String!) { createUser(input: { userName: $u }) { id } }', { u: 'nul\u0000user' }],
      ['query($id: ID!) { user(id: $id) { id } }', { id: '\u0000' }],
    ] as const) {
      const r = await t.gql(q, v);
      expect({ q, status: r.status, codes: r.codes }).toEqual({ q, status: 400, codes: ['INVALID_VALUE'] });
    }
  });

  it.each<[string, Parameters<typeof raw>[0]]>([
    ['text/plain', { body: '{ me { role } }', contentType: 'text/plain' }],
    ['no content type', { body: '{"query":"{ me { role } }"}' }],
    ['malformed JSON', { body: '{"query":', contentType: 'application/json' }],
    ['a JSON string', { body: '"{ me { role } }"', contentType: 'application/json' }],
    ['a JSON number', { body: '42', contentType: 'application/json' }],
    ['JSON null', { body: 'null', contentType: 'application/json' }],
    ['a batch', { body: '[{"query":"{ me { role } }"}]', contentType: 'application/json' }],
    ['an empty batch', { body: '[]', contentType: 'application/json' }],
    ['query not a string', { body: '{"query":{"a":1}}', contentType: 'application/json' }],
    ['an empty query', { body: '{"query":""}', contentType: 'application/json' }],
    ['variables a string', { body: '{"query":"{ me { role } }","variables":"x"}', contentType: 'application/json' }],
    ['variables a list', { body: '{"query":"{ me { role } }","variables":[1]}', contentType: 'application/json' }],
    ['operationName a number', { body: '{"query":"{ me { role } }","operationName":5}', contentType: 'application/json' }],
    ['an unknown operationName', { body: '{"query":"query A { me { role } }","operationName":"B"}', contentType: 'application/json' }],
    ['two operations, no name', { body: '{"query":"query A { me { role } } query B { me { role } }"}', contentType: 'application/json' }],
    ['an unknown persisted query', { body: '{"extensions":{"persistedQuery":{"version":1,"sha256Hash":"abc"}}}', contentType: 'application/json' }],
    ['a subscription', { body: '{"query":"subscription { me { role } }"}', contentType: 'application/json' }],
    ['GET without the CSRF header', { method: 'GET', search: '?query=%7B%20me%20%7B%20role%20%7D%20%7D' }],
    ['GET with broken variables', { method: 'GET', search: '?query=%7B%20me%20%7B%20role%20%7D%20%7D&variables=%7B', headers: { 'apollo-require-preflight': '1' } }],
    ['GET of a mutation', { method: 'GET', search: '?query=mutation%20%7B%20deleteUser(id%3A%22x%22)%20%7D', headers: { 'apollo-require-preflight': '1' } }],
    ['PUT', { method: 'PUT', body: '{"query":"{ me { role } }"}', contentType: 'application/json' }],
    ['a lone surrogate escape', { body: JSON.stringify({ query: '{ user(id: "\\ud800") { id } }' }), contentType: 'application/json' }],
    ['a deeply nested filter', { body: `{"query":"query($f: FilterInput) { users(filter: $f) { nodes { id } } }","variables":{"f":${nested(5000)}}}`, contentType: 'application/json' }],
    [
      'a deeply nested filter literal',
      {
        body: JSON.stringify({ query: `{ users(filter: ${'{ not: '.repeat(3000)}{ compare: { path: "userName", op: EQ, value: "x" } }${' }'.repeat(3000)}) { nodes { id } } }` }),
        contentType: 'application/json',
      },
    ],
    ['deeply nested variables', { body: `{"query":"query($i: [ID]) { __typename }","variables":{"i":${'['.repeat(5000)}${']'.repeat(5000)}}}`, contentType: 'application/json' }],
  ])('answers %s with a client error', async (_label, init) => {
    expect(clientError(await raw(init))).toEqual(CLIENT_ERROR);
  });
});

/** {"not": {"not": … {"compare": …} …}} `depth` levels deep, as JSON text (JSON.stringify would run out of stack). */
function nested(depth: number): string {
  return `${'{"not":'.repeat(depth)}{"compare":{"path":"userName","op":"EQ","value":"x"}}${'}'.repeat(depth)}`;
}

/** A small seeded PRNG (mulberry32): the same seed makes the same documents. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let x = a;
    x = Math.imul(x ^ (x >>> 15), x | 1);
    x ^= x + Math.imul(x ^ (x >>> 7), x | 61);
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** Random GraphQL operations over the real schema: mostly well-formed, with odd values and odd types. */
class Fuzzer {
  private vars: string[] = [];
  private values: Record<string, unknown> = {};
  constructor(
    private readonly schema: GraphQLSchema,
    private readonly r: () => number,
    private readonly ids: string[],
  ) {}

  private chance = (p: number) => this.r() < p;
  private pick = <T>(xs: readonly T[]): T => xs[Math.floor(this.r() * xs.length)];
  private get strings(): string[] {
    const cursor = (s: string) => Buffer.from(s).toString('base64url');
    return [
      '',
      'a',
      'userName',
      'emails.value',
      'emails',
      'title',
      'active',
      'members.value',
      'groups.value',
      'meta.lastModified',
      'name.familyName',
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department',
      'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager.value',
      'a\u0000b',
      '\ud800',
      '🙂',
      "' or 1=1 --",
      '%_\\',
      'x'.repeat(3000),
      cursor('o:1'),
      cursor('o:999999999'),
      cursor('o:-1'),
      'not-a-uuid',
      '00000000-0000-0000-0000-000000000000',
      'User',
      'Group',
      'okta',
      'OWNER',
      'READER',
      '2026-01-01T00:00:00Z',
      'yesterday',
      '1e400',
      ...this.ids,
    ];
  }
  private readonly numbers = [0, 1, -1, 2, 50, 999, 1000, 1001, 100_000, 100_001, 2_147_483_647, -2_147_483_648, 2_147_483_648, 1.5, 1e308, -0];

  /** Anything JSON can carry. */
  private junk(depth = 0): unknown {
    const k = this.r();
    if (k < 0.2) return this.pick(this.strings);
    if (k < 0.4) return this.pick(this.numbers);
    if (k < 0.5) return this.chance(0.5);
    if (k < 0.6) return null;
    if (depth > 2) return {};
    if (k < 0.8) return Array.from({ length: Math.floor(this.r() * 3) }, () => this.junk(depth + 1));
    return { [this.pick(['value', 'path', 'op', 'a', 'userName'])]: this.junk(depth + 1) };
  }

  /** A value for an input type: usually of that type, sometimes not. */
  value(type: GraphQLInputType, depth = 0): unknown {
    if (this.chance(0.08) || depth > 4) return this.junk();
    if (isNonNullType(type)) return this.value(type.ofType as GraphQLInputType, depth);
    if (isListType(type))
      return this.chance(0.2) ? this.value(type.ofType as GraphQLInputType, depth + 1) : Array.from({ length: Math.floor(this.r() * 3) }, () => this.value(type.ofType as GraphQLInputType, depth + 1));
    if (isEnumType(type)) return this.pick(type.getValues()).name;
    if (isInputObjectType(type)) {
      const out: Record<string, unknown> = {};
      for (const f of Object.values(type.getFields())) if (isNonNullType(f.type) || this.chance(0.4)) out[f.name] = this.value(f.type, depth + 1);
      if (this.chance(0.05)) out.unknownField = 1;
      return out;
    }
    switch (getNamedType(type).name) {
      case 'Int':
      case 'Float':
        return this.pick(this.numbers);
      case 'Boolean':
        return this.chance(0.5);
      case 'FilterValue':
        return this.pick([this.pick(this.strings), this.pick(this.numbers), true, null]);
      default:
        return this.pick(this.strings);
    }
  }

  /** The same value written as a GraphQL literal (enum values bare where the type is an enum). */
  literal(v: unknown, type: GraphQLInputType | undefined): string {
    const named = type ? getNamedType(type) : undefined;
    if (typeof v === 'string') return named && isEnumType(named) && /^[A-Z_]+$/.test(v) ? v : JSON.stringify(v);
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    if (v === null || v === undefined) return 'null';
    const inner = type && !isEnumType(named) ? (isNonNullType(type) ? type.ofType : type) : undefined;
    if (Array.isArray(v)) return `[${v.map((x) => this.literal(x, inner && isListType(inner) ? (inner.ofType as GraphQLInputType) : inner)).join(', ')}]`;
    const fields = named && isInputObjectType(named) ? named.getFields() : {};
    return `{ ${Object.entries(v as Record<string, unknown>)
      .map(([k, x]) => `${k}: ${this.literal(x, fields[k]?.type)}`)
      .join(', ')} }`;
  }

  private argument(arg: GraphQLArgument): string {
    const v = this.value(arg.type);
    if (this.chance(0.5)) return `${arg.name}: ${this.literal(v, arg.type)}`;
    const name = `v${this.vars.length}`;
    const declared = this.chance(0.85) ? String(arg.type) : this.pick(['Int', 'String', 'ID!', '[ID]', 'FilterInput', 'Boolean']);
    this.vars.push(`$${name}: ${declared}`);
    if (!this.chance(0.05)) this.values[name] = v;
    return `${arg.name}: $${name}`;
  }

  private field(f: GraphQLField<unknown, unknown>, depth: number, i: number): string | undefined {
    const named = getNamedType(f.type);
    if (!isLeafType(named) && depth >= 4) return undefined;
    const args = f.args.filter((a) => isNonNullType(a.type) || this.chance(0.5)).map((a) => this.argument(a));
    const alias = this.chance(0.3) ? `f${depth}_${i}: ` : '';
    const sel = isObjectType(named) ? ` { ${this.selection(named, depth + 1)} }` : '';
    return `${alias}${f.name}${args.length ? `(${args.join(', ')})` : ''}${sel}`;
  }

  private selection(type: GraphQLObjectType, depth: number): string {
    const fields = Object.values(type.getFields());
    const chosen = Array.from({ length: 1 + Math.floor(this.r() * 3) }, (_, i) => this.field(this.pick(fields), depth, i)).filter((s): s is string => s !== undefined);
    return chosen.length ? chosen.join(' ') : '__typename';
  }

  /** One request body. */
  operation(): { query: string; variables: Record<string, unknown> } {
    this.vars = [];
    this.values = {};
    const mutation = this.chance(0.3);
    const root = mutation ? this.schema.getMutationType()! : this.schema.getQueryType()!;
    const fields = Object.values(root.getFields()).filter((f) => f.name !== 'revokeCredential');
    const body = Array.from({ length: 1 + Math.floor(this.r() * 2) }, (_, i) => this.field(this.pick(fields), 1, i))
      .filter(Boolean)
      .join(' ');
    const head = `${mutation ? 'mutation' : 'query'}${this.vars.length ? `(${this.vars.join(', ')})` : ''}`;
    return { query: `${head} { ${body || '__typename'} }`, variables: this.values };
  }
}

describe('fuzz', () => {
  const SEED = Number(process.env.FUZZ_SEED ?? 20261130);
  const CASES = Number(process.env.FUZZ_CASES ?? 400);

  it(`answers ${CASES} random documents (seed ${SEED}) without a 5xx or INTERNAL_SERVER_ERROR`, async () => {
    const r = prng(SEED);
    const fuzz = new Fuzzer(buildRosterSchema(), r, [userId, groupId]);
    const failures: unknown[] = [];
    for (let i = 0; i < CASES; i++) {
      const body = fuzz.operation();
      const key = r() < 0.75 ? OWNER_KEY : r() < 0.8 ? reader : null;
      const res = await raw({ body: JSON.stringify(body), contentType: 'application/json', key });
      if (res.status >= 500 || res.codes.includes('INTERNAL_SERVER_ERROR')) failures.push({ i, status: res.status, body, answer: res.text.slice(0, 500) });
    }
    expect(failures).toEqual([]);
  });
});

describe('request text', () => {
  // fetch sends a Buffer as it is (supertest would serialise it as JSON)
  const post = async (body: Buffer | string, type = 'application/json') => {
    const res = await fetch(`${t.baseUrl}/graphql`, { method: 'POST', headers: { authorization: `Bearer ${OWNER_KEY}`, 'content-type': type }, body });
    const text = await res.text();
    return { status: res.status, text, body: JSON.parse(text) as { data?: unknown } };
  };

  test('a body that is not UTF-8 is a 400, not a query with U+FFFD in it', async () => {
    const bytes = Buffer.concat([Buffer.from('{"query":"{ users(filter: {compare: {path: \\"userName\\", op: EQ, value: \\"'), Buffer.from([0xc3, 0x28]), Buffer.from('\\"}}) { totalCount } }"}')]);
    const res = await post(bytes);
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/UTF-8/);
  });

  test('a charset other than UTF-8 is a 415; utf-8 in any case is fine', async () => {
    expect((await post('{"query":"{ me { role } }"}', 'application/json; charset=iso-8859-1')).status).toBe(415);
    const ok = await post('{"query":"{ me { role } }"}', 'application/json; charset=UTF-8');
    expect(ok.status).toBe(200);
    expect(ok.body.data).toEqual({ me: { role: 'OWNER' } });
  });
});
