import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { ADDRESS_VIEW_MS, callerLimits, TooManyRequests, type CallerLimits, type LimitStore } from '../../src/http/rate-limit.js';
import { openDatabase } from '../../src/persistence/database.js';
import { urlOf } from '../support/db.js';

/**
 * Rate limits shared by several Roster processes: two limiter instances stand for two processes
 * (the scale-out test does it with real processes), and together they allow the limit exactly
 * once. The Postgres store uses the migrated UNLOGGED `rate_limits` table; the Redis store the
 * machine's Redis. A store that cannot be reached degrades to per-process counting, never to no limit.
 */
const server = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const redisUrl = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const dbName = `roster_rl_${process.pid}`;
const dbUrl = urlOf(server, dbName);

async function admin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client({ connectionString: server });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

beforeAll(async () => {
  await admin((c) => c.query(`create database ${dbName}`));
  const db = await openDatabase({ url: dbUrl }, { migrate: true });
  await db.close();
}, 60_000);
afterAll(() => admin((c) => c.query(`drop database if exists ${dbName} with (force)`)));

/** Sends `n` requests of one credential to each limiter, interleaved and concurrent; counts what passed. */
async function spread(limiters: CallerLimits[], credential: string, n: number): Promise<{ passed: number; refused: number }> {
  const calls = Array.from({ length: n }, () =>
    limiters.map((l) =>
      l.succeeded(credential).then(
        () => 'ok' as const,
        (e: unknown) => (e instanceof TooManyRequests ? ('429' as const) : Promise.reject(e)),
      ),
    ),
  ).flat();
  const results = await Promise.all(calls);
  return { passed: results.filter((r) => r === 'ok').length, refused: results.filter((r) => r === '429').length };
}

const stores: [string, LimitStore][] = [
  ['postgres', { kind: 'postgres', url: dbUrl }],
  ['redis', { kind: 'redis', url: redisUrl }],
];

