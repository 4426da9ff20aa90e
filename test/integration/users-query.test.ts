import { Database } from '../../src/persistence/database.js';
import { createTestDatabase } from '../support/db.js';

let db: Database;
beforeAll(async () => {
  db = await createTestDatabase();
  await db.store().transaction(async (tx) => {
    tx.users.create({
      id: '00000000-0000-4000-8000-000000000001',
      userName: 'Jane.Doe@example.com',
      emails: [{ value: 'Jane@Example.com', type: 'work', primary: true }],
      emailIndex: ['jane@example.com'],
      title: '50% off',
    });
    tx.users.create({ id: '00000000-0000-4000-8000-000000000002', userName: 'bob', emails: [{ value: 'bob@x.org', type: 'home' }], emailIndex: ['bob@x.org'], active: false });
    await tx.flush();
  });
});
afterAll(() => db.close());

test('filters run in SQL', async () => {
  const q = db.store().users;
  const page = await q.list({ filter: { compare: { path: 'userName', op: 'eq', value: 'jane.doe@EXAMPLE.com' } }, offset: 0, limit: 10 });
  expect(page.items.map((u) => u.userName)).toEqual(['Jane.Doe@example.com']);
  expect(await page.totalCount()).toBe(1);
  const e = await q.list({ filter: { compare: { path: 'emails.value', op: 'eq', value: 'JANE@example.com' } }, offset: 0, limit: 10 });
  expect(e.items).toHaveLength(1);
  const vp = await q.list({
    filter: { any: { path: 'emails', where: { and: [{ compare: { path: 'type', op: 'eq', value: 'work' } }, { compare: { path: 'value', op: 'co', value: '@example' } }] } } },
    offset: 0,
    limit: 10,
  });
  expect(vp.items).toHaveLength(1);
  const like = await q.list({ filter: { compare: { path: 'title', op: 'co', value: '0%' } }, offset: 0, limit: 10 });
  expect(like.items).toHaveLength(1);
  const lit = await q.list({ filter: { compare: { path: 'title', op: 'co', value: '0_' } }, offset: 0, limit: 10 });
  expect(lit.items).toHaveLength(0);
  const not = await q.list({ filter: { not: { compare: { path: 'active', op: 'eq', value: true } } }, offset: 0, limit: 10 });
  expect(not.items.map((u) => u.userName)).toEqual(['bob']);
});
