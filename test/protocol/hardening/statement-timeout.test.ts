import pg from 'pg';
import { startScimApp, type ScimTestApp } from '../scim/scim-app.js';
import { patchOp, scimClient, URN } from '../scim/scim-client.js';

/**
 * The database's own backstop: a statement that cannot finish (here, waiting on a lock another
 * session holds) is stopped by Postgres after DATABASE_STATEMENT_TIMEOUT_MS, and the client gets a
 * clear, retryable error instead of a request that hangs or a 500. PGlite runs in-process, with no
 * second session that could hold a lock, so this is a Postgres test.
 */
const onPostgres = process.env.DATABASE_URL ? describe : describe.skip;

onPostgres('a statement stuck past the statement timeout', () => {
  let app: ScimTestApp;
  let blocker: pg.Client;
  let userId: string;
  beforeAll(async () => {
    app = await startScimApp('okta', {}, { statementTimeoutMs: 300 });
    userId = (
      await scimClient(app)
        .post('/Users', { schemas: [URN.user], userName: 'stuck@example.com', nickName: 'before' })
        .expect(201)
    ).body.id as string;
    blocker = new pg.Client({ connectionString: (app.db.listenSource as { url: string }).url });
    await blocker.connect();
  });
  afterAll(async () => {
    await blocker.end();
    await app.close();
  });

  test('is answered 503 over SCIM and QUERY_TIMEOUT over GraphQL, changes nothing, and the retry succeeds once the lock is gone', async () => {
    await blocker.query('begin');
    await blocker.query('lock table users in access exclusive mode');
    try {
      const [list, patch, graph, health] = await Promise.all([
        scimClient(app).get(`/Users?filter=${encodeURIComponent('userName eq "stuck@example.com"')}`),
        scimClient(app).patch(`/Users/${userId}`, patchOp({ op: 'replace', path: 'nickName', value: 'after' })),
        app.http.post('/graphql').set('authorization', `Bearer ${app.token}`).set('content-type', 'application/json').send({ query: '{ users(first: 5) { nodes { id } } }' }),
        app.http.get('/healthz'),
      ]);
      expect({ status: list.status, schemas: list.body.schemas }).toEqual({ status: 503, schemas: [URN.error] });
      expect({ status: patch.status, schemas: patch.body.schemas }).toEqual({ status: 503, schemas: [URN.error] });
      expect(graph.body.errors?.[0]?.extensions?.code).toBe('QUERY_TIMEOUT');
      expect(health.status).toBe(200);
    } finally {
      await blocker.query('rollback');
    }
    expect((await scimClient(app).get(`/Users/${userId}`).expect(200)).body.nickName).toBe('before');
    await scimClient(app)
      .patch(`/Users/${userId}`, patchOp({ op: 'replace', path: 'nickName', value: 'after' }))
      .expect(204);
    expect((await scimClient(app).get(`/Users/${userId}`).expect(200)).body.nickName).toBe('after');
  });
});
