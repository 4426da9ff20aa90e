import { createTestApp, TestApp, unique } from '../../support/app.js';
import { clockPast } from '../../support/wait.js';

/** Group writes over HTTP: uniqueness, membership deltas, diffed full lists, reads of members. */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

interface GroupOut {
  id: string;
  displayName: string;
  version: number;
  memberCount: number;
}
const FIELDS = 'id displayName version memberCount';

const user = async (): Promise<string> => (await t.ok<{ createUser: { id: string } }>('mutation($u: String!) { createUser(input: { userName: $u }) { id } }', { u: unique('member') })).createUser.id;
const users = (n: number) => Promise.all(Array.from({ length: n }, () => user()));
const members = (ids: string[]) => ids.map((id) => ({ id }));
const group = async (ids: string[] = [], displayName = unique('group')): Promise<GroupOut> =>
  (await t.ok<{ createGroup: GroupOut }>(`mutation($i: GroupInputType!) { createGroup(input: $i) { ${FIELDS} } }`, { i: { displayName, members: members(ids) } })).createGroup;
const memberRows = (groupId: string) => t.sql<{ member_id: string; created_at: Date }>('select member_id, created_at from memberships where group_id = ? order by member_id', [groupId]);
const auditRows = (id: string) => t.sql<{ action: string; changed: string[] }>('select action, changed from audit_events where resource_id = ? order by at, id', [id]);

const ADD = `mutation($id: ID!, $m: [MemberInput!]!) { addGroupMembers(id: $id, members: $m) { ${FIELDS} } }`;
const REMOVE = `mutation($id: ID!, $m: [ID!]!) { removeGroupMembers(id: $id, memberIds: $m) { ${FIELDS} } }`;
const REPLACE_MEMBERS = `mutation($id: ID!, $m: [MemberInput!]!) { replaceGroupMembers(id: $id, members: $m) { ${FIELDS} } }`;
const REPLACE = `mutation($id: ID!, $i: GroupInputType!) { replaceGroup(id: $id, input: $i) { ${FIELDS} } }`;

describe('displayName uniqueness', () => {
  it('ignores case, and a deleted group frees its name at once', async () => {
    const name = unique('Sales');
    const g = await group([], name);
    const r = await t.gql('mutation($n: String!) { createGroup(input: { displayName: $n }) { id } }', { n: name.toUpperCase() });
    expect(r.codes).toEqual(['UNIQUENESS']);
    await t.ok('mutation($id: ID!) { deleteGroup(id: $id) }', { id: g.id });
    expect((await group([], name.toUpperCase())).displayName).toBe(name.toUpperCase());
  });
});

