import { recordSqlText } from '../../support/sql-wire.js';
import { ScimTestApp, startScimApp } from './scim-app.js';
import { createUser, expectScimError, patchOp, scimClient, ScimClient, sql } from './scim-client.js';

/**
 * A PATCH of a user answered 204 (Okta's and Entra's deactivation, a new title) sends only the new
 * ETag, so its write reads back only the user's id and version. The answer must still be exact:
 * the ETag is the version a read then sees, on every path a PATCH can take.
 */
let app: ScimTestApp;
let c: ScimClient;
beforeAll(async () => {
  app = await startScimApp();
  c = scimClient(app);
});
afterAll(() => app.close());

const etagOfGet = async (id: string) => (await c.get(`/Users/${id}`).expect(200)).headers.etag as string;

/** The write statements (one per shape) sent while `fn` ran. */
async function writesDuring(fn: () => Promise<void>): Promise<string[]> {
  const rec = recordSqlText();
  try {
    await fn();
  } finally {
    rec.stop();
  }
  return rec.texts.filter((t) => t.includes('upd as (update users'));
}

it('a deactivation answered 204 carries the new version as its ETag and its statement returns no other column of the user', async () => {
  const u = await createUser(c, { title: 'Engineer', emails: [{ value: 'stamp@example.com', type: 'work', primary: true }] });
  const before = await etagOfGet(u.id);
  let etag = '';
  const writes = await writesDuring(async () => {
    etag = (await c.patch(`/Users/${u.id}`, patchOp({ op: 'replace', value: { active: false } })).expect(204)).headers.etag as string;
  });
  expect(etag).not.toBe(before);
  expect(etag).toBe(await etagOfGet(u.id));
  const got = (await c.get(`/Users/${u.id}`).expect(200)).body;
  expect(got).toMatchObject({ active: false, title: 'Engineer', emails: [{ value: 'stamp@example.com', type: 'work', primary: true }] });
  const [audit] = await sql<{ changed: string[] }>(app, "select changed from audit_events where resource_id = ? and action = 'user.update'", [u.id]);
  expect(audit.changed).toEqual(['active']);
  // The statement's answer is the id and the version: not the 40 columns of the user, nor its groups.
  expect(writes).toHaveLength(1);
  expect(writes[0]).toContain("select 'written' as outcome, true as changes, u.id, u.version from upd u");
  expect(writes[0]).not.toMatch(/user_name|groups_json/i);
});

it('a PATCH that changes nothing answers 204 with the version it found, and writes nothing', async () => {
  const u = await createUser(c, { active: false });
  const before = await etagOfGet(u.id);
  const res = await c.patch(`/Users/${u.id}`, patchOp({ op: 'replace', value: { active: false } })).expect(204);
  expect(res.headers.etag).toBe(before);
  expect(await etagOfGet(u.id)).toBe(before);
  expect(await sql(app, "select 1 from audit_events where resource_id = ? and action = 'user.update'", [u.id])).toEqual([]);
});

it('a PATCH that reads the user first (a filtered path) answers 204 with the version a read then sees', async () => {
  const u = await createUser(c, { emails: [{ value: 'first@example.com', type: 'work' }] });
  const res = await c.patch(`/Users/${u.id}`, patchOp({ op: 'replace', path: 'emails[type eq "work"].value', value: 'second@example.com' })).expect(204);
  expect(res.headers.etag).toBe(await etagOfGet(u.id));
  expect((await c.get(`/Users/${u.id}`).expect(200)).body.emails).toEqual([{ value: 'second@example.com', type: 'work' }]);
});

it('a PATCH pinned with If-Match answers 204 with the next version, and a stale one still gets 412', async () => {
  const u = await createUser(c);
  const v1 = await etagOfGet(u.id);
  const res = await c
    .patch(`/Users/${u.id}`, patchOp({ op: 'replace', path: 'title', value: 'Lead' }))
    .set('If-Match', v1)
    .expect(204);
  expect(res.headers.etag).toBe(await etagOfGet(u.id));
  await c
    .patch(`/Users/${u.id}`, patchOp({ op: 'replace', path: 'title', value: 'Other' }))
    .set('If-Match', v1)
    .expect(412);
  expect((await c.get(`/Users/${u.id}`).expect(200)).body.title).toBe('Lead');
});

it('a PATCH that asks for attributes back still answers 200 with the whole user as written', async () => {
  const u = await createUser(c, { title: 'Engineer' });
  const res = await c.patch(`/Users/${u.id}?attributes=active,title`, patchOp({ op: 'replace', value: { active: false } })).expect(200);
  expect(res.body).toMatchObject({ id: u.id, active: false, title: 'Engineer' });
  expect(res.headers.etag).toBe(await etagOfGet(u.id));
});

describe('refusals on the stamp path answer as before and change nothing', () => {
  it('an unknown user is 404 with a SCIM error body', async () => {
    const res = await c.patch('/Users/0190a3b2-7c1d-7e2f-8a9b-0c1d2e3f4a5b', patchOp({ op: 'replace', value: { active: false } }));
    expectScimError(res, 404);
  });

  it('a value the attribute cannot hold is 400 invalidValue, and the user keeps its version and value', async () => {
    const u = await createUser(c, { title: 'Engineer' });
    const before = await etagOfGet(u.id);
    expectScimError(await c.patch(`/Users/${u.id}`, patchOp({ op: 'replace', value: { active: 'maybe' } })), 400, 'invalidValue');
    expectScimError(await c.patch(`/Users/${u.id}`, patchOp({ op: 'replace', path: 'title', value: 'bad\u0000title' })), 400, 'invalidValue');
    expect(await etagOfGet(u.id)).toBe(before);
    expect((await c.get(`/Users/${u.id}`).expect(200)).body).toMatchObject({ active: true, title: 'Engineer' });
    expect(await sql(app, "select 1 from audit_events where resource_id = ? and action = 'user.update'", [u.id])).toEqual([]);
  });
});
