import pino from 'pino';
import request from 'supertest';
import { createApp, type RosterApp } from '../../src/app.js';
import { bootstrap } from '../../src/bootstrap.js';
import { loadConfig } from '../../src/config/config.js';
import type { Database } from '../../src/persistence/database.js';
import { anchorSettings, anchorsBuilding } from '../../src/persistence/list-anchors.js';
import { anchorCount, forgetPositions, positionStats } from '../../src/persistence/list-positions.js';
import { createTestDatabase } from '../support/db.js';
import { seedWalkUsers } from '../support/list-pages.js';

/**
 * /readyz answers 503 "warming up" while the process's start-up warm-up (reading list anchors) is
 * under way: a load balancer then never sends a restarted process the first page deep into a long
 * list before it can start that page from an anchor. Requests that do reach it are served.
 */
const TOKEN = 's'.repeat(40);
const defaults = { ...anchorSettings };
let db: Database;
let roster: RosterApp;
beforeEach(async () => {
  db = await createTestDatabase();
  const config = loadConfig({ LOG_LEVEL: 'silent', ROSTER_BOOTSTRAP_SCIM_TOKEN: TOKEN, RATE_LIMIT_PER_MINUTE: '0' });
  const logger = pino({ level: 'silent' });
  await bootstrap(config, db, logger);
  roster = await createApp({ config, db, logger });
});
afterEach(async () => {
  await anchorsBuilding(db.orm.em.getDriver(), 'users');
  Object.assign(anchorSettings, defaults);
  await roster.close();
  await db.close();
});

const readyz = () => request(roster.app.callback()).get('/readyz');

/** A promise and its resolve/reject, for a warm-up the test settles. */
function pending() {
  let settle!: { resolve: () => void; reject: (e: Error) => void };
  const promise = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  return { promise, ...settle };
}

test('while the warm-up runs /readyz is 503 "warming up" with Retry-After, liveness and SCIM still answer; then ready', async () => {
  expect((await readyz()).status).toBe(200);
  const work = pending();
  roster.warmUp(work.promise);
  const warming = await readyz();
  expect(warming.status).toBe(503);
  expect(warming.headers['retry-after']).toBe('1');
  expect(warming.body).toMatchObject({ status: 'warming up', database: db.kind });
  expect((await request(roster.app.callback()).get('/healthz')).status).toBe(200);
  const scim = await request(roster.app.callback()).get('/scim/v2/Users?count=1').set('authorization', `Bearer ${TOKEN}`);
  expect(scim.status).toBe(200);
  work.resolve();
  await work.promise;
  const ready = await readyz();
  expect(ready.status).toBe(200);
  expect(ready.body.status).toBe('ready');
});

test('a warm-up that fails, or outlasts its cap, holds readiness back no longer', async () => {
  const failing = pending();
  roster.warmUp(failing.promise);
  failing.reject(new Error('anchors could not be read'));
  await failing.promise.catch(() => undefined);
  expect((await readyz()).status).toBe(200);

  roster.warmUp(new Promise(() => undefined), 50);
  expect((await readyz()).status).toBe(503);
  await new Promise((r) => setTimeout(r, 120));
  expect((await readyz()).status).toBe(200);
});

test('draining wins over warming up', async () => {
  roster.warmUp(new Promise(() => undefined), 10_000);
  roster.drain();
  const res = await readyz();
  expect(res.status).toBe(503);
  expect(res.body.status).toBe('draining');
});

test('with the anchors prewarm as main.ts starts it, the first deep page after ready starts from an anchor and builds nothing', async () => {
  Object.assign(anchorSettings, { step: 100, rebuildAfterMs: 0 });
  await seedWalkUsers(db, 'ready');
  forgetPositions(db.orm.em.getDriver(), 'users');
  roster.warmUp(db.readStore().prewarmListAnchors());
  const deadline = Date.now() + 30_000;
  while ((await readyz()).status !== 200) {
    if (Date.now() > deadline) throw new Error('never ready');
    await new Promise((r) => setTimeout(r, 5));
  }
  expect(anchorCount(db.orm.em.getDriver(), 'users')).toBeGreaterThan(0);
  const { anchorsUsed, anchorBuilds } = positionStats;
  const page = await request(roster.app.callback()).get('/scim/v2/Users?startIndex=1301&count=50').set('authorization', `Bearer ${TOKEN}`);
  expect(page.status).toBe(200);
  expect(page.body.Resources).toHaveLength(50);
  expect(positionStats.anchorsUsed - anchorsUsed).toBe(1);
  expect(positionStats.anchorBuilds - anchorBuilds).toBe(0);
});
