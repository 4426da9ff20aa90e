import { project, projector } from '../../../../src/scim/schema/projection.js';
import { SCHEMA_URNS } from '../../../../src/scim/schema/registry.js';
import type { ScimResource } from '../../../../src/scim/schema/types.js';

const USER = SCHEMA_URNS.user;
const ENT = SCHEMA_URNS.enterpriseUser;
const QP = SCHEMA_URNS.queryPieUser;
const meta = { resourceType: 'User', created: '2024-01-01T00:00:00Z', lastModified: '2024-01-02T00:00:00Z', version: 'W/"1"', location: 'https://x/Users/1' };

const user: ScimResource = {
  schemas: [USER, ENT, QP],
  id: '1',
  externalId: 'e1',
  userName: 'a',
  password: 'secret',
  name: { givenName: 'A', familyName: 'B' },
  emails: [
    { value: 'a@x', type: 'work', primary: true },
    { value: 'b@x', type: 'home' },
  ],
  active: true,
  meta,
  [ENT]: { employeeNumber: '7', manager: { value: 'm', displayName: 'M' } },
  [QP]: { staticIp: '10.0.0.1' },
};

describe('project (RFC 7644 §3.4.2.5, §3.9)', () => {
  type Row = [string, { attributes?: string[]; excludedAttributes?: string[] }, ScimResource];
  const { password: _password, ...withoutPassword } = user;
  const rows: Row[] = [
    ['default: everything but returned:never (password)', {}, withoutPassword],
    ['attributes=userName keeps id and schemas (returned always)', { attributes: ['userName'] }, { schemas: user['schemas'], id: '1', userName: 'a' }],
    ['attribute names are case-insensitive', { attributes: ['USERNAME', 'Active'] }, { schemas: user['schemas'], id: '1', userName: 'a', active: true }],
    ['a sub-attribute of a complex attribute', { attributes: ['name.givenName'] }, { schemas: user['schemas'], id: '1', name: { givenName: 'A' } }],
    ['a sub-attribute of a multi-valued attribute', { attributes: ['emails.value'] }, { schemas: user['schemas'], id: '1', emails: [{ value: 'a@x' }, { value: 'b@x' }] }],
    ['a URN-qualified extension attribute', { attributes: [`${ENT}:employeeNumber`] }, { schemas: user['schemas'], id: '1', [ENT]: { employeeNumber: '7' } }],
    ['a URN-qualified extension sub-attribute', { attributes: [`${ENT}:manager.value`] }, { schemas: user['schemas'], id: '1', [ENT]: { manager: { value: 'm' } } }],
    ['a whole extension by URN', { attributes: [QP] }, { schemas: user['schemas'], id: '1', [QP]: { staticIp: '10.0.0.1' } }],
    ['a core-URN-qualified name', { attributes: [`${USER}:userName`] }, { schemas: user['schemas'], id: '1', userName: 'a' }],
    ['attributes=password still never returns it', { attributes: ['password', 'userName'] }, { schemas: user['schemas'], id: '1', userName: 'a' }],
    ['meta is returned only when asked among attributes', { attributes: ['meta.lastModified'] }, { schemas: user['schemas'], id: '1', meta: { lastModified: meta.lastModified } }],
    ['unknown names are ignored', { attributes: ['nope', 'userName'] }, { schemas: user['schemas'], id: '1', userName: 'a' }],
  ];
  it.each(rows)('%s', (_label, options, expected) => {
    expect(project(user, 'User', options)).toEqual(expected);
  });

  it('excludedAttributes removes default attributes, never id or schemas', () => {
    const out = project(user, 'User', { excludedAttributes: ['emails', 'id', 'schemas', 'name.familyName', QP, `${ENT}:manager`] });
    expect(out).toEqual({
      schemas: user['schemas'],
      id: '1',
      externalId: 'e1',
      userName: 'a',
      name: { givenName: 'A' },
      active: true,
      meta,
      [ENT]: { employeeNumber: '7' },
    });
  });

  it('excludedAttributes=members for groups (Entra membership probe)', () => {
    const group = { schemas: [SCHEMA_URNS.group], id: 'g', displayName: 'G', members: [{ value: 'u' }], meta };
    expect(project(group, 'Group', { excludedAttributes: ['members'] })).toEqual({ schemas: [SCHEMA_URNS.group], id: 'g', displayName: 'G', meta });
    expect(project(group, 'Group', { attributes: ['members'] })).toEqual({ schemas: [SCHEMA_URNS.group], id: 'g', members: [{ value: 'u' }] });
  });

  it('keeps an empty list as given, drops unknown keys', () => {
    const group = { schemas: [SCHEMA_URNS.group], id: 'g', displayName: 'G', members: [], junk: 1 };
    expect(project(group, 'Group')).toEqual({ schemas: [SCHEMA_URNS.group], id: 'g', displayName: 'G', members: [] });
  });

  it('empty attributes list means no restriction', () => {
    expect(project(user, 'User', { attributes: [] })).toEqual(withoutPassword);
  });

  it('one projector over a list answers each resource as projecting it alone would', () => {
    // Resources of one list differ: keys in another case, attributes and extensions present or not.
    const others: ScimResource[] = [
      user,
      { schemas: [USER], id: '2', USERNAME: 'b', Name: { GIVENNAME: 'C', junk: 1 }, emails: [{ VALUE: 'c@x', Type: 'work' }], meta },
      { schemas: [USER, ENT], id: '3', userName: 'c', [ENT.toLowerCase()]: { MANAGER: { value: 'n' }, employeeNumber: '8' }, meta },
      { schemas: [USER], id: '4', userName: 'd', emails: [], name: {}, active: false },
    ];
    const optionSets = [
      ...rows.map(([, options]) => options),
      { excludedAttributes: ['emails', 'name.familyName', QP, `${ENT}:manager`] },
      { attributes: ['name', 'emails.type'], excludedAttributes: ['name.givenName'] },
    ];
    for (const options of optionSets) {
      const shared = projector('User', options);
      for (const r of others) expect([options, shared(r)]).toEqual([options, projector('User', options)(r)]);
    }
    // and the shared plan really is per name: the second resource's upper-case keys come out canonical
    expect(projector('User')(others[1]!)).toEqual({ schemas: [USER], id: '2', userName: 'b', name: { givenName: 'C' }, emails: [{ value: 'c@x', type: 'work' }], meta });
  });
});

