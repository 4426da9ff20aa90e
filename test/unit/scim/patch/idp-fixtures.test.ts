/**
 * Every PATCH body of the IdP conversations in test/fixtures/idp (okta-catalog-app/ and
 * entra-id/), copied verbatim with their placeholders, replayed in order against an in-memory
 * store that applies the member deltas the way the domain will: as row changes.
 */
import { applyPatch } from '../../../../src/scim/patch/apply.js';
import type { MemberDelta } from '../../../../src/scim/patch/types.js';
import type { ResourceTypeName, ScimResource } from '../../../../src/scim/schema/types.js';
import { validateResource } from '../../../../src/scim/schema/validate.js';
import { ENT, GROUP, USER } from './helpers.js';

const PATCH_OP = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';

/** The in-memory stand-in for the directory: resources by id, memberships by group id. */
class Store {
  readonly resources = new Map<string, ScimResource>();
  readonly members = new Map<string, Set<string>>();
  private next = 0;

  create(type: ResourceTypeName, body: unknown): string {
    const id = `${type.toLowerCase()}-${++this.next}`;
    const { members, ...rest } = validateResource(type, body, 'create');
    this.resources.set(id, { ...rest, id, meta: { resourceType: type, version: 'W/"1"' } });
    if (type === 'Group') this.members.set(id, new Set(Array.isArray(members) ? members.map((m) => String((m as { value: unknown }).value)) : []));
    return id;
  }

  patch(type: ResourceTypeName, id: string, body: unknown): { changed: boolean; memberDelta?: MemberDelta } {
    const current = this.resources.get(id);
    if (!current) throw new Error(`no ${id}`);
    const result = applyPatch(type, current, body);
    this.resources.set(id, result.resource);
    const set = this.members.get(id);
    if (result.memberDelta && set) {
      const { add, remove, replaceAll } = result.memberDelta;
      if (replaceAll) {
        set.clear();
        for (const m of replaceAll) set.add(m.value);
      }
      for (const m of add) set.add(m.value);
      for (const v of remove) set.delete(v);
    }
    return result;
  }
}

/** Replaces {{name}} placeholders the way the replay runner does. */
function fill<T>(body: T, vars: Record<string, string>): T {
  return JSON.parse(JSON.stringify(body).replace(/\{\{(\w+)\}\}/g, (_m, name: string) => vars[name] ?? `{{${name}}}`)) as T;
}

