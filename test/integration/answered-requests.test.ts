import request from 'supertest';
import { createTestApp, OWNER_KEY, type TestApp } from '../support/app.js';

/**
 * A request that a handler has answered goes no further down the app: the middleware mounted after
 * it would only match its routes against the path for nothing (for GraphQL that walk of the SSO and
 * console routers cost about a tenth of a lookup's CPU, measured side by side). A sentinel mounted
 * last counts the requests that reach it: only one no handler answers should.
 */
let t: TestApp;
let reached: string[] = [];
/** the app with the sentinel (Koa composes its middleware when the callback is made) */
let server: ReturnType<TestApp['roster']['app']['callback']>;
beforeAll(async () => {
  t = await createTestApp();
  t.roster.app.use(async (ctx, next) => {
    reached.push(`${ctx.method} ${ctx.path}`);
    await next();
  });
  server = t.roster.app.callback();
});
afterAll(() => t.close());
beforeEach(() => {
  reached = [];
});

const scimKey = async () => {
  const d = await t.ok<{ activateProvisioning: { token: string } }>('mutation { activateProvisioning(idp: "okta") { token } }');
  return d.activateProvisioning.token;
};

test('GraphQL over POST and GET, a GraphQL error, SCIM reads and writes, health, metrics and the console end where they are answered', async () => {
  const token = await scimKey();
  reached = [];
  const gql = (query: string) => request(server).post('/graphql').set('authorization', `Bearer ${OWNER_KEY}`).send({ query });
  expect((await gql('{ me { role } }')).status).toBe(200);
  expect((await gql('{ nope }')).status).toBe(400);
  expect((await request(server).get('/graphql').query({ query: '{ me { role } }' }).set('authorization', `Bearer ${OWNER_KEY}`).set('apollo-require-preflight', '1')).status).toBe(200);
  expect((await request(server).get('/scim/v2/Users?count=1').set('authorization', `Bearer ${token}`)).status).toBe(200);
  const created = await request(server)
    .post('/scim/v2/Users')
    .set('authorization', `Bearer ${token}`)
    .set('content-type', 'application/scim+json')
    .send({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: 'answered@example.com' });
  expect(created.status).toBe(201);
  expect((await request(server).get('/scim/v2/ServiceProviderConfig').set('authorization', `Bearer ${token}`)).status).toBe(200);
  expect((await request(server).get('/readyz')).status).toBe(200);
  expect((await request(server).get('/healthz')).status).toBe(200);
  expect((await request(server).get('/metrics')).status).toBe(200);
  // the console's page (200 once built, 503 before): answered either way
  expect([200, 503]).toContain((await request(server).get('/admin')).status);
  expect(reached).toEqual([]);
});

test('a path no handler answers does reach the end of the app (the sentinel works)', async () => {
  expect((await request(server).get('/no-such-thing')).status).toBe(404);
  expect(reached).toEqual(['GET /no-such-thing']);
});
