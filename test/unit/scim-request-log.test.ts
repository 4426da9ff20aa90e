import pino from 'pino';
import { ScimRequestLog, type ScimRequestEntry } from '../../src/http/scim-request-log.js';
import type { ScimRequestRecord } from '../../src/persistence/scim-requests/scim-request-store.js';
import type { Store } from '../../src/persistence/store.js';

/** A store whose scimRequests.append is recorded (or fails). */
function fakeSource(fail = false) {
  const batches: ScimRequestRecord[][] = [];
  const source = {
    store: () =>
      ({
        scimRequests: {
          append: async (rows: ScimRequestRecord[]) => {
            if (fail) throw new Error('database down');
            batches.push(rows);
          },
        },
      }) as unknown as Store,
  };
  return { source, batches };
}
const entry = (idp: string, path: string): ScimRequestEntry => ({ idp, at: new Date(), method: 'GET', path, status: 200, durationMs: 1.4 });

test('records are buffered and written in one batch per flush', async () => {
  const { source, batches } = fakeSource();
  const log = new ScimRequestLog(source, pino({ level: 'silent' }), 60_000);
  for (let i = 0; i < 5; i++) log.record(entry('okta', `/p${i}`));
  expect(batches).toEqual([]);
  await log.flush();
  expect(batches).toHaveLength(1);
  expect(batches[0].map((r) => r.path)).toEqual(['/p0', '/p1', '/p2', '/p3', '/p4']);
  expect(batches[0][0].durationMs).toBe(1);
  // ids sort in the order the requests were recorded
  expect([...batches[0].map((r) => r.id)].sort()).toEqual(batches[0].map((r) => r.id));
  await log.flush();
  expect(batches).toHaveLength(1); // nothing buffered, nothing written
  await log.close();
});

test('a batch holds at most the newest 100 per IdP; text is made storable', async () => {
  const { source, batches } = fakeSource();
  const log = new ScimRequestLog(source, pino({ level: 'silent' }), 60_000);
  for (let i = 0; i < 150; i++) log.record(entry('okta', `/p${i}`));
  log.record(entry('entra', `/x\u0000${'y'.repeat(600)}`));
  log.record({ ...entry('entra', `/${'z'.repeat(510)}\u{1F600}`), method: 'VERYLONGMETHOD' });
  await log.close();
  const okta = batches[0].filter((r) => r.idp === 'okta');
  expect(okta).toHaveLength(100);
  expect(okta[0].path).toBe('/p50');
  const entra = batches[0].filter((r) => r.idp === 'entra');
  expect(entra[0].path).toBe(`/x${'y'.repeat(510)}`);
  expect(entra[1].path.isWellFormed()).toBe(true);
  expect(entra[1].path.length).toBeLessThanOrEqual(512);
  expect(entra[1].method).toBe('VERYLONG');
  // every kept row has its own id, in the order the requests were recorded
  const ids = batches[0].map((r) => r.id);
  expect(new Set(ids).size).toBe(ids.length);
  expect([...ids].sort()).toEqual(ids);
});

test('a request that arrived earlier but finished later still sorts after the ones recorded before it', async () => {
  const { source, batches } = fakeSource();
  const log = new ScimRequestLog(source, pino({ level: 'silent' }), 60_000);
  const now = Date.now();
  log.record({ ...entry('okta', '/quick'), at: new Date(now + 5) });
  log.record({ ...entry('okta', '/slow'), at: new Date(now) });
  await log.flush();
  log.record({ ...entry('okta', '/next-batch'), at: new Date(now + 1) });
  await log.close();
  const ids = batches.flat().map((r) => r.id);
  expect(batches.flat().map((r) => r.path)).toEqual(['/quick', '/slow', '/next-batch']);
  expect([...ids].sort()).toEqual(ids);
  expect(ids.every((id) => /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/.test(id))).toBe(true);
});

test('a failed write is logged and dropped, never thrown; close stops recording', async () => {
  const { source } = fakeSource(true);
  const warnings: unknown[] = [];
  const logger = pino({ level: 'warn' }, { write: (line: string) => warnings.push(JSON.parse(line)) });
  const log = new ScimRequestLog(source, logger, 60_000);
  log.record(entry('okta', '/a'));
  await expect(log.flush()).resolves.toBeUndefined();
  expect(warnings).toEqual([expect.objectContaining({ dropped: 1, msg: expect.stringContaining('dropped') })]);
  await log.close();
  log.record(entry('okta', '/b'));
  await log.flush();
  expect(warnings).toHaveLength(1);
});

test('the log of a database is found by ScimRequestLog.of until it is closed', async () => {
  const { source } = fakeSource();
  const log = new ScimRequestLog(source, pino({ level: 'silent' }));
  expect(ScimRequestLog.of(source)).toBe(log);
  await log.close();
  expect(ScimRequestLog.of(source)).toBeUndefined();
});

test('a busy second past the buffer cap still writes the newest 100 of each IdP', async () => {
  const { source, batches } = fakeSource();
  const log = new ScimRequestLog(source, pino({ level: 'silent' }), 60_000);
  for (let i = 0; i < 25_000; i++) log.record(entry(i % 2 ? 'okta' : 'entra', `/p${i}`));
  await log.close();
  expect(batches).toHaveLength(1);
  const paths = (idp: string) => batches[0].filter((r) => r.idp === idp).map((r) => r.path);
  expect(paths('okta')).toEqual(Array.from({ length: 100 }, (_, k) => `/p${24_801 + 2 * k}`));
  expect(paths('entra')).toEqual(Array.from({ length: 100 }, (_, k) => `/p${24_800 + 2 * k}`));
});
