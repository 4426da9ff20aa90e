import { createTestApp, TestApp, unique } from '../../support/app.js';

/** User writes over HTTP: uniqueness, races, versions, IdP ownership, audit, profile views. */
let t: TestApp;
beforeAll(async () => {
  t = await createTestApp();
});
afterAll(() => t.close());

interface UserOut {
  id: string;
  userName: string;
  version: number;
  lastModified: string;
  title: string | null;
}
const FIELDS = 'id userName version lastModified title';
const CREATE = `mutation($i: UserInputType!) { createUser(input: $i) { ${FIELDS} } }`;
const UPDATE = `mutation($id: ID!, $i: UserInputType!, $v: Int, $f: Boolean) { updateUser(id: $id, input: $i, expectedVersion: $v, force: $f) { ${FIELDS} } }`;

const create = async (input: Record<string, unknown>, key?: string) => (await t.ok<{ createUser: UserOut }>(CREATE, { i: input }, key)).createUser;
const count = async (sql: string, bindings: unknown[]) => (await t.sql<{ n: number }>(`select count(*)::int as n from ${sql}`, bindings))[0].n;
const auditRows = (id: string) => t.sql<{ action: string; changed: string[] }>('select action, changed from audit_events where resource_id = ? order by at, id', [id]);

describe('userName uniqueness', () => {
  it('ignores case', async () => {
    const name = `${unique('Ann')}@Example.com`;
    await create({ userName: name });
    const r = await t.gql(CREATE, { i: { userName: name.toLowerCase().replace('example', 'EXAMPLE') } });
    expect(r.codes).toEqual(['UNIQUENESS']);
    expect(r.errors[0].message).toMatch(/already taken/);
    expect(await count('users where user_name = ?', [name])).toBe(1);
  });

  it('lets exactly one of 10 concurrent creates of one userName win', async () => {
    const name = unique('race');
    const variants = Array.from({ length: 10 }, (_, i) => (i % 2 ? name.toUpperCase() : name));
    const results = await Promise.all(variants.map((u) => t.gql<{ createUser: UserOut }>(CREATE, { i: { userName: u } })));
    const wins = results.filter((r) => r.data?.createUser);
    expect(wins).toHaveLength(1);
    expect(results.filter((r) => r.codes.join() === 'UNIQUENESS')).toHaveLength(9);
    expect(await count('users where user_name = ?', [name])).toBe(1);
    // The losers' audit rows rolled back with their inserts.
    expect(await count("audit_events where action = 'user.create' and resource_id not in (select id::text from users)", [])).toBe(0);
  });

  it('is checked on rename too, and the rename writes nothing', async () => {
    const a = await create({ userName: unique('first') });
    const b = await create({ userName: unique('second') });
    const r = await t.gql(UPDATE, { id: b.id, i: { userName: a.userName.toUpperCase() } });
    expect(r.codes).toEqual(['UNIQUENESS']);
    const after = (await t.ok<{ user: UserOut }>(`query($id: ID!) { user(id: $id) { ${FIELDS} } }`, { id: b.id })).user;
    expect(after).toEqual(b);
  });
});

