import pino from 'pino';
import request from 'supertest';
import { createApp, RosterApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import type { Database } from '../../src/persistence/database.js';
import { createTestDatabase } from '../support/db.js';

let db: Database;
let roster: RosterApp;
beforeAll(async () => {
  db = await createTestDatabase();
  roster = await createApp({ config: loadConfig({ LOG_LEVEL: 'silent' }), db, logger: pino({ level: 'silent' }) });
});
afterAll(async () => {
  await roster.close();
  await db.close();
});

test('/metrics counts requests by surface and status, in the Prometheus format', async () => {
  const server = roster.app.callback();
  await request(server).get('/scim/v2/Users').expect(401);
  await request(server).get('/healthz').expect(200);
  const res = await request(server).get('/metrics').expect(200);
  expect(res.headers['content-type']).toMatch(/^text\/plain/);
  expect(res.text).toMatch(/roster_http_request_duration_seconds_count\{surface="scim",method="GET",status="401"\} 1/);
  expect(res.text).toMatch(/roster_process_resident_memory_bytes/);
});

test('with METRICS_TOKEN set, /metrics answers only to that bearer token', async () => {
  const token = 'm'.repeat(40);
  const guarded = await createApp({ config: loadConfig({ LOG_LEVEL: 'silent', METRICS_TOKEN: token }), db, logger: pino({ level: 'silent' }) });
  try {
    const server = guarded.app.callback();
    const none = await request(server).get('/metrics').expect(401);
    expect(none.headers['www-authenticate']).toMatch(/Bearer/);
    await request(server)
      .get('/metrics')
      .set('authorization', `Bearer ${'n'.repeat(40)}`)
      .expect(401);
    await request(server).get('/metrics').set('authorization', `Bearer ${token}x`).expect(401);
    const ok = await request(server).get('/metrics').set('authorization', `Bearer ${token}`).expect(200);
    expect(ok.text).toMatch(/roster_http_request_duration_seconds/);
  } finally {
    await guarded.close();
  }
});
