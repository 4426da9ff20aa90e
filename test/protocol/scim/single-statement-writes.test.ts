import { ScimTestApp, startScimApp } from './scim-app.js';
import { createGroup, createUser, memberIds, patchOp, scimClient, ScimClient, sql, userBody } from './scim-client.js';

/**
 * The writes of a push that are one SQL statement (create, profile push, deactivation, member
 * add/remove by the owner) run on the entity manager every request shares: none of them makes
 * a fork of the ORM of its own (each fork rewrote process.env twice, inside MikroORM), and each
 * still writes, answers and audits as one statement.
 */
let app: ScimTestApp;
let c: ScimClient;
beforeAll(async () => {
  app = await startScimApp();
  c = scimClient(app);
});
afterAll(() => app.close());

/** Forks of the ORM made while `fn` runs, leaving out the SCIM request log's own flush (a timer). */
async function forksDuring(fn: () => Promise<void>): Promise<number> {
  const em = app.db.orm.em;
  const original = em.fork.bind(em);
  let forks = 0;
  em.fork = ((...args: Parameters<typeof em.fork>) => {
    if (!new Error().stack?.includes('scim-request-log')) forks++;
    return original(...args);
  }) as typeof em.fork;
  try {
    await fn();
  } finally {
    em.fork = original;
  }
  return forks;
}

it('create, profile push, deactivation and member changes fork nothing, and each is written and audited', async () => {
  const u = await createUser(c);
  const g = await createGroup(c);
  const auditsBefore = (await sql<{ n: number }>(app, 'select count(*)::int as n from audit_events'))[0].n;
  let created = '';
  const forks = await forksDuring(async () => {
    created = (await c.post('/Users', userBody()).expect(201)).body.id as string;
    await c.put(`/Users/${u.id}`, { ...userBody({ userName: u.userName }), title: 'Engineer' }).expect(200);
    await c.patch(`/Users/${u.id}`, patchOp({ op: 'replace', value: { active: false } })).expect(204);
    await c.patch(`/Groups/${g.id}`, patchOp({ op: 'add', path: 'members', value: [{ value: u.id }, { value: created }] })).expect(204);
    await c.patch(`/Groups/${g.id}`, patchOp({ op: 'remove', path: `members[value eq "${created}"]` })).expect(204);
  });
  expect(forks).toBe(0);
  const [row] = await sql<{ title: string; active: boolean }>(app, 'select title, active from users where id = ?', [u.id]);
  expect(row).toEqual({ title: 'Engineer', active: false });
  expect(await memberIds(app, g.id)).toEqual([u.id]);
  const actions = await sql<{ action: string }>(app, 'select action from audit_events order by at, id offset ?', [auditsBefore]);
  expect(actions.map((a) => a.action)).toEqual(['user.create', 'user.update', 'user.update', 'group.update', 'group.update']);
  // the counter sees forks: a delete runs in a transaction of its own, on a fork
  expect(await forksDuring(async () => void (await c.delete(`/Users/${created}`).expect(204)))).toBeGreaterThan(0);
});