describe('audit trail in the same transaction', () => {
  it('records one event with the changed attributes for a create and for an update', async () => {
    const u = await create({ userName: unique('audited'), title: 'Engineer' });
    expect(await auditRows(u.id)).toEqual([{ action: 'user.create', changed: ['userName', 'title'] }]);
    const v2 = (await t.ok<{ updateUser: UserOut }>(UPDATE, { id: u.id, i: { title: 'Manager', displayName: 'Boss' } })).updateUser;
    expect(v2.version).toBe(u.version + 1);
    expect(await auditRows(u.id)).toEqual([
      { action: 'user.create', changed: ['userName', 'title'] },
      { action: 'user.update', changed: ['displayName', 'title'] },
    ]);
  });

  it('records nothing and keeps version and lastModified when a write changes nothing', async () => {
    const u = await create({ userName: unique('steady'), title: 'Same' });
    const again = (await t.ok<{ updateUser: UserOut }>(UPDATE, { id: u.id, i: { title: 'Same', userName: u.userName } })).updateUser;
    expect(again).toEqual(u);
    const replaced = (
      await t.ok<{ replaceUser: UserOut }>(`mutation($id: ID!, $i: UserInputType!) { replaceUser(id: $id, input: $i) { ${FIELDS} } }`, { id: u.id, i: { userName: u.userName, title: 'Same' } })
    ).replaceUser;
    expect(replaced).toEqual(u);
    expect(await auditRows(u.id)).toHaveLength(1);
  });

  it('never clears active: replaceUser without it, or with null, keeps a disabled user disabled; updateUser with null too', async () => {
    const u = await create({ userName: unique('away'), active: false, title: 'Gone' });
    const REPLACE = `mutation($id: ID!, $i: UserInputType!) { replaceUser(id: $id, input: $i) { active title version } }`;
    expect((await t.ok<{ replaceUser: { active: boolean } }>(REPLACE, { id: u.id, i: { userName: u.userName } })).replaceUser).toMatchObject({ active: false, title: null });
    expect((await t.ok<{ replaceUser: { active: boolean } }>(REPLACE, { id: u.id, i: { userName: u.userName, active: null } })).replaceUser.active).toBe(false);
    expect((await t.ok<{ updateUser: { active: boolean } }>(`mutation($id: ID!) { updateUser(id: $id, input: { active: null }) { active } }`, { id: u.id })).updateUser.active).toBe(false);
    // the writes that named nothing but active changed nothing: only the replace that cleared the title was recorded
    expect((await auditRows(u.id)).map((a) => a.changed)).toEqual([['userName', 'active', 'title'], ['title']]);
    expect((await t.ok<{ replaceUser: { active: boolean } }>(REPLACE, { id: u.id, i: { userName: u.userName, active: true } })).replaceUser.active).toBe(true);
  });

  it('records nothing for a failed write', async () => {
    const u = await create({ userName: unique('failing') });
    const r = await t.gql(UPDATE, {
      id: u.id,
      i: {
        emails: [
          { value: 'a@x', primary: true },
          { value: 'b@x', primary: true },
        ],
      },
    });
    expect(r.codes).toEqual(['INVALID_VALUE']);
    expect(await auditRows(u.id)).toHaveLength(1);
  });
});

describe('optimistic locking and IdP ownership', () => {
  it('refuses a stale expectedVersion', async () => {
    const u = await create({ userName: unique('versioned') });
    await t.ok(UPDATE, { id: u.id, i: { title: 'v2' }, v: u.version });
    const stale = await t.gql(UPDATE, { id: u.id, i: { title: 'lost update' }, v: u.version });
    expect(stale.codes).toEqual(['VERSION_MISMATCH']);
    expect(stale.errors[0].extensions?.details).toEqual({ current: u.version + 1 });
    expect((await t.ok<{ user: UserOut }>('query($id: ID!) { user(id: $id) { title } }', { id: u.id })).user.title).toBe('v2');
  });

  it('refuses a local edit of an IdP-managed user unless forced', async () => {
    const token = (await t.ok<{ activateProvisioning: { token: string } }>('mutation { activateProvisioning(idp: "okta") { token } }')).activateProvisioning.token;
    const u = await create({ userName: unique('from-okta') }, token);
    const r = await t.gql(UPDATE, { id: u.id, i: { title: 'local edit' } });
    expect(r.codes).toEqual(['MANAGED_BY_IDP']);
    expect(r.errors[0].message).toMatch(/okta/);
    expect((await t.gql('mutation($id: ID!) { deactivateUser(id: $id) { active } }', { id: u.id })).codes).toEqual(['MANAGED_BY_IDP']);
    const forced = (await t.ok<{ updateUser: UserOut }>(UPDATE, { id: u.id, i: { title: 'local edit' }, f: true })).updateUser;
    expect(forced.title).toBe('local edit');
    // The IdP itself may always change what it manages.
    expect((await t.ok<{ updateUser: UserOut }>(UPDATE, { id: u.id, i: { title: 'from okta' } }, token)).updateUser.title).toBe('from okta');
  });
});