describe('Okta catalogue app PATCH bodies (okta-catalog-app)', () => {
  const store = new Store();
  const vars: Record<string, string> = {};
  vars['userId'] = store.create('User', {
    schemas: [USER],
    userName: 'sam.lee@example.com',
    name: { givenName: 'Sam', familyName: 'Lee' },
    emails: [{ primary: true, value: 'sam.lee@example.com', type: 'work' }],
    displayName: 'Sam Lee',
    externalId: '00u9zyxwVUTS8rqpo7n6',
    groups: [],
    password: 'Placeholder-7c1!zR',
    active: true,
  });
  vars['user2Id'] = store.create('User', {
    schemas: [USER],
    userName: 'kim.park@example.com',
    name: { givenName: 'Kim', familyName: 'Park' },
    emails: [{ primary: true, value: 'kim.park@example.com', type: 'work' }],
    active: true,
  });
  vars['groupId'] = store.create('Group', { schemas: [GROUP], displayName: 'Support', members: [] });
  const user = (): ScimResource => store.resources.get(vars['userId'] ?? '') ?? {};
  const group = (): ScimResource => store.resources.get(vars['groupId'] ?? '') ?? {};
  const members = (): string[] => [...(store.members.get(vars['groupId'] ?? '') ?? [])];

  it('deactivate: no-path replace', () => {
    const r = store.patch('User', vars['userId'] ?? '', fill({ schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: false } }] }, vars));
    expect(r.changed).toBe(true);
    expect(user()['active']).toBe(false);
  });
  it('reactivate: no-path replace', () => {
    store.patch('User', vars['userId'] ?? '', fill({ schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { active: true } }] }, vars));
    expect(user()['active']).toBe(true);
  });
  it('add members (with a no-path replace of id and displayName first)', () => {
    const r = store.patch(
      'Group',
      vars['groupId'] ?? '',
      fill(
        {
          schemas: [PATCH_OP],
          Operations: [
            { op: 'replace', value: { id: '{{groupId}}', displayName: 'Support' } },
            {
              op: 'add',
              path: 'members',
              value: [
                { value: '{{userId}}', display: 'sam.lee@example.com' },
                { value: '{{user2Id}}', display: 'kim.park@example.com' },
              ],
            },
          ],
        },
        vars,
      ),
    );
    expect(r.memberDelta).toEqual({ add: [{ value: vars['userId'] }, { value: vars['user2Id'] }], remove: [] });
    expect(members()).toEqual([vars['userId'], vars['user2Id']]);
    expect(group()['displayName']).toBe('Support');
  });
  it('remove one member by value filter', () => {
    const r = store.patch(
      'Group',
      vars['groupId'] ?? '',
      fill(
        {
          schemas: [PATCH_OP],
          Operations: [
            { op: 'replace', value: { id: '{{groupId}}', displayName: 'Support' } },
            { op: 'remove', path: 'members[value eq "{{userId}}"]' },
          ],
        },
        vars,
      ),
    );
    expect(r.memberDelta).toEqual({ add: [], remove: [vars['userId']] });
    expect(members()).toEqual([vars['user2Id']]);
  });
  it('rename: no-path replace with id and displayName', () => {
    const r = store.patch('Group', vars['groupId'] ?? '', fill({ schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { id: '{{groupId}}', displayName: 'Customer Support' } }] }, vars));
    expect(r).toMatchObject({ changed: true });
    expect(r).not.toHaveProperty('memberDelta');
    expect(group()['displayName']).toBe('Customer Support');
  });
  it('full member push: replace members', () => {
    const r = store.patch(
      'Group',
      vars['groupId'] ?? '',
      fill({ schemas: [PATCH_OP], Operations: [{ op: 'replace', path: 'members', value: [{ value: '{{userId}}', display: 'sam.lee@example.com' }] }] }, vars),
    );
    expect(r.memberDelta).toEqual({ add: [], remove: [], replaceAll: [{ value: vars['userId'] }] });
    expect(members()).toEqual([vars['userId']]);
    expect(group()['displayName']).toBe('Customer Support');
  });
  it('empty the group with a no-path replace holding members', () => {
    const r = store.patch(
      'Group',
      vars['groupId'] ?? '',
      fill({ schemas: [PATCH_OP], Operations: [{ op: 'replace', value: { id: '{{groupId}}', displayName: 'Customer Support', members: [] } }] }, vars),
    );
    expect(r.memberDelta).toEqual({ add: [], remove: [], replaceAll: [] });
    expect(members()).toEqual([]);
    expect(group()['displayName']).toBe('Customer Support');
  });
});