describe('membership deltas', () => {
  it('adds, ignores re-adds, removes, and bumps the version only on a change', async () => {
    const [a, b, c] = await users(3);
    const g = await group([a]);
    expect(g).toMatchObject({ version: 1, memberCount: 1 });

    const added = (await t.ok<{ addGroupMembers: GroupOut }>(ADD, { id: g.id, m: members([b, c]) })).addGroupMembers;
    expect(added).toMatchObject({ version: 2, memberCount: 3 });

    // Adding members that are already there is a no-op: no version bump, no audit row.
    const again = (await t.ok<{ addGroupMembers: GroupOut }>(ADD, { id: g.id, m: members([a, b]) })).addGroupMembers;
    expect(again).toMatchObject({ version: 2, memberCount: 3 });

    const removed = (await t.ok<{ removeGroupMembers: GroupOut }>(REMOVE, { id: g.id, m: [c] })).removeGroupMembers;
    expect(removed).toMatchObject({ version: 3, memberCount: 2 });
    const absent = (await t.ok<{ removeGroupMembers: GroupOut }>(REMOVE, { id: g.id, m: [c, 'not-a-uuid'] })).removeGroupMembers;
    expect(absent).toMatchObject({ version: 3, memberCount: 2 });

    expect(await auditRows(g.id)).toEqual([
      { action: 'group.create', changed: ['displayName', 'members'] },
      { action: 'group.update', changed: ['members'] },
      { action: 'group.update', changed: ['members'] },
    ]);
  });

  it('replaces the member list writing only the difference', async () => {
    const [a, b, c, d] = await users(4);
    const g = await group([a, b, c]);
    const before = await memberRows(g.id);
    await clockPast();

    const replaced = (await t.ok<{ replaceGroupMembers: GroupOut }>(REPLACE_MEMBERS, { id: g.id, m: members([b, c, d]) })).replaceGroupMembers;
    expect(replaced).toMatchObject({ version: 2, memberCount: 3 });
    const after = await memberRows(g.id);
    // b and c kept their rows (same created_at); a went; d is new.
    for (const kept of [b, c]) {
      expect(after.find((r) => r.member_id === kept)?.created_at).toEqual(before.find((r) => r.member_id === kept)?.created_at);
    }
    expect(after.map((r) => r.member_id).sort()).toEqual([b, c, d].sort());
  });

  it('replaceGroup with the whole list (an Okta PUT) changes only membership, and nothing when nothing differs', async () => {
    const [a, b, c] = await users(3);
    const g = await group([a, b]);
    const before = await memberRows(g.id);

    const same = (await t.ok<{ replaceGroup: GroupOut }>(REPLACE, { id: g.id, i: { displayName: g.displayName, members: members([b, a]) } })).replaceGroup;
    expect(same.version).toBe(1);
    expect(await memberRows(g.id)).toEqual(before);

    const moved = (await t.ok<{ replaceGroup: GroupOut }>(REPLACE, { id: g.id, i: { displayName: g.displayName, members: members([a, b, c]) } })).replaceGroup;
    expect(moved).toMatchObject({ version: 2, memberCount: 3 });
    const after = await memberRows(g.id);
    expect(after.filter((r) => r.member_id !== c)).toEqual(before);
    expect((await auditRows(g.id)).map((e) => e.changed)).toEqual([['displayName', 'members'], ['members']]);

    // Members given in upper case name the same users.
    const upper = (await t.ok<{ replaceGroup: GroupOut }>(REPLACE, { id: g.id, i: { displayName: g.displayName, members: members([a, b, c].map((x) => x.toUpperCase())) } })).replaceGroup;
    expect(upper.version).toBe(2);
  });

  it('takes groups as members, but not the group itself', async () => {
    const inner = await group();
    const outer = await group([inner.id]);
    const d = await t.ok<{ group: { members: { nodes: { id: string; type: string; display: string; group: { displayName: string } | null; user: null }[] } } }>(
      'query($id: ID!) { group(id: $id) { members { nodes { id type display group { displayName } user { id } } } } }',
      { id: outer.id },
    );
    expect(d.group.members.nodes).toEqual([{ id: inner.id, type: 'Group', display: inner.displayName, group: { displayName: inner.displayName }, user: null }]);
    expect((await t.gql(ADD, { id: outer.id, m: [{ id: outer.id }] })).codes).toEqual(['INVALID_VALUE']);
    expect((await t.gql(ADD, { id: outer.id, m: [{ id: inner.id, type: 'User' }] })).codes).toEqual(['INVALID_VALUE']);
  });
});