describe.each(stores)('%s store', (_name, store) => {
  let a: CallerLimits;
  let b: CallerLimits;
  beforeAll(async () => {
    a = callerLimits({ perCredentialPerMinute: 40, failuresPerAddressPerMinute: 5, store });
    b = callerLimits({ perCredentialPerMinute: 40, failuresPerAddressPerMinute: 5, store });
    expect(await a.ready()).toBe(true);
    expect(await b.ready()).toBe(true);
  });
  afterAll(async () => {
    await a.close();
    await b.close();
  });

  test('two processes allow a credential its limit exactly once between them', async () => {
    expect(a.shared).toBe(true);
    const { passed, refused } = await spread([a, b], randomUUID(), 45);
    expect(passed).toBe(40);
    expect(refused).toBe(50);
    expect(a.storeFailures + b.storeFailures).toBe(0);
  });

  test('three processes, many credentials at once: each credential gets its limit exactly, no more', async () => {
    const c = callerLimits({ perCredentialPerMinute: 40, failuresPerAddressPerMinute: 5, store });
    try {
      expect(await c.ready()).toBe(true);
      const results = await Promise.all(Array.from({ length: 8 }, () => spread([a, b, c], randomUUID(), 50)));
      for (const r of results) expect(r).toEqual({ passed: 40, refused: 110 });
    } finally {
      await c.close();
    }
  });

  test('a process counts a credential in the store a few requests at a time, never past the limit', async () => {
    const credential = randomUUID();
    const leases = a.credentialLeases;
    // 40 requests one after the other: leases of 5 (an eighth of what is left), then smaller, then 1
    for (let i = 0; i < 40; i++) await a.succeeded(credential);
    const taken = a.credentialLeases - leases;
    expect(taken).toBeGreaterThan(1);
    expect(taken).toBeLessThan(40);
    // the window is used up, here and in the other process
    await expect(a.succeeded(credential)).rejects.toBeInstanceOf(TooManyRequests);
    await expect(b.succeeded(credential)).rejects.toBeInstanceOf(TooManyRequests);
    // refused without asking the store again until the window ends, with its Retry-After
    const refusedAt = a.credentialLeases;
    const err = await a.succeeded(credential).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TooManyRequests);
    expect(Number((err as TooManyRequests).headers['Retry-After'])).toBeGreaterThan(0);
    expect(a.credentialLeases).toBe(refusedAt);
  });

  test('a lease the store can grant only in part gives exactly what was left', async () => {
    const credential = randomUUID();
    // this process counts 5 and uses them; the other then brings the window to 38 of 40
    for (let i = 0; i < 5; i++) await a.succeeded(credential);
    for (let i = 0; i < 33; i++) await b.succeeded(credential);
    // this process, which last saw 5 counted, asks for a lease of 4: the store had 2 left, and it gets them
    const outcomes: string[] = [];
    for (let i = 0; i < 4; i++)
      await a.succeeded(credential).then(
        () => outcomes.push('ok'),
        () => outcomes.push('429'),
      );
    expect(outcomes).toEqual(['ok', 'ok', '429', '429']);
    await expect(b.succeeded(credential)).rejects.toBeInstanceOf(TooManyRequests);
  });

  test('what a process counted in advance and has not used yet is its own: another process gets the rest, the total stays the limit', async () => {
    const credential = randomUUID();
    // one request: this process counts 5 in the store and uses 1
    await a.succeeded(credential);
    const other = await spread([b], credential, 45);
    expect(other.passed).toBe(35);
    // the 4 it holds are still its to use, then it is refused too
    const outcomes: string[] = [];
    for (let i = 0; i < 6; i++)
      await a.succeeded(credential).then(
        () => outcomes.push('ok'),
        () => outcomes.push('429'),
      );
    expect(outcomes).toEqual(['ok', 'ok', 'ok', 'ok', '429', '429']);
  });

  test('failed authentications from one address count across processes, and block it on both', async () => {
    const address = `198.51.100.${Math.floor(Math.random() * 250)}-${randomUUID()}`;
    const outcomes: string[] = [];
    for (let i = 0; i < 8; i++) {
      await (i % 2 ? a : b).failed(address).then(
        () => outcomes.push('counted'),
        () => outcomes.push('429'),
      );
    }
    expect(outcomes.filter((o) => o === 'counted')).toHaveLength(5);
    await expect(a.checkAddress(address)).rejects.toBeInstanceOf(TooManyRequests);
    await expect(b.checkAddress(address)).rejects.toBeInstanceOf(TooManyRequests);
  });

  test('an address in good standing is read from the store once per ADDRESS_VIEW_MS, and a block made elsewhere reaches it by then', async () => {
    const address = `203.0.113.7-${randomUUID()}`;
    const before = b.addressReads;
    for (let i = 0; i < 50; i++) await b.checkAddress(address);
    expect(b.addressReads - before).toBe(1);
    // Another process blocks the address; its own failing guesses are refused at once…
    const outcomes: string[] = [];
    for (let i = 0; i < 6; i++)
      await a.failed(address).then(
        () => outcomes.push('counted'),
        (e: unknown) => outcomes.push(e instanceof TooManyRequests ? '429' : String(e)),
      );
    expect(outcomes).toEqual(['counted', 'counted', 'counted', 'counted', 'counted', '429']);
    // …and this process, which read the address as clean, refuses it once its view is older than ADDRESS_VIEW_MS.
    await new Promise((r) => setTimeout(r, ADDRESS_VIEW_MS + 50));
    await expect(b.checkAddress(address)).rejects.toBeInstanceOf(TooManyRequests);
    // A block is kept for its length: no more reads while it lasts.
    const blockedReads = b.addressReads;
    for (let i = 0; i < 20; i++) await expect(b.checkAddress(address)).rejects.toBeInstanceOf(TooManyRequests);
    expect(b.addressReads).toBe(blockedReads);
    // A failing guess counted by this process is refused at once, whatever its view said.
    const fresh = `203.0.113.8-${randomUUID()}`;
    await b.checkAddress(fresh);
    for (let i = 0; i < 5; i++) await a.failed(fresh);
    await expect(b.failed(fresh)).rejects.toBeInstanceOf(TooManyRequests);
    await expect(b.checkAddress(fresh)).rejects.toBeInstanceOf(TooManyRequests);
  });
});

test('the Postgres counters live in an UNLOGGED table: counting writes no WAL and reaches no replica', async () => {
  const c = new Client({ connectionString: dbUrl });
  await c.connect();
  try {
    const { rows } = await c.query<{ relpersistence: string }>("select relpersistence from pg_class where relname = 'rate_limits'");
    expect(rows).toEqual([{ relpersistence: 'u' }]);
  } finally {
    await c.end();
  }
});

test('memory counts per process: two processes allow twice the limit (why several processes need a shared store)', async () => {
  const a = callerLimits({ perCredentialPerMinute: 40, failuresPerAddressPerMinute: 5 });
  const b = callerLimits({ perCredentialPerMinute: 40, failuresPerAddressPerMinute: 5 });
  expect(a.shared).toBe(false);
  expect((await spread([a, b], randomUUID(), 30)).passed).toBe(60);
});

test.each<[string, LimitStore]>([
  ['redis', { kind: 'redis', url: 'redis://127.0.0.1:1' }],
  ['postgres', { kind: 'postgres', url: 'postgres://postgres@127.0.0.1:1/roster' }],
])('an unreachable %s store degrades to counting in the process: still the limit, never none, never an error', async (_name, store) => {
  const l = callerLimits({ perCredentialPerMinute: 10, failuresPerAddressPerMinute: 5, store });
  try {
    const { passed, refused } = await spread([l], randomUUID(), 15);
    expect(passed).toBe(10);
    expect(refused).toBe(5);
    expect(l.storeFailures).toBeGreaterThan(0);
  } finally {
    await l.close();
  }
});
