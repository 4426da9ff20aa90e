import type { SqlEntityManager } from '@mikro-orm/sql';
import type { Database } from '../../src/persistence/database.js';
import { frag } from '../../src/persistence/sql/fragment.js';
import { runSql } from '../../src/persistence/sql/run.js';
import { createTestDatabase } from '../support/db.js';
import { parsed, recordSqlText } from '../support/sql-wire.js';

/**
 * Statements run as named prepared statements (on Postgres through pg, on the embedded database
 * through PGlite's wire protocol) answer exactly what the same statement answers unprepared: the
 * same values of every type, the same errors, the same ordering against transactions.
 */
let db: Database;
const em = () => db.orm.em.fork() as SqlEntityManager;
const run = (sql: string, bindings: unknown[], prepare: boolean) => runSql(em(), frag(sql, bindings), { prepare });

beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.close());

const TYPED =
  "select ?::uuid as id, ?::text as t, ?::int as n, ?::bigint as big, ?::boolean as b, ?::timestamptz as at, ?::jsonb as doc, array(select jsonb_array_elements_text(?::jsonb)) as tags, ?::citext as ci, null::text as nothing, 1.5::numeric as num, '{}'::json as j";

test('every type comes back as it does unprepared, on the first use and on later ones', async () => {
  const values = [
    '0e0e0e0e-0000-4000-8000-000000000001',
    'café ☕ "quoted"',
    42,
    '9007199254740993',
    true,
    new Date('2026-01-02T03:04:05.678Z'),
    JSON.stringify({ a: [1, null, 'x'] }),
    ['a', 'b,c', 'd"e'],
    'MiXeD',
  ];
  const plain = await run(TYPED, values, false);
  for (let i = 0; i < 3; i++) expect(await run(TYPED, values, true)).toEqual(plain);
  expect(plain[0]).toMatchObject({ t: 'café ☕ "quoted"', n: 42, b: true, tags: ['a', 'b,c', 'd"e'], ci: 'MiXeD', nothing: null });
  expect(new Date(plain[0].at as string | Date).toISOString()).toBe('2026-01-02T03:04:05.678Z');
  // nulls in every parameter
  const nulls = values.map(() => null);
  expect(await run(TYPED, nulls, true)).toEqual(await run(TYPED, nulls, false));
});

test('a statement that writes, then reads what it wrote; rows in order; no rows', async () => {
  const id = '0e0e0e0e-0000-4000-8000-000000000002';
  const insert = "insert into users (id, user_name, source, created_at, updated_at, version) values (?::uuid, ?, 'local', now(), now(), 1) returning id, user_name, version";
  expect(await run(insert, [id, 'prepared-1'], true)).toEqual([{ id, user_name: 'prepared-1', version: 1 }]);
  expect(await run('select user_name from users where id = ?::uuid', [id], true)).toEqual([{ user_name: 'prepared-1' }]);
  expect(await run('select x from generate_series(1, ?) as x order by x desc', [3], true)).toEqual([{ x: 3 }, { x: 2 }, { x: 1 }]);
  expect(await run('select user_name from users where id = ?::uuid', ['0e0e0e0e-0000-4000-8000-0000000000ff'], true)).toEqual([]);
});

test("errors are the database's, and the statement stays usable after one", async () => {
  const insert = "insert into users (id, user_name, source, created_at, updated_at, version) values (gen_random_uuid(), ?, 'local', now(), now(), 1)";
  await run(insert, ['prepared-dup'], true);
  const err = await run(insert, ['prepared-dup'], true).catch((e: unknown) => e);
  const plainErr = await run(insert, ['prepared-dup'], false).catch((e: unknown) => e);
  expect((err as Error).constructor).toBe((plainErr as Error).constructor);
  expect((err as Error).name).toMatch(/UniqueConstraintViolation/);
  await expect(run('select ?::int as n', ['not a number'], true)).rejects.toThrow();
  expect(await run(insert.replace('values', 'values').concat(' returning user_name'), ['prepared-after'], true)).toEqual([{ user_name: 'prepared-after' }]);
});

test('never joins a transaction in progress: it waits for it (embedded) or reads around it, and never sees its rows', async () => {
  const id = '0e0e0e0e-0000-4000-8000-000000000003';
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let inserted!: () => void;
  const didInsert = new Promise<void>((r) => (inserted = r));
  // A transaction that inserts a row and then rolls back: a statement that joined it would see the row.
  const tx = db.orm.em
    .fork()
    .transactional(async (t) => {
      await runSql(t as SqlEntityManager, frag("insert into users (id, user_name, source, created_at, updated_at, version) values (?::uuid, 'prepared-tx', 'local', now(), now(), 1)", [id]));
      inserted();
      await held;
      throw new Error('roll back');
    })
    .catch((e: unknown) => e);
  await didInsert;
  const read = run('select user_name from users where id = ?::uuid', [id], true);
  release();
  expect(await tx).toBeInstanceOf(Error);
  expect(await read).toEqual([]);
  expect(await run('select user_name from users where id = ?::uuid', [id], true)).toEqual([]);
});

test('a prepared statement is parsed once: later uses send no statement text', async () => {
  const wire = recordSqlText();
  try {
    const sql = 'select ?::int + 1 as n /* parsed once */';
    const from = parsed.length;
    for (let i = 0; i < 3; i++) expect(await run(sql, [i], true)).toEqual([{ n: i + 1 }]);
    // three runs of it; on the embedded database one Parse (pg does the same per connection, out of sight here)
    expect(wire.texts.filter((t) => t.includes('parsed once'))).toHaveLength(3);
    if (!process.env.DATABASE_URL) expect(parsed.slice(from).filter((t) => t.includes('parsed once'))).toHaveLength(1);
  } finally {
    wire.stop();
  }
});