describe('projector reuse', () => {
  it('gives the same projector to requests with the same parameters, and a different one otherwise', () => {
    const a = projector('User', { attributes: ['userName'] });
    expect(projector('User', { attributes: ['userName'] })).toBe(a);
    expect(projector('User', {})).toBe(projector('User'));
    expect(projector('User', { attributes: ['userName'] })).not.toBe(projector('User', { excludedAttributes: ['userName'] }));
    expect(projector('Group', {})).not.toBe(projector('User', {}));
    // attributes=a,b and excludedAttributes=… must not share a key with attributes=a and excludedAttributes=b,…
    expect(projector('User', { attributes: ['userName', 'title'] })).not.toBe(projector('User', { attributes: ['userName'], excludedAttributes: ['title'] }));
  });

  it('projects a reused projector exactly as a fresh one, whatever came before', () => {
    const user = { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], id: 'u1', userName: 'ann', title: 'boss', password: 'x', name: { givenName: 'Ann', familyName: 'Lee' } };
    const p = projector('User', { attributes: ['name.givenName'] });
    const first = p(user);
    expect(first).toEqual({ schemas: user.schemas, id: 'u1', name: { givenName: 'Ann' } });
    projector('User', { excludedAttributes: ['name'] })(user);
    expect(projector('User', { attributes: ['name.givenName'] })(user)).toEqual(first);
    expect(projector('User', { excludedAttributes: ['name'] })(user)).toEqual({ schemas: user.schemas, id: 'u1', userName: 'ann', title: 'boss' });
  });
});