describe('writes that ask only for the id and version', () => {
  const read = async (id: string) => (await t.ok<{ user: UserOut & { active: boolean } }>(`query($id: ID!) { user(id: $id) { ${FIELDS} active } }`, { id })).user;

  it('answer with the version the write left, whatever form the selection takes', async () => {
    const u = await create({ userName: unique('stamped'), title: 'Engineer' });
    const update = (await t.ok<{ updateUser: { id: string; version: number } }>('mutation($id: ID!) { updateUser(id: $id, input: { title: "Lead" }) { id version } }', { id: u.id })).updateUser;
    expect(update).toEqual({ id: u.id, version: u.version + 1 });
    const deactivated = (await t.ok<{ deactivateUser: Record<string, unknown> }>('mutation($id: ID!) { deactivateUser(id: $id) { __typename version id } }', { id: u.id })).deactivateUser;
    expect(deactivated).toEqual({ __typename: 'User', version: u.version + 2, id: u.id });
    const viaFragment = (await t.ok<{ activateUser: Record<string, unknown> }>('mutation($id: ID!) { activateUser(id: $id) { ...Stamp } } fragment Stamp on User { id version }', { id: u.id }))
      .activateUser;
    expect(viaFragment).toEqual({ id: u.id, version: u.version + 3 });
    const skipped = (
      await t.ok<{ updateUser: Record<string, unknown> }>('mutation($id: ID!, $no: Boolean!) { updateUser(id: $id, input: { title: "Staff" }) { id version userName @include(if: $no) } }', {
        id: u.id,
        no: false,
      })
    ).updateUser;
    expect(skipped).toEqual({ id: u.id, version: u.version + 4 });
    expect(await read(u.id)).toMatchObject({ title: 'Staff', active: true, version: u.version + 4 });
    expect((await auditRows(u.id)).map((r) => r.changed)).toEqual([['userName', 'title'], ['title'], ['active'], ['active'], ['title']]);
  });

  it('a write that changes nothing answers with the version it found', async () => {
    const u = await create({ userName: unique('unchanged'), title: 'Same' });
    const same = (await t.ok<{ updateUser: { version: number } }>('mutation($id: ID!) { updateUser(id: $id, input: { title: "Same" }) { version } }', { id: u.id })).updateUser;
    expect(same).toEqual({ version: u.version });
  });

  it('any other field selected gets the whole user, as written', async () => {
    const u = await create({ userName: unique('whole'), title: 'Engineer' });
    const r = (await t.ok<{ updateUser: Record<string, unknown> }>('mutation($id: ID!) { updateUser(id: $id, input: { title: "Lead" }) { id version userName title } }', { id: u.id })).updateUser;
    expect(r).toEqual({ id: u.id, version: u.version + 1, userName: u.userName, title: 'Lead' });
  });

  it('refusals are the same codes as for a whole answer, and change nothing', async () => {
    const u = await create({ userName: unique('stamp-refused'), title: 'Engineer' });
    const missing = await t.gql('mutation { deactivateUser(id: "0190a3b2-7c1d-7e2f-8a9b-0c1d2e3f4a5b") { id version } }');
    expect(missing.codes).toEqual(['NOT_FOUND']);
    const stale = await t.gql('mutation($id: ID!, $v: Int) { updateUser(id: $id, input: { title: "lost" }, expectedVersion: $v) { id version } }', { id: u.id, v: u.version + 5 });
    expect(stale.codes).toEqual(['VERSION_MISMATCH']);
    const blank = await t.gql('mutation($id: ID!) { updateUser(id: $id, input: { userName: "  " }) { version } }', { id: u.id });
    expect(blank.codes).toEqual(['INVALID_VALUE']);
    expect(await read(u.id)).toMatchObject({ title: 'Engineer', version: u.version, userName: u.userName });
  });

  it('a stamp-only write the single statement cannot do (another owner, forced) answers from the locking path', async () => {
    const token = (await t.ok<{ activateProvisioning: { token: string } }>('mutation { activateProvisioning(idp: "okta") { token } }')).activateProvisioning.token;
    const u = await create({ userName: unique('okta-stamp') }, token);
    const r = (await t.ok<{ updateUser: Record<string, unknown> }>('mutation($id: ID!) { updateUser(id: $id, input: { title: "forced" }, force: true) { id version } }', { id: u.id })).updateUser;
    expect(r).toEqual({ id: u.id, version: u.version + 1 });
    expect(await read(u.id)).toMatchObject({ title: 'forced', version: u.version + 1 });
  });
});

