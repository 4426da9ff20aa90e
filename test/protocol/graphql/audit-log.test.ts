import request from 'supertest';
import { createTestApp, type TestApp, unique } from '../../support/app.js';

/** auditLog and the filters of auditEvents, over HTTP on a real database, with events made by real operations. */
let t: TestApp;
interface Ev {
  id: string;
  at: string;
  actor: string;
  action: string;
  resourceType: string;
  resourceId: string | null;
}
interface Page {
  nodes: Ev[];
  totalCount: number;
  hasNextPage: boolean;
}
const LOG =
  'query($f: AuditFilterInput, $first: Int, $offset: Int) { auditLog(filter: $f, first: $first, offset: $offset) { nodes { id at actor action resourceType resourceId } totalCount hasNextPage } }';
const log = async (f: Record<string, unknown> | null, first = 1000, offset = 0): Promise<Page> => (await t.ok<{ auditLog: Page }>(LOG, { f, first, offset })).auditLog;

const oktaUsers: string[] = [];
const entraUsers: string[] = [];
const ownUsers: string[] = [];
let groupId: string;

const scimCreate = async (token: string): Promise<string> => {
  const res = await request(t.server)
    .post('/scim/v2/Users')
    .set('authorization', `Bearer ${token}`)
    .set('content-type', 'application/scim+json')
    .send(JSON.stringify({ schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], userName: unique('scim') }));
  expect(res.status).toBe(201);
  return (res.body as { id: string }).id;
};
const activate = async (idp: string): Promise<string> =>
  (await t.ok<{ activateProvisioning: { token: string } }>('mutation($i: String!) { activateProvisioning(idp: $i) { token } }', { i: idp })).activateProvisioning.token;

beforeAll(async () => {
  t = await createTestApp();
  const okta = await activate('okta');
  const entra = await activate('entra');
  for (let i = 0; i < 3; i++) oktaUsers.push(await scimCreate(okta));
  for (let i = 0; i < 2; i++) entraUsers.push(await scimCreate(entra));
  for (let i = 0; i < 4; i++) {
    const d = await t.ok<{ createUser: { id: string } }>('mutation($i: UserInputType!) { createUser(input: $i) { id } }', { i: { userName: unique('local') } });
    ownUsers.push(d.createUser.id);
  }
  groupId = (await t.ok<{ createGroup: { id: string } }>('mutation($i: GroupInputType!) { createGroup(input: $i) { id } }', { i: { displayName: unique('group') } })).createGroup.id;
});
afterAll(() => t.close());

/** The same events read straight from the table, newest first: what every filter is checked against. */
const all = async (): Promise<Ev[]> => (await log(null)).nodes;

