import request from 'supertest';
import type { SqlEntityManager } from '@mikro-orm/sql';
import { readBatched, readBatching, readBatchStats } from '../../../src/persistence/read-batches.js';
import { frag } from '../../../src/persistence/sql/fragment.js';
import { runSql } from '../../../src/persistence/sql/run.js';
import { createTestApp, type TestApp } from '../../support/app.js';
import { recordSqlText } from '../../support/sql-wire.js';
import type { ScimTestApp } from './scim-app.js';
import { createGroup, createUser, expectScimError, type ListBody, scimClient, type ScimClient, unique } from './scim-client.js';

/**
 * Reads of one user or group by a unique key (`userName eq`, `displayName eq`, `GET /Users/{id}`,
 * `GET /Groups/{id}`) that requests issue in the same turn of the event loop share one statement
 * (src/persistence/read-batches.ts). Each request must still get exactly its own answer, see every
 * write committed before it, and keep its own errors; a read inside a transaction never joins a
 * batch. Over real HTTP and through the store, on the test database (PGlite or Postgres).
 */
let t: TestApp;
let scim: ScimClient;

beforeAll(async () => {
  t = await createTestApp();
  const token = (await t.ok<{ activateProvisioning: { token: string } }>('mutation { activateProvisioning(idp: "okta") { token } }')).activateProvisioning.token;
  scim = scimClient({ http: request(t.server) } as unknown as ScimTestApp, token);
});
afterAll(() => t.close());

const lookup = (userName: string) => scim.get(`/Users?filter=${encodeURIComponent(`userName eq ${JSON.stringify(userName)}`)}`);
const batchStatements = (texts: string[]) => texts.filter((s) => s.includes('with ordinality as k(v, i)')).length;

test('lookups issued together are one statement, and each gets exactly its own user', async () => {
  const users = await Promise.all(Array.from({ length: 12 }, () => createUser(scim)));
  const store = t.db.store();
  const wire = recordSqlText();
  try {
    // in one turn: the user's own name, the same in upper case, a name nobody has
    const keys = [...users.map((u) => u.userName), users[3].userName.toUpperCase(), unique('nobody'), users[5].userName];
    const pages = await Promise.all(keys.map((k) => store.users.list({ filter: { compare: { path: 'userName', op: 'eq', value: k } }, offset: 0, limit: 100 })));
    expect(batchStatements(wire.texts)).toBe(1);
    expect(pages.map((p) => p.items.map((u) => u.id))).toEqual([...users.map((u) => [u.id]), [users[3].id], [], [users[5].id]]);
    expect(await Promise.all(pages.map((p) => p.totalCount()))).toEqual([...users.map(() => 1), 1, 0, 1]);
    // and the users come with their groups, as a lone lookup's do
    expect(pages[0].items[0].groups).toEqual([]);
  } finally {
    wire.stop();
  }
});

test('over HTTP, concurrent lookups, GETs and group reads each answer their own resource', async () => {
  const users = await Promise.all(Array.from({ length: 10 }, () => createUser(scim)));
  const groups = await Promise.all(users.slice(0, 4).map((u) => createGroup(scim, [u.id])));
  const before = { ...readBatchStats };
  const answers = await Promise.all([
    ...users.map((u) => lookup(u.userName.toUpperCase())),
    ...users.map((u) => scim.get(`/Users/${u.id}`)),
    ...groups.map((g) => scim.get(`/Groups?filter=${encodeURIComponent(`displayName eq ${JSON.stringify(g.displayName)}`)}`)),
    ...groups.map((g) => scim.get(`/Groups/${g.id}`)),
    lookup(unique('nobody')),
  ]);
  for (const r of answers) expect(r.status).toBe(200);
  const [lookups, gets, groupLookups, groupGets] = [answers.slice(0, 10), answers.slice(10, 20), answers.slice(20, 24), answers.slice(24, 28)];
  lookups.forEach((r, i) => {
    const body = r.body as ListBody;
    expect([body.totalResults, body.Resources.map((u) => u.id)]).toEqual([1, [users[i].id]]);
  });
  gets.forEach((r, i) => expect([r.body.id, r.body.userName]).toEqual([users[i].id, users[i].userName]));
  // a user in a group lists it: the batch reads groups as a lone read does
  gets.slice(0, 4).forEach((r, i) => expect((r.body.groups as { value: string }[]).map((g) => g.value)).toEqual([groups[i].id]));
  groupLookups.forEach((r, i) => expect((r.body as ListBody).Resources.map((g) => [g.id, (g.members as { value: string }[]).map((m) => m.value)])).toEqual([[groups[i].id, [users[i].id]]]));
  groupGets.forEach((r, i) => expect([r.body.id, r.body.displayName]).toEqual([groups[i].id, groups[i].displayName]));
  expect((answers[28].body as ListBody).totalResults).toBe(0);
  // every one of them went through a batch (how many per statement depends on the sockets' timing)
  expect(readBatchStats.reads - before.reads).toBe(28 + 1);
  expect(readBatchStats.statements - before.statements).toBeLessThanOrEqual(29);
});