describe('bad input and unknown ids', () => {
  it('rejects a blank userName and writes nothing', async () => {
    const before = await count('users', []);
    expect((await t.gql(CREATE, { i: { userName: '  ' } })).codes).toEqual(['INVALID_VALUE']);
    expect((await t.gql(CREATE, { i: { title: 'no name' } })).codes).toEqual(['INVALID_VALUE']);
    expect(await count('users', [])).toBe(before);
  });

  it('answers a malformed or unknown id with null or NOT_FOUND, never an internal error', async () => {
    for (const id of ['not-a-uuid', "1' or '1'='1", '00000000-0000-4000-8000-00000000dead']) {
      const read = await t.gql<{ user: null; group: null }>('query($id: ID!) { user(id: $id) { id } group(id: $id) { id } }', { id });
      expect(read.errors).toEqual([]);
      expect(read.data).toEqual({ user: null, group: null });
      expect((await t.gql(UPDATE, { id, i: { title: 'x' } })).codes).toEqual(['NOT_FOUND']);
      expect((await t.gql('mutation($id: ID!) { deleteUser(id: $id) }', { id })).codes).toEqual(['NOT_FOUND']);
      expect((await t.gql('mutation($id: ID!) { revokeCredential(id: $id) { id } }', { id })).codes).toEqual([id.startsWith('0000') ? 'NOT_FOUND' : 'INVALID_VALUE']);
    }
  });

  it('deletes a user and its memberships', async () => {
    const u = await create({ userName: unique('leaving') });
    const g = (
      await t.ok<{ createGroup: { id: string; version: number } }>('mutation($n: String!, $m: ID!) { createGroup(input: { displayName: $n, members: [{ id: $m }] }) { id version } }', {
        n: unique('team'),
        m: u.id,
      })
    ).createGroup;
    expect((await t.ok<{ deleteUser: string }>('mutation($id: ID!) { deleteUser(id: $id) }', { id: u.id })).deleteUser).toBe(u.id);
    const after = (await t.ok<{ group: { version: number; memberCount: number } }>('query($id: ID!) { group(id: $id) { version memberCount } }', { id: g.id })).group;
    expect(after).toEqual({ version: g.version + 1, memberCount: 0 });
  });
});

describe('profile views', () => {
  const VIEW = 'id email secondEmail mobilePhone postalAddress emails { value type primary } phoneNumbers { value type } addresses { formatted primary }';

  it('are written as SCIM attributes and read back', async () => {
    const d = await t.ok<{ createUser: Record<string, unknown> & { id: string } }>(`mutation($i: UserInputType!) { createUser(input: $i) { ${VIEW} } }`, {
      i: {
        userName: unique('viewed'),
        emails: [{ value: 'work@x.com', type: 'work', primary: true }],
        secondEmail: 'other@x.com',
        mobilePhone: '+1 555 0100',
        postalAddress: '1 Main St, Springfield',
      },
    });
    expect(d.createUser).toMatchObject({
      email: 'work@x.com',
      secondEmail: 'other@x.com',
      mobilePhone: '+1 555 0100',
      postalAddress: '1 Main St, Springfield',
      emails: [
        { value: 'work@x.com', type: 'work', primary: true },
        { value: 'other@x.com', type: 'other', primary: null },
      ],
      phoneNumbers: [{ value: '+1 555 0100', type: 'mobile' }],
      addresses: [{ formatted: '1 Main St, Springfield', primary: true }],
    });

    // updateUser changes one view and keeps the rest of the list.
    const u = await t.ok<{ updateUser: Record<string, unknown> }>(`mutation($id: ID!) { updateUser(id: $id, input: { secondEmail: "new@x.com", postalAddress: "2 Side St" }) { ${VIEW} } }`, {
      id: d.createUser.id,
    });
    expect(u.updateUser).toMatchObject({
      email: 'work@x.com',
      secondEmail: 'new@x.com',
      emails: [
        { value: 'work@x.com', type: 'work' },
        { value: 'new@x.com', type: 'other' },
      ],
      addresses: [{ formatted: '2 Side St', primary: true }],
      mobilePhone: '+1 555 0100',
    });

    // null clears a view.
    const c = await t.ok<{ updateUser: Record<string, unknown> }>(`mutation($id: ID!) { updateUser(id: $id, input: { secondEmail: null, mobilePhone: null }) { ${VIEW} } }`, { id: d.createUser.id });
    expect(c.updateUser).toMatchObject({ secondEmail: null, mobilePhone: null, phoneNumbers: [], emails: [{ value: 'work@x.com', type: 'work' }] });
  });
});
