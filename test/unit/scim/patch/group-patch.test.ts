import { applyPatch } from '../../../../src/scim/patch/apply.js';
import type { MemberDelta } from '../../../../src/scim/patch/types.js';
import type { ScimResource } from '../../../../src/scim/schema/types.js';
import { GROUP, buildGroup, errorOf, patch } from './helpers.js';

describe('applyPatch on a Group: member deltas (never the whole member list)', () => {
  type Row = [string, Record<string, unknown>[], MemberDelta];
  const rows: Row[] = [
    ['add path members', [{ op: 'add', path: 'members', value: [{ value: 'u1', display: 'U1' }, { value: 'u2' }] }], { add: [{ value: 'u1' }, { value: 'u2' }], remove: [] }],
    ['add keeps a member type', [{ op: 'add', path: 'members', value: [{ value: 'g2', type: 'Group' }] }], { add: [{ value: 'g2', type: 'Group' }], remove: [] }],
    ['add with $ref null (Entra)', [{ op: 'Add', path: 'members', value: [{ $ref: null, value: 'u1' }] }], { add: [{ value: 'u1' }], remove: [] }],
    ['add a single member object', [{ op: 'add', path: 'members', value: { value: 'u1' } }], { add: [{ value: 'u1' }], remove: [] }],
    ['add the same member twice in one list', [{ op: 'add', path: 'members', value: [{ value: 'u1' }, { value: 'u1' }] }], { add: [{ value: 'u1' }], remove: [] }],
    ['no-path add with members', [{ op: 'add', value: { members: [{ value: 'u1' }] } }], { add: [{ value: 'u1' }], remove: [] }],
    ['remove by value filter (Okta)', [{ op: 'remove', path: 'members[value eq "u1"]' }], { add: [], remove: ['u1'] }],
    ['remove by or-ed value filters', [{ op: 'remove', path: 'members[value eq "u1" or value eq "u2"]' }], { add: [], remove: ['u1', 'u2'] }],
    ['remove members with a value list removes only those (Entra)', [{ op: 'Remove', path: 'members', value: [{ value: 'u1' }] }], { add: [], remove: ['u1'] }],
    ['remove members without value clears the group', [{ op: 'remove', path: 'members' }], { add: [], remove: [], replaceAll: [] }],
    ['replace path members replaces all (Okta)', [{ op: 'replace', path: 'members', value: [{ value: 'u1', display: 'x' }] }], { add: [], remove: [], replaceAll: [{ value: 'u1' }] }],
    ['replace members with null clears', [{ op: 'replace', path: 'members', value: null }], { add: [], remove: [], replaceAll: [] }],
    ['no-path replace {members: []} clears (Okta)', [{ op: 'replace', value: { id: 'g1', displayName: 'Support', members: [] } }], { add: [], remove: [], replaceAll: [] }],
    [
      'add then remove the same member: the add is cancelled',
      [
        { op: 'add', path: 'members', value: [{ value: 'u1' }, { value: 'u2' }] },
        { op: 'remove', path: 'members[value eq "u1"]' },
      ],
      { add: [{ value: 'u2' }], remove: ['u1'] },
    ],
    [
      'remove then add the same member: the add wins',
      [
        { op: 'remove', path: 'members[value eq "u1"]' },
        { op: 'add', path: 'members', value: [{ value: 'u1' }] },
      ],
      { add: [{ value: 'u1' }], remove: [] },
    ],
    [
      'replace then add and remove edit the replacement list',
      [
        { op: 'replace', path: 'members', value: [{ value: 'u1' }, { value: 'u2' }] },
        { op: 'add', path: 'members', value: [{ value: 'u3' }] },
        { op: 'remove', path: 'members[value eq "u1"]' },
      ],
      { add: [], remove: [], replaceAll: [{ value: 'u2' }, { value: 'u3' }] },
    ],
    [
      'add and remove before a replace are discarded',
      [
        { op: 'add', path: 'members', value: [{ value: 'u1' }] },
        { op: 'remove', path: 'members[value eq "u2"]' },
        { op: 'replace', path: 'members', value: [{ value: 'u3' }] },
      ],
      { add: [], remove: [], replaceAll: [{ value: 'u3' }] },
    ],
    ['members path in any case', [{ op: 'ADD', path: 'Members', value: [{ Value: 'u1' }] }], { add: [{ value: 'u1' }], remove: [] }],
  ];
  it.each(rows)('%s', (_label, operations, delta) => {
    const result = applyPatch('Group', buildGroup(), patch(...operations));
    expect(result.memberDelta).toEqual(delta);
    expect(result.resource).not.toHaveProperty('members');
  });

  it('the resource never carries members, even when current had them', () => {
    const current = buildGroup({ members: [{ value: 'u1', type: 'User' }] });
    const result = applyPatch('Group', current, patch({ op: 'replace', path: 'displayName', value: 'X' }));
    expect(result.resource).toEqual({ ...buildGroup(), displayName: 'X' });
    expect(result).not.toHaveProperty('memberDelta');
    expect(result.changed).toBe(true);
  });

  it('a non-value member filter is evaluated when the caller passed the members', () => {
    const current = buildGroup({
      members: [
        { value: 'u1', type: 'User' },
        { value: 'g2', type: 'Group' },
      ],
    });
    const result = applyPatch('Group', current, patch({ op: 'remove', path: 'members[type eq "Group"]' }));
    expect(result.memberDelta).toEqual({ add: [], remove: ['g2'] });
  });
});

