import { getIntrospectionQuery } from 'graphql';
import { createTestApp, TestApp } from '../../support/app.js';

/**
 * Introspection needs a credential, unless GRAPHQL_ANONYMOUS_INTROSPECTION turns it on for
 * anonymous callers; even then an anonymous caller gets introspection and nothing else.
 * (GraphiQL with a key: test/protocol/graphiql.test.ts.)
 */
const INTROSPECTION = getIntrospectionQuery({ descriptions: true, inputValueDeprecation: true });

describe('by default (GRAPHQL_ANONYMOUS_INTROSPECTION unset)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp();
  });
  afterAll(() => t.close());

  it('refuses introspection without a credential with 401 UNAUTHENTICATED', async () => {
    for (const q of [INTROSPECTION, '{ __schema { queryType { name } } }', '{ __type(name: "User") { fields { name } } }', '{ __typename }']) {
      const r = await t.gql(q, {}, null);
      expect({ q: q.slice(0, 40), status: r.status, codes: r.codes, data: r.data }).toEqual({ q: q.slice(0, 40), status: 401, codes: ['UNAUTHENTICATED'], data: null });
    }
    expect((await t.gql(INTROSPECTION, {}, 'rk_not_a_real_key')).status).toBe(401);
  });

  it('answers it to any role', async () => {
    for (const key of [await t.apiKey('READER'), await t.apiKey('ADMIN')]) {
      const r = await t.gql<{ __schema: { types: unknown[] } }>(INTROSPECTION, {}, key);
      expect(r.errors).toEqual([]);
      expect(r.data?.__schema.types.length).toBeGreaterThan(10);
    }
  });

  it('still serves the GraphiQL page to a browser without a credential', async () => {
    const res = await fetch(`${t.baseUrl}/graphql`, { headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('data-anonymous-introspection="false"');
  });
});

describe('GRAPHQL_ANONYMOUS_INTROSPECTION=true', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await createTestApp({ GRAPHQL_ANONYMOUS_INTROSPECTION: 'true' });
  });
  afterAll(() => t.close());

  it('answers introspection without a credential', async () => {
    const r = await t.gql<{ __schema: { types: unknown[] } }>(INTROSPECTION, {}, null);
    expect(r.errors).toEqual([]);
    expect(r.data?.__schema.types.length).toBeGreaterThan(10);
    const page = await (await fetch(`${t.baseUrl}/graphql`, { headers: { accept: 'text/html' } })).text();
    expect(page).toContain('data-anonymous-introspection="true"');
  });

  it('answers nothing else without a credential, however it is dressed up', async () => {
    for (const q of [
      '{ users { totalCount } }',
      '{ __schema { queryType { name } } users { totalCount } }',
      'fragment F on Query { __typename me { role } } { ...F }',
      '{ ... on Query { __typename users { totalCount } } }',
      'mutation { __typename }',
    ]) {
      const r = await t.gql(q, {}, null);
      expect({ q, status: r.status, codes: r.codes, data: r.data }).toEqual({ q, status: 401, codes: ['UNAUTHENTICATED'], data: null });
    }
  });

  it('still refuses a credential that is not valid', async () => {
    const r = await t.gql(INTROSPECTION, {}, 'rk_not_a_real_key');
    expect(r.status).toBe(401);
    expect(r.errors[0].message).toBe('The credential is not valid.');
  });
});