describe('bad input writes nothing', () => {
  it('refuses a group with a nonexistent member, leaving no group row and no audit row', async () => {
    const name = unique('ghostly');
    const a = await user();
    const audits = await t.sql('select id from audit_events order by id');
    const r = await t.gql('mutation($i: GroupInputType!) { createGroup(input: $i) { id } }', { i: { displayName: name, members: members([a, '00000000-0000-4000-8000-00000000beef']) } });
    expect(r.codes).toEqual(['INVALID_VALUE']);
    expect(r.errors[0].message).toMatch(/does not exist/);
    expect(await t.sql('select id from groups where display_name = ?', [name])).toEqual([]);
    expect(await t.sql('select id from audit_events order by id')).toEqual(audits);
    expect((await t.gql('mutation($i: GroupInputType!) { createGroup(input: $i) { id } }', { i: { displayName: name, members: [{ id: 'bogus' }] } })).codes).toEqual(['INVALID_VALUE']);
  });

  it('leaves membership as it was when one member of a delta is bad', async () => {
    const [a, b] = await users(2);
    const g = await group([a]);
    const r = await t.gql(ADD, { id: g.id, m: members([b, '00000000-0000-4000-8000-00000000beef']) });
    expect(r.codes).toEqual(['INVALID_VALUE']);
    expect((await memberRows(g.id)).map((m) => m.member_id)).toEqual([a]);
    expect(await auditRows(g.id)).toHaveLength(1);
  });

  it('refuses a stale expectedVersion and a blank displayName', async () => {
    const g = await group();
    const stale = await t.gql('mutation($id: ID!, $n: String!) { updateGroup(id: $id, input: { displayName: $n }, expectedVersion: 7) { id } }', { id: g.id, n: unique('renamed') });
    expect(stale.codes).toEqual(['VERSION_MISMATCH']);
    expect((await t.gql(REPLACE, { id: g.id, i: { displayName: '' } })).codes).toEqual(['INVALID_VALUE']);
    expect((await t.ok<{ group: GroupOut }>(`query($id: ID!) { group(id: $id) { ${FIELDS} } }`, { id: g.id })).group).toEqual(g);
  });
});

describe('reading members', () => {
  it("names each member, in a whole-list write's answer as in a read: a user's displayName, else its userName; a group's displayName", async () => {
    const named = (await t.ok<{ createUser: { id: string } }>('mutation($u: String!) { createUser(input: { userName: $u, displayName: "Ada Lovelace" }) { id } }', { u: unique('named') })).createUser
      .id;
    const [bare] = await users(1);
    const inner = await group();
    const g = await group();
    const NODES = 'members { nodes { id type display } }';
    const written = (
      await t.ok<{ replaceGroup: { members: { nodes: { id: string; type: string; display: string }[] } } }>(
        `mutation($id: ID!, $i: GroupInputType!) { replaceGroup(id: $id, input: $i) { ${NODES} } }`,
        { id: g.id, i: { displayName: g.displayName, members: members([named, bare, inner.id]) } },
      )
    ).replaceGroup.members.nodes;
    const bareName = (await t.ok<{ user: { userName: string } }>('query($id: ID!) { user(id: $id) { userName } }', { id: bare })).user.userName;
    expect(Object.fromEntries(written.map((m) => [m.id, [m.type, m.display]]))).toEqual({ [named]: ['User', 'Ada Lovelace'], [bare]: ['User', bareName], [inner.id]: ['Group', inner.displayName] });
    const read = (await t.ok<{ group: { members: { nodes: unknown[] } } }>(`query($id: ID!) { group(id: $id) { ${NODES} } }`, { id: g.id })).group.members.nodes;
    expect(read).toEqual(written);
  });

  it('pages group.members and lists user.groups', async () => {
    const ids = await users(5);
    const g1 = await group(ids);
    const g2 = await group([ids[0]]);
    const page = (offset: number, limit: number) =>
      t.ok<{ group: { members: { nodes: { id: string; type: string; display: string; user: { id: string } }[] } } }>(
        'query($id: ID!, $o: Int!, $l: Int!) { group(id: $id) { members(offset: $o, limit: $l) { nodes { id type display user { id } } } } }',
        { id: g1.id, o: offset, l: limit },
      );
    const first = (await page(0, 2)).group.members.nodes;
    const rest = (await page(2, 10)).group.members.nodes;
    expect(first).toHaveLength(2);
    expect(rest).toHaveLength(3);
    expect([...first, ...rest].map((m) => m.id)).toEqual([...ids].sort());
    expect(first.every((m) => m.type === 'User' && m.user.id === m.id && m.display.startsWith('member-'))).toBe(true);

    const u = await t.ok<{ user: { groups: { id: string }[] } }>('query($id: ID!) { user(id: $id) { groups { id } } }', { id: ids[0] });
    expect(u.user.groups.map((g) => g.id).sort()).toEqual([g1.id, g2.id].sort());
    expect((await t.gql('query($id: ID!) { group(id: $id) { members(limit: -1) { nodes { id } } } }', { id: g1.id })).codes).toEqual(['INVALID_VALUE']);
  });
});