describe('applyPatch on a Group: attributes and changed', () => {
  type Row = [string, ScimResource, Record<string, unknown>[], ScimResource, boolean];
  const rows: Row[] = [
    ['rename with path (Entra)', {}, [{ op: 'Replace', path: 'displayName', value: 'Retail Operations' }], { displayName: 'Retail Operations' }, true],
    ['rename with no-path {id, displayName} (Okta)', {}, [{ op: 'replace', value: { id: 'g1', displayName: 'Customer Support' } }], { displayName: 'Customer Support' }, true],
    ['no-path {id, displayName} unchanged', {}, [{ op: 'replace', value: { id: 'g1', displayName: 'Support' } }], {}, false],
    ['externalId', {}, [{ op: 'add', path: 'externalId', value: 'x' }], { externalId: 'x' }, true],
  ];
  it.each(rows)('%s', (_label, overrides, operations, changes, changed) => {
    const result = applyPatch('Group', buildGroup(overrides), patch(...operations));
    expect(result.resource).toEqual(buildGroup({ ...overrides, ...changes }));
    expect(result.changed).toBe(changed);
  });

  type DeltaRow = [string, Record<string, unknown>[], boolean];
  const deltas: DeltaRow[] = [
    ['an add is a change', [{ op: 'add', path: 'members', value: [{ value: 'u1' }] }], true],
    ['a remove is a change (only the database knows if the row existed)', [{ op: 'remove', path: 'members[value eq "u1"]' }], true],
    ['replaceAll [] is a change', [{ op: 'remove', path: 'members' }], true],
    ['add of an empty list is not', [{ op: 'add', path: 'members', value: [] }], false],
  ];
  it.each(deltas)('%s', (_label, operations, changed) => {
    expect(applyPatch('Group', buildGroup(), patch(...operations)).changed).toBe(changed);
  });
});

describe('applyPatch on a Group: errors', () => {
  type Row = [string, Record<string, unknown>[], string, RegExp];
  const rows: Row[] = [
    ['members[value eq "x"].display is not writable in Roster', [{ op: 'replace', path: 'members[value eq "u1"].display', value: 'x' }], 'invalidPath', /member sub-attributes/],
    ['members.value path', [{ op: 'add', path: 'members.value', value: 'u1' }], 'invalidPath', /member sub-attributes/],
    ['add with a member filter', [{ op: 'add', path: 'members[value eq "u1"]', value: { value: 'u1' } }], 'invalidPath', /without a value filter/],
    ['replace with a member filter', [{ op: 'replace', path: 'members[value eq "u1"]', value: { value: 'u2' } }], 'invalidPath', /without a value filter/],
    ['remove by a non-value filter without the member list', [{ op: 'remove', path: 'members[type eq "Group"]' }], 'invalidPath', /members\[value eq/],
    ['member without value', [{ op: 'add', path: 'members', value: [{ display: 'x' }] }], 'invalidValue', /members\[0\]\.value/],
    ['member value not a string', [{ op: 'add', path: 'members', value: [{ value: 5 }] }], 'invalidValue', /must be a string/],
    ['member not an object', [{ op: 'add', path: 'members', value: [['u1']] }], 'invalidValue', /members\[0\]/],
    ['no-path replace with another id (Okta sends the same id)', [{ op: 'replace', value: { id: 'other', displayName: 'X' } }], 'mutability', /"id" is read-only/],
    ['remove displayName (required)', [{ op: 'remove', path: 'displayName' }], 'invalidValue', /required/],
    ['user attributes are unknown on groups', [{ op: 'replace', path: 'userName', value: 'x' }], 'invalidPath', /unknown attribute/],
    ['extensions are unknown on groups', [{ op: 'replace', path: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department', value: 'x' }], 'invalidPath', /unknown attribute/],
  ];
  it.each(rows)('%s', (_label, operations, scimType, detail) => {
    const e = errorOf(() => applyPatch('Group', buildGroup(), patch(...operations)));
    expect(e.scimType).toBe(scimType);
    expect(e.detail).toMatch(detail);
  });

  it('keeps schemas as the core Group schema', () => {
    expect(applyPatch('Group', buildGroup({ schemas: undefined }), patch({ op: 'replace', path: 'displayName', value: 'X' })).resource['schemas']).toEqual([GROUP]);
  });
});

describe('applyPatch on a Group: unknown member sub-attributes are skipped and listed', () => {
  it('displayName inside a member value (Entra) adds the member', () => {
    const result = applyPatch('Group', buildGroup(), patch({ op: 'Add', path: 'members', value: [{ value: 'u1', displayName: 'Alex', role: 'x' }] }));
    expect(result.memberDelta).toEqual({ add: [{ value: 'u1' }], remove: [] });
    expect(result.ignored).toEqual(['members[0].displayName', 'members[0].role']);
  });
});