test('more reads than READ_BATCH_MAX in one turn take several statements, each read still its own', async () => {
  const prefix = unique('many');
  await t.sql(`insert into users (id, user_name, created_at, updated_at) select gen_random_uuid(), ? || '-' || g, now(), now() from generate_series(1, 100) g`, [prefix]);
  const store = t.db.store();
  const wire = recordSqlText();
  try {
    const pages = await Promise.all(Array.from({ length: 100 }, (_, i) => store.users.list({ filter: { compare: { path: 'userName', op: 'eq', value: `${prefix}-${i + 1}` } }, offset: 0, limit: 1 })));
    expect(pages.map((p) => p.items.map((u) => u.userName))).toEqual(Array.from({ length: 100 }, (_, i) => [`${prefix}-${i + 1}`]));
    // 64 and 36
    expect(batchStatements(wire.texts)).toBe(2);
  } finally {
    wire.stop();
  }
});

test('a shared statement that fails fails each of its reads with its error, and the next one runs', async () => {
  const em = t.db.orm.em.fork() as SqlEntityManager;
  let fail = true;
  const read = {
    kind: 'test.failing',
    run: (e: SqlEntityManager, keys: readonly string[]) =>
      runSql(e, frag(fail ? 'select no_such_column from users' : 'select k.v as user_name, k.i as _batch_i from jsonb_array_elements_text(?::jsonb) with ordinality as k(v, i)', fail ? [] : [keys])),
  };
  const failed = await Promise.allSettled(['a', 'b', 'c'].map((k) => readBatched(em, read, k)));
  expect(failed.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
  expect(new Set(failed.map((r) => String((r as PromiseRejectedResult).reason.message))).size).toBe(1);
  expect(String((failed[0] as PromiseRejectedResult).reason.message)).toMatch(/no_such_column/);
  fail = false;
  expect((await Promise.all(['a', 'b'].map((k) => readBatched(em, read, k)))).map((rows) => rows.map((r) => r.user_name))).toEqual([['a'], ['b']]);
});

test('a key the database would refuse fails its own read only, with the error a lone read gives', async () => {
  const users = await Promise.all(Array.from({ length: 4 }, () => createUser(scim)));
  const store = t.db.store();
  const byName = (value: string) => store.users.list({ filter: { compare: { path: 'userName', op: 'eq', value } }, offset: 0, limit: 100 });
  // in one turn, through the store (over SCIM, the filter parser refuses U+0000 first)
  const [bad, surrogate, ...good] = await Promise.allSettled([byName('a\u0000b'), byName('x\ud800y'), ...users.map((u) => byName(u.userName))]);
  expect(bad).toMatchObject({ status: 'rejected', reason: { name: 'InvalidValue' } });
  expect(surrogate).toMatchObject({ status: 'rejected', reason: { name: 'InvalidValue' } });
  good.forEach((r, i) => expect(r.status === 'fulfilled' && r.value.items.map((u) => u.id)).toEqual([users[i].id]));
  // and over SCIM each request keeps its own answer
  const [refused, ...found] = await Promise.all([lookup('a\u0000b'), ...users.map((u) => lookup(u.userName))]);
  expectScimError(refused, 400, 'invalidFilter');
  found.forEach((r, i) => expect((r.body as ListBody).Resources.map((u) => u.id)).toEqual([users[i].id]));
});

test('a lookup sees a write committed before it, whatever batch it joins', async () => {
  for (let round = 0; round < 5; round++) {
    const userName = unique('fresh');
    const others = await Promise.all(Array.from({ length: 3 }, () => createUser(scim)));
    const created = await createUser(scim, { userName });
    const [found, ...rest] = await Promise.all([lookup(userName), ...others.map((u) => lookup(u.userName))]);
    expect((found.body as ListBody).Resources.map((u) => u.id)).toEqual([created.id]);
    rest.forEach((r, i) => expect((r.body as ListBody).Resources.map((u) => u.id)).toEqual([others[i].id]));
    // renamed, then looked up by both names at once
    const renamed = unique('renamed');
    await scim.patch(`/Users/${created.id}`, { schemas: ['urn:ietf:params:scim:api:messages:2.0:PatchOp'], Operations: [{ op: 'replace', path: 'userName', value: renamed }] }).expect(204);
    const [oldName, newName] = await Promise.all([lookup(userName), lookup(renamed)]);
    expect([(oldName.body as ListBody).totalResults, (newName.body as ListBody).Resources.map((u) => u.id)]).toEqual([0, [created.id]]);
  }
});

test('a read inside a transaction sees that transaction, never a batch outside it', async () => {
  const name = unique('in-tx');
  const store = t.db.store();
  const seen = await store.transaction(async (tx) => {
    const user = tx.users.create({ id: crypto.randomUUID(), userName: name, source: 'local', createdAt: new Date(), updatedAt: new Date() } as never);
    await tx.flush();
    const page = await tx.read.users.list({ filter: { compare: { path: 'userName', op: 'eq', value: name } }, offset: 0, limit: 10 });
    const byId = await tx.read.users.byIds([user.id]);
    return [page.items.map((u) => u.userName), byId.map((u) => u.userName)];
  });
  expect(seen).toEqual([[name], [name]]);
});

test('a lookup that is not a lone key keeps every check of a list', async () => {
  const u = await createUser(scim);
  // an unknown sort attribute is still refused, though one row needs no order: as in any other list
  const control = await scim.get(`/Users?filter=${encodeURIComponent('title eq "x"')}&sortBy=nope`);
  const sorted = await scim.get(`/Users?filter=${encodeURIComponent(`userName eq "${u.userName}"`)}&sortBy=nope`);
  expectScimError(sorted, 400, control.body.scimType as string);
  expect(sorted.body).toEqual(control.body);
  // a second page of a lookup is empty, with its total
  const second = (await scim.get(`/Users?filter=${encodeURIComponent(`userName eq "${u.userName}"`)}&startIndex=2`).expect(200)).body as ListBody;
  expect([second.totalResults, second.Resources ?? []]).toEqual([1, []]);
  // count=0 asks only for the total
  const none = (await scim.get(`/Users?filter=${encodeURIComponent(`userName eq "${u.userName}"`)}&count=0`).expect(200)).body as ListBody;
  expect(none.totalResults).toBe(1);
});

test('/metrics counts the batched reads and their statements', async () => {
  const u = await createUser(scim);
  await Promise.all([lookup(u.userName), lookup(u.userName)]);
  const text = (
    await request(t.server)
      .get('/metrics')
      .set('authorization', `Bearer ${await t.apiKey('ADMIN')}`)
  ).text;
  const value = (name: string) => Number(new RegExp(`^${name} (\\d+)`, 'm').exec(text)?.[1]);
  expect(value('roster_read_batch_reads_total')).toBe(readBatchStats.reads);
  expect(value('roster_read_batch_statements_total')).toBe(readBatchStats.statements);
  expect(readBatchStats.reads).toBeGreaterThan(readBatchStats.statements);
});

test('READ_BATCH_MAX=0: every read is a statement of its own, with the same answers', async () => {
  const off = await createTestApp({ READ_BATCH_MAX: '0' });
  try {
    const token = (await off.ok<{ activateProvisioning: { token: string } }>('mutation { activateProvisioning(idp: "okta") { token } }')).activateProvisioning.token;
    const c = scimClient({ http: request(off.server) } as unknown as ScimTestApp, token);
    const users = await Promise.all(Array.from({ length: 5 }, () => createUser(c)));
    const before = { ...readBatchStats };
    const wire = recordSqlText();
    const answers = await Promise.all(users.map((u) => c.get(`/Users?filter=${encodeURIComponent(`userName eq "${u.userName}"`)}`)));
    wire.stop();
    answers.forEach((r, i) => expect((r.body as ListBody).Resources.map((u) => u.id)).toEqual([users[i].id]));
    expect(readBatchStats).toEqual(before);
    expect(batchStatements(wire.texts)).toBe(0);
  } finally {
    await off.close();
    readBatching.max = 64;
  }
});
