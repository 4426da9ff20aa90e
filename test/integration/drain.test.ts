import http from 'node:http';
import type { AddressInfo } from 'node:net';
import pino from 'pino';
import { createApp, type RosterApp } from '../../src/app.js';
import { loadConfig } from '../../src/config/config.js';
import type { Database } from '../../src/persistence/database.js';
import { createTestDatabase } from '../support/db.js';

/**
 * While draining, nothing new is accepted: a request on an already-open keep-alive connection gets
 * 503 with Retry-After and `Connection: close`, so it is never written and then cut off.
 */
let db: Database;
let roster: RosterApp;
let server: http.Server;
beforeAll(async () => {
  db = await createTestDatabase();
  roster = await createApp({ config: loadConfig({ LOG_LEVEL: 'silent', ROSTER_BOOTSTRAP_SCIM_TOKEN: 't'.repeat(40) }), db, logger: pino({ level: 'silent' }) });
  server = http.createServer((req, res) => void roster.app.callback()(req, res));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((r) => server.close(r));
  await roster.close();
  await db.close();
});

/** One request on a given keep-alive agent: status, headers and whether the socket was reused. */
function get(agent: http.Agent, path: string): Promise<{ status: number; headers: http.IncomingHttpHeaders; reused: boolean }> {
  const { port } = server.address() as AddressInfo;
  return new Promise((resolve, reject) => {
    const req = http.get({ host: '127.0.0.1', port, path, agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, reused: req.reusedSocket }));
    });
    req.on('error', reject);
  });
}

test('after drain(), a request on an open keep-alive connection gets 503, Retry-After and Connection: close; liveness still answers', async () => {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const before = await get(agent, '/healthz');
  expect(before.status).toBe(200);
  roster.drain();
  const refused = await get(agent, '/scim/v2/Users');
  expect(refused.reused).toBe(true);
  expect(refused.status).toBe(503);
  expect(refused.headers['retry-after']).toBe('5');
  expect(refused.headers.connection).toBe('close');
  expect((await get(agent, '/healthz')).status).toBe(200);
  expect((await get(agent, '/readyz')).status).toBe(503);
  agent.destroy();
});