describe('Microsoft Entra ID PATCH bodies (entra-id)', () => {
  const store = new Store();
  const vars: Record<string, string> = {};
  vars['userId'] = store.create('User', {
    schemas: [USER, ENT],
    externalId: 'alex.w',
    userName: 'Alex.Wilber@contoso.example',
    active: true,
    displayName: 'Alex Wilber',
    emails: [{ primary: true, type: 'work', value: 'Alex.Wilber@contoso.example' }],
    meta: { resourceType: 'User' },
    name: { formatted: 'Alex Wilber', familyName: 'Wilber', givenName: 'Alex' },
    phoneNumbers: [{ type: 'mobile', value: '+1 425 555 0109' }],
    addresses: [{ type: 'work', formatted: 'One Microsoft Way, Redmond, WA', streetAddress: null, locality: 'Redmond', primary: true }],
    roles: [],
    [ENT]: { employeeNumber: '1001', department: 'Retail', manager: null },
  });
  vars['managerId'] = store.create('User', { schemas: [USER], externalId: 'megan.b', userName: 'Megan.Bowen@contoso.example', displayName: 'Megan Bowen', active: true });
  vars['groupId'] = store.create('Group', {
    schemas: [GROUP, 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group'],
    externalId: '8aa1a5c0-ab2e-4d3f-9b3c-5a2f0c9d1e7b',
    displayName: 'Retail Ops',
    meta: { resourceType: 'Group' },
    members: [],
  });
  const user = (): ScimResource => store.resources.get(vars['userId'] ?? '') ?? {};
  const members = (): string[] => [...(store.members.get(vars['groupId'] ?? '') ?? [])];

  it('update attributes', () => {
    store.patch(
      'User',
      vars['userId'] ?? '',
      fill(
        {
          schemas: [PATCH_OP],
          Operations: [
            { op: 'Replace', path: 'displayName', value: 'Alex W.' },
            { op: 'Replace', path: 'emails[type eq "work"].value', value: 'alex.w@contoso.example' },
            { op: 'Replace', path: 'name.familyName', value: 'Wilber-Jones' },
            { op: 'Add', path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department', value: 'Sales' },
            { op: 'Add', path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:manager', value: '{{managerId}}' },
          ],
        },
        vars,
      ),
    );
    expect(user()).toMatchObject({
      displayName: 'Alex W.',
      emails: [{ primary: true, type: 'work', value: 'alex.w@contoso.example' }],
      name: { formatted: 'Alex Wilber', familyName: 'Wilber-Jones', givenName: 'Alex' },
      [ENT]: { employeeNumber: '1001', department: 'Sales', manager: { value: vars['managerId'] } },
    });
    expect(user()['schemas']).toEqual([USER, ENT]);
  });
  it('disable: string boolean', () => {
    store.patch('User', vars['userId'] ?? '', { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'active', value: 'False' }] });
    expect(user()['active']).toBe(false);
  });
  it('enable: Add used for active', () => {
    store.patch('User', vars['userId'] ?? '', { schemas: [PATCH_OP], Operations: [{ op: 'Add', path: 'active', value: 'True' }] });
    expect(user()['active']).toBe(true);
  });
  it('add members', () => {
    const r = store.patch(
      'Group',
      vars['groupId'] ?? '',
      fill(
        {
          schemas: [PATCH_OP],
          Operations: [
            {
              op: 'Add',
              path: 'members',
              value: [
                { $ref: null, value: '{{userId}}' },
                { $ref: null, value: '{{managerId}}' },
              ],
            },
          ],
        },
        vars,
      ),
    );
    expect(r.memberDelta).toEqual({ add: [{ value: vars['userId'] }, { value: vars['managerId'] }], remove: [] });
    expect(members()).toEqual([vars['userId'], vars['managerId']]);
  });
  it('legacy removal: Remove + members + value list removes only those', () => {
    const r = store.patch('Group', vars['groupId'] ?? '', fill({ schemas: [PATCH_OP], Operations: [{ op: 'Remove', path: 'members', value: [{ value: '{{userId}}' }] }] }, vars));
    expect(r.memberDelta).toEqual({ add: [], remove: [vars['userId']] });
    expect(members()).toEqual([vars['managerId']]);
  });
  it('rename group', () => {
    const r = store.patch('Group', vars['groupId'] ?? '', { schemas: [PATCH_OP], Operations: [{ op: 'Replace', path: 'displayName', value: 'Retail Operations' }] });
    expect(r.changed).toBe(true);
    expect(store.resources.get(vars['groupId'] ?? '')).toMatchObject({ displayName: 'Retail Operations', externalId: '8aa1a5c0-ab2e-4d3f-9b3c-5a2f0c9d1e7b' });
  });
});