describe('auditLog', () => {
  it('lists every event newest first, ties broken by id, with an exact totalCount', async () => {
    const p = await log(null);
    const [{ n }] = await t.sql<{ n: number }>('select count(*)::int as n from audit_events');
    expect(p.totalCount).toBe(n);
    expect(p.nodes).toHaveLength(n);
    expect(p.hasNextPage).toBe(false);
    const expected = await t.sql<{ id: string }>('select id from audit_events order by at desc, id desc');
    expect(p.nodes.map((e) => e.id)).toEqual(expected.map((r) => r.id));
  });

  it('filters by exact action and by action prefix (". " kept, "*" dropped)', async () => {
    const created = await log({ action: 'user.create' });
    expect(created.totalCount).toBe(9);
    expect(new Set(created.nodes.map((e) => e.resourceId))).toEqual(new Set([...oktaUsers, ...entraUsers, ...ownUsers]));
    const dot = await log({ action: 'provisioning.' });
    expect(dot.nodes.map((e) => e.action)).toEqual(['provisioning.activate', 'provisioning.activate']);
    expect((await log({ action: 'provisioning.*' })).nodes.map((e) => e.id)).toEqual(dot.nodes.map((e) => e.id));
    expect((await log({ action: 'provisioning' })).totalCount).toBe(0);
    expect((await log({ action: 'user.' })).nodes.every((e) => e.action.startsWith('user.'))).toBe(true);
    // LIKE metacharacters are literal
    expect((await log({ action: 'user_create' })).totalCount).toBe(0);
    expect((await log({ action: '%.' })).totalCount).toBe(0);
  });

  it('filters by IdP: the events of its SCIM token only', async () => {
    const okta = await log({ idp: 'okta' });
    expect(okta.nodes.map((e) => e.resourceId).sort()).toEqual([...oktaUsers].sort());
    expect(okta.nodes.every((e) => e.actor.endsWith(' (okta)'))).toBe(true);
    const entra = await log({ idp: 'entra', action: 'user.create' });
    expect(entra.totalCount).toBe(2);
    expect(entra.nodes.map((e) => e.resourceId).sort()).toEqual([...entraUsers].sort());
    expect((await log({ idp: 'okt' })).totalCount).toBe(0);
  });

  it('filters by a substring of the actor, in any case', async () => {
    const events = await all();
    const ownerLabel = events.find((e) => e.resourceId === ownUsers[0])!.actor;
    const part = ownerLabel.slice(1, -1).toUpperCase();
    const p = await log({ actor: part });
    expect(p.totalCount).toBe(events.filter((e) => e.actor.toLowerCase().includes(part.toLowerCase())).length);
    expect(p.nodes.map((e) => e.resourceId)).toEqual(expect.arrayContaining([...ownUsers, groupId]));
    expect(p.nodes.some((e) => oktaUsers.includes(e.resourceId!))).toBe(false);
    expect((await log({ actor: '(OKTA)' })).totalCount).toBe(3);
    expect((await log({ actor: 'no such actor %' })).totalCount).toBe(0);
  });

  it('filters by resource type and resource id, and ignores empty strings', async () => {
    const groups = await log({ resourceType: 'Group' });
    expect(groups.nodes.map((e) => e.resourceId)).toEqual([groupId]);
    const one = await log({ resourceId: oktaUsers[1] });
    expect(one.nodes.map((e) => [e.action, e.resourceId])).toEqual([['user.create', oktaUsers[1]]]);
    expect((await log({ action: '', actor: '', idp: '' })).totalCount).toBe((await all()).length);
  });

  it('filters by time: since is inclusive, until exclusive', async () => {
    const events = await all();
    const pivot = events[Math.floor(events.length / 2)];
    const since = await log({ since: pivot.at });
    expect(since.nodes.map((e) => e.id)).toEqual(events.filter((e) => e.at >= pivot.at).map((e) => e.id));
    const until = await log({ until: pivot.at });
    expect(until.nodes.map((e) => e.id)).toEqual(events.filter((e) => e.at < pivot.at).map((e) => e.id));
    expect(since.totalCount + until.totalCount).toBe(events.length);
    const both = await log({ since: pivot.at, until: pivot.at });
    expect(both.totalCount).toBe(0);
  });

  it('combines filters (all must hold)', async () => {
    const p = await log({ action: 'user.create', idp: 'okta', resourceType: 'User', since: '2000-01-01T00:00:00.000Z' });
    expect(p.nodes.map((e) => e.resourceId).sort()).toEqual([...oktaUsers].sort());
  });

  it('pages stably: pages concatenate to the whole list, each with the same totalCount', async () => {
    const events = await all();
    const seen: string[] = [];
    for (let offset = 0; ; offset += 4) {
      const p = await log(null, 4, offset);
      expect(p.totalCount).toBe(events.length);
      seen.push(...p.nodes.map((e) => e.id));
      expect(p.hasNextPage).toBe(offset + 4 < events.length);
      if (!p.hasNextPage) break;
    }
    expect(seen).toEqual(events.map((e) => e.id));
    // a page that ends exactly at the last event has no next page
    expect((await log({ action: 'user.create' }, 9)).hasNextPage).toBe(false);
    expect((await log({ action: 'user.create' }, 8)).hasNextPage).toBe(true);
    const past = await log({ action: 'user.create' }, 5, 100);
    expect([past.nodes, past.totalCount, past.hasNextPage]).toEqual([[], 9, false]);
  });

  it('refuses READER, bad dates, reversed ranges and pages out of bounds with typed errors', async () => {
    const reader = await t.apiKey('READER');
    const r = await t.gql(LOG, { f: null }, reader);
    expect(r.codes).toEqual(['FORBIDDEN']);
    expect(r.data).toBeNull();
    expect((await t.gql(LOG, { f: { since: 'yesterday' } })).codes).toEqual(['BAD_USER_INPUT']);
    expect((await t.gql('{ auditLog(filter: { until: "2024-13-45" }) { totalCount } }')).codes).toEqual(['GRAPHQL_VALIDATION_FAILED']);
    expect((await t.gql(LOG, { f: { since: '2024-02-01T00:00:00Z', until: '2024-01-01T00:00:00Z' } })).codes).toEqual(['INVALID_VALUE']);
    expect((await t.gql(LOG, { f: null, first: 1001 })).codes).toEqual(['INVALID_VALUE']);
    expect((await t.gql(LOG, { f: null, offset: -1 })).codes).toEqual(['INVALID_VALUE']);
    expect((await t.gql(LOG, { f: { actor: 'x'.repeat(257) } })).codes).toEqual(['INVALID_VALUE']);
  });
});

describe('auditEvents', () => {
  it('keeps its arguments and takes the same filters', async () => {
    const q = 'query($r: ID, $a: String, $i: String, $l: Int) { auditEvents(resourceId: $r, action: $a, idp: $i, limit: $l) { id action resourceId ignored } }';
    const byResource = await t.ok<{ auditEvents: Ev[] }>(q, { r: ownUsers[0] });
    expect(byResource.auditEvents.map((e) => e.resourceId)).toEqual([ownUsers[0]]);
    const filtered = await t.ok<{ auditEvents: Ev[] }>(q, { a: 'user.create', i: 'entra', l: 1 });
    expect(filtered.auditEvents).toHaveLength(1);
    expect(entraUsers).toContain(filtered.auditEvents[0].resourceId);
    expect((await t.gql('{ auditEvents(since: "nope") { id } }')).codes).toEqual(['GRAPHQL_VALIDATION_FAILED']);
  });
});

test('events written in one transaction within one millisecond keep the order they were written in', async () => {
  const resourceId = crypto.randomUUID();
  const actions = Array.from({ length: 30 }, (_, i) => `test.step${String(i).padStart(2, '0')}`);
  await t.db.store().transaction(async (tx) => {
    for (const action of actions) await tx.audit.record({ actorId: null, actorLabel: 'test', action, resourceType: 'User', resourceId, changed: [], requestId: null });
  });
  const rows = await t.sql<{ action: string; at: Date }>('select action, at from audit_events where resource_id = ? order by at, id', [resourceId]);
  expect(rows.map((r) => r.action)).toEqual(actions);
  // newest first over GraphQL: the reverse, exactly
  const page = await log({ resourceId }, 100);
  expect(page.nodes.map((e) => e.action)).toEqual([...actions].reverse());
});
