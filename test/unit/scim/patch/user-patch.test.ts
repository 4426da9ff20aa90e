import { applyPatch } from '../../../../src/scim/patch/apply.js';
import type { ScimResource } from '../../../../src/scim/schema/types.js';
import { ENT, QP, USER, buildUser, errorOf, patch } from './helpers.js';

function without(resource: ScimResource, ...keys: string[]): ScimResource {
  const copy = { ...resource };
  for (const k of keys) delete copy[k];
  return copy;
}

const work = { value: 'alex@example.com', type: 'work', primary: true };
const home = { value: 'alex@home.example', type: 'home' };
const mobile = { value: '+1 555', type: 'mobile' };

describe('applyPatch on a User: results (RFC 7644 §3.5.2)', () => {
  type Row = [string, ScimResource, Record<string, unknown>[], ScimResource];
  const rows: Row[] = [
    // single-valued attributes
    ['replace a simple attribute', {}, [{ op: 'replace', path: 'displayName', value: 'A W' }], { displayName: 'A W' }],
    ['add a simple attribute', {}, [{ op: 'add', path: 'nickName', value: 'Al' }], { nickName: 'Al' }],
    ['attribute names in any case', {}, [{ op: 'replace', path: 'DISPLAYNAME', value: 'X' }], { displayName: 'X' }],
    ['core-URN-qualified path', {}, [{ op: 'replace', path: `${USER}:displayName`, value: 'X' }], { displayName: 'X' }],
    ['"False" string for a boolean (Entra)', {}, [{ op: 'Replace', path: 'active', value: 'False' }], { active: false }],
    ['"True" with Add used for replace (Entra)', { active: false }, [{ op: 'Add', path: 'active', value: 'True' }], { active: true }],
    ['no-path replace {active:false} (Okta)', {}, [{ op: 'replace', value: { active: false } }], { active: false }],
    ['null value removes', { nickName: 'Al' }, [{ op: 'replace', path: 'nickName', value: null }], { nickName: undefined }],
    ['no-path null value removes', { nickName: 'Al' }, [{ op: 'replace', value: { nickName: null } }], { nickName: undefined }],
    ['remove a simple attribute', { nickName: 'Al' }, [{ op: 'remove', path: 'nickName' }], { nickName: undefined }],
    ['remove an absent attribute is a no-op', {}, [{ op: 'remove', path: 'title' }], {}],
    ['externalId (common, readWrite)', {}, [{ op: 'replace', path: 'externalId', value: 'ext-2' }], { externalId: 'ext-2' }],
    ['password (writeOnly) can be set', {}, [{ op: 'replace', path: 'password', value: 'n3w' }], { password: 'n3w' }],
    // complex attributes
    ['sub-attribute path', {}, [{ op: 'Replace', path: 'name.familyName', value: 'Wilber-Jones' }], { name: { givenName: 'Alex', familyName: 'Wilber-Jones' } }],
    ['sub-attribute path creates the complex value', { name: undefined }, [{ op: 'add', path: 'name.givenName', value: 'A' }], { name: { givenName: 'A' } }],
    [
      'replace on a complex attribute merges sub-attributes (RFC 7644 §3.5.2.3)',
      {},
      [{ op: 'replace', path: 'name', value: { middleName: 'J' } }],
      { name: { givenName: 'Alex', familyName: 'Wilber', middleName: 'J' } },
    ],
    [
      'null sub-attribute in a complex value clears it (Entra)',
      {},
      [{ op: 'replace', path: 'name', value: { familyName: null, formatted: 'Alex' } }],
      { name: { givenName: 'Alex', formatted: 'Alex' } },
    ],
    ['null sub-attribute path clears it', {}, [{ op: 'replace', path: 'name.givenName', value: null }], { name: { familyName: 'Wilber' } }],
    ['remove a sub-attribute', {}, [{ op: 'remove', path: 'name.familyName' }], { name: { givenName: 'Alex' } }],
    ['removing the last sub-attribute unassigns the complex value', { name: { givenName: 'A' } }, [{ op: 'remove', path: 'name.givenName' }], { name: undefined }],
    ['remove a complex attribute', {}, [{ op: 'remove', path: 'name' }], { name: undefined }],
    ['no-path dotted key (Okta/Entra)', {}, [{ op: 'replace', value: { 'name.givenName': 'Al', 'NAME.familyName': 'W' } }], { name: { givenName: 'Al', familyName: 'W' } }],
    // multi-valued attributes
    ['add appends to a multi-valued attribute', {}, [{ op: 'add', path: 'emails', value: [home] }], { emails: [work, home] }],
    ['add a single object to a multi-valued attribute', {}, [{ op: 'add', path: 'emails', value: home }], { emails: [work, home] }],
    ['add skips an exact duplicate (RFC 7644 §3.5.2.1)', {}, [{ op: 'add', path: 'emails', value: [{ ...work }] }], { emails: [work] }],
    [
      'add with primary true clears the other primary (RFC 7643 §2.4)',
      {},
      [{ op: 'add', path: 'emails', value: [{ ...home, primary: true }] }],
      {
        emails: [
          { ...work, primary: false },
          { ...home, primary: true },
        ],
      },
    ],
    ['replace without filter replaces the whole list', { emails: [work, home] }, [{ op: 'replace', path: 'emails', value: [{ value: 'n@x' }] }], { emails: [{ value: 'n@x' }] }],
    ['no-path replace of a list', { emails: [work, home] }, [{ op: 'replace', value: { emails: [home] } }], { emails: [home] }],
    ['replace with an empty list unassigns', {}, [{ op: 'replace', path: 'emails', value: [] }], { emails: undefined }],
    ['remove a whole multi-valued attribute', {}, [{ op: 'remove', path: 'emails' }], { emails: undefined }],
    ['remove with a filter', { emails: [work, home] }, [{ op: 'remove', path: 'emails[type eq "home"]' }], { emails: [work] }],
    ['remove with a filter, any case in names and case-insensitive values', { emails: [work, home] }, [{ op: 'remove', path: 'EMAILS[TYPE eq "HOME"]' }], { emails: [work] }],
    ['remove the last element unassigns the attribute', {}, [{ op: 'remove', path: 'emails[value eq "alex@example.com"]' }], { emails: undefined }],
    [
      'remove a sub-attribute of matched elements',
      { emails: [work, home] },
      [{ op: 'remove', path: 'emails[type eq "work"].primary' }],
      { emails: [{ value: 'alex@example.com', type: 'work' }, home] },
    ],
    ['remove with a value list removes those elements', { emails: [work, home] }, [{ op: 'remove', path: 'emails', value: [{ value: 'ALEX@home.example' }] }], { emails: [work] }],
    [
      'filter + sub-attribute sets it on the match (Entra)',
      {},
      [{ op: 'Replace', path: 'emails[type eq "work"].value', value: 'alex.w@example.com' }],
      { emails: [{ ...work, value: 'alex.w@example.com' }] },
    ],
    ['filter + sub-attribute creates the element when none matches (Entra)', {}, [{ op: 'Add', path: 'phoneNumbers[type eq "mobile"].value', value: '+1 555' }], { phoneNumbers: [mobile] }],
    [
      'replace on a filter that matches nothing creates too (Entra)',
      { emails: undefined },
      [{ op: 'Replace', path: 'emails[type eq "work"].value', value: 'w@x' }],
      { emails: [{ type: 'work', value: 'w@x' }] },
    ],
    ['addresses[type eq "work"].formatted created (Entra)', {}, [{ op: 'Add', path: 'addresses[type eq "work"].formatted', value: '1 Way' }], { addresses: [{ type: 'work', formatted: '1 Way' }] }],
    ['null on a filter + sub-attribute with no match is a no-op', {}, [{ op: 'Replace', path: 'addresses[type eq "work"].streetAddress', value: null }], {}],
    [
      'null on a filter + sub-attribute clears the sub-attribute',
      { addresses: [{ type: 'work', streetAddress: 'S', locality: 'L' }] },
      [{ op: 'Replace', path: 'addresses[type eq "work"].streetAddress', value: null }],
      { addresses: [{ type: 'work', locality: 'L' }] },
    ],
    [
      'filter + primary true clears the other primary',
      { emails: [work, home] },
      [{ op: 'replace', path: 'emails[type eq "home"].primary', value: 'True' }],
      {
        emails: [
          { ...work, primary: false },
          { ...home, primary: true },
        ],
      },
    ],
    [
      'replace with a filter replaces the matched element (RFC 7644 §3.5.2.3)',
      { emails: [work, home] },
      [{ op: 'replace', path: 'emails[type eq "home"]', value: { value: 'h2@x', type: 'home' } }],
      { emails: [work, { value: 'h2@x', type: 'home' }] },
    ],
    [
      'add with a filter merges into the matched element',
      { emails: [work, home] },
      [{ op: 'add', path: 'emails[type eq "home"]', value: { display: 'Home' } }],
      { emails: [work, { ...home, display: 'Home' }] },
    ],
    [
      'add with a type filter and no match creates the element',
      { emails: [home] },
      [{ op: 'add', path: 'emails[type eq "work"]', value: { value: 'w@x' } }],
      { emails: [home, { type: 'work', value: 'w@x' }] },
    ],
    ['replace with a filter and null value removes the matches', { emails: [work, home] }, [{ op: 'replace', path: 'emails[type eq "home"]', value: null }], { emails: [work] }],
    [
      'no-path key with a value filter (Entra)',
      {},
      [{ op: 'replace', value: { 'emails[type eq "work"].value': 'w@x', 'phoneNumbers[type eq "mobile"].value': '+1 555' } }],
      { emails: [{ ...work, value: 'w@x' }], phoneNumbers: [mobile] },
    ],
    [
      'sub-attribute of every element (no filter)',
      { emails: [work, home] },
      [{ op: 'replace', path: 'emails.display', value: 'x' }],
      {
        emails: [
          { ...work, display: 'x' },
          { ...home, display: 'x' },
        ],
      },
    ],
    [
      'complex filter (and) with a match',
      { emails: [work, home] },
      [{ op: 'replace', path: 'emails[type eq "home" and value sw "alex"].value', value: 'h@x' }],
      { emails: [work, { ...home, value: 'h@x' }] },
    ],
    // extensions
    ['URN-qualified path to an extension attribute (Entra)', {}, [{ op: 'Add', path: `${ENT}:department`, value: 'Sales' }], { schemas: [USER, ENT], [ENT]: { department: 'Sales' } }],
    ['manager given as a bare id (Entra)', {}, [{ op: 'Add', path: `${ENT}:manager`, value: 'm1' }], { schemas: [USER, ENT], [ENT]: { manager: { value: 'm1' } } }],
    ['manager given as {value}', {}, [{ op: 'replace', path: `${ENT}:manager`, value: { value: 'm1' } }], { schemas: [USER, ENT], [ENT]: { manager: { value: 'm1' } } }],
    [
      'a new manager drops the old derived $ref and displayName',
      { schemas: [USER, ENT], [ENT]: { manager: { value: 'm0', $ref: 'https://r/Users/m0', displayName: 'Old' } } },
      [{ op: 'replace', path: `${ENT}:manager`, value: 'm1' }],
      { schemas: [USER, ENT], [ENT]: { manager: { value: 'm1' } } },
    ],
    ['manager.value sub-path', {}, [{ op: 'replace', path: `${ENT}:manager.value`, value: 'm2' }], { schemas: [USER, ENT], [ENT]: { manager: { value: 'm2' } } }],
    [
      'null manager removes it and the empty extension',
      { schemas: [USER, ENT], [ENT]: { manager: { value: 'm0' } } },
      [{ op: 'replace', path: `${ENT}:manager`, value: null }],
      { schemas: [USER], [ENT]: undefined },
    ],
    ['no-path URN-qualified key (Okta/Entra)', {}, [{ op: 'replace', value: { [`${ENT}:employeeNumber`]: '1' } }], { schemas: [USER, ENT], [ENT]: { employeeNumber: '1' } }],
    [
      'no-path extension object merges',
      { schemas: [USER, ENT], [ENT]: { employeeNumber: '1' } },
      [{ op: 'replace', value: { [ENT]: { department: 'D' } } }],
      { schemas: [USER, ENT], [ENT]: { employeeNumber: '1', department: 'D' } },
    ],
    [
      'path = extension URN with an object',
      {},
      [{ op: 'add', path: QP, value: { staticIp: '10.0.0.1', MACADDRESS: 'aa:bb' } }],
      { schemas: [USER, QP], [QP]: { staticIp: '10.0.0.1', macAddress: 'aa:bb' } },
    ],
    ['remove a whole extension', { schemas: [USER, QP], [QP]: { staticIp: '1' } }, [{ op: 'remove', path: QP }], { schemas: [USER], [QP]: undefined }],
    [
      'remove an extension attribute',
      { schemas: [USER, ENT, QP], [ENT]: { department: 'D', costCenter: 'C' }, [QP]: { staticIp: '1' } },
      [{ op: 'remove', path: `${ENT}:costCenter` }],
      { schemas: [USER, ENT, QP], [ENT]: { department: 'D' }, [QP]: { staticIp: '1' } },
    ],
    ['extension URN in any case', {}, [{ op: 'add', path: `${QP.toUpperCase()}:staticIp`, value: '1' }], { schemas: [USER, QP], [QP]: { staticIp: '1' } }],
    // readOnly no-ops and schemas
    ['no-path replace with the current id is ignored (Okta)', {}, [{ op: 'replace', value: { id: 'u1', displayName: 'X' } }], { displayName: 'X' }],
    ['groups: [] when the user has none is ignored', {}, [{ op: 'replace', value: { groups: [] } }], {}],
    ['operations on schemas are ignored (recomputed)', {}, [{ op: 'add', path: 'schemas', value: ['urn:x'] }], {}],
    // several operations collapse in order
    [
      'operations apply in order',
      {},
      [
        { op: 'add', path: 'nickName', value: 'a' },
        { op: 'replace', path: 'nickName', value: 'b' },
        { op: 'remove', path: 'title' },
      ],
      { nickName: 'b' },
    ],
  ];
  it.each(rows)('%s', (_label, overrides, operations, expectedChanges) => {
    const current = buildUser(overrides);
    const { resource } = applyPatch('User', current, patch(...operations));
    const expected = buildUser({ ...overrides, ...expectedChanges });
    // A key whose expected value is undefined must be absent.
    const want = without(
      expected,
      ...Object.entries(expected)
        .filter(([, v]) => v === undefined)
        .map(([k]) => k),
    );
    expect(resource).toEqual(want);
  });

  it('does not mutate the current resource', () => {
    const current = buildUser({ emails: [work, home] });
    const snapshot = structuredClone(current);
    applyPatch('User', current, patch({ op: 'remove', path: 'emails[type eq "home"]' }, { op: 'replace', path: 'name.givenName', value: 'X' }));
    expect(current).toEqual(snapshot);
  });
});

describe('applyPatch on a User: changed', () => {
  type Row = [string, ScimResource, Record<string, unknown>[], boolean];
  const rows: Row[] = [
    ['a real change', {}, [{ op: 'replace', path: 'displayName', value: 'X' }], true],
    ['the same value', {}, [{ op: 'replace', path: 'displayName', value: 'Alex Wilber' }], false],
    ['"True" on an active user', {}, [{ op: 'Replace', path: 'active', value: 'True' }], false],
    ['Okta deactivation re-sent', { active: false }, [{ op: 'replace', value: { active: false } }], false],
    ['Okta id + same displayName', {}, [{ op: 'replace', value: { id: 'u1', displayName: 'Alex Wilber' } }], false],
    ['remove of an absent attribute', {}, [{ op: 'remove', path: 'nickName' }], false],
    ['duplicate add', {}, [{ op: 'add', path: 'emails', value: [work] }], false],
    [
      'change then change back',
      {},
      [
        { op: 'replace', path: 'title', value: 'T' },
        { op: 'remove', path: 'title' },
      ],
      false,
    ],
    ['same email value through a filter', {}, [{ op: 'Replace', path: 'emails[type eq "work"].value', value: 'alex@example.com' }], false],
    ['password is always a change', {}, [{ op: 'replace', path: 'password', value: 'p' }], true],
  ];
  it.each(rows)('%s → %s', (_label, overrides, operations, changed) => {
    expect(applyPatch('User', buildUser(overrides), patch(...operations)).changed).toBe(changed);
  });
  it('has no memberDelta for users', () => {
    expect(applyPatch('User', buildUser(), patch({ op: 'replace', path: 'title', value: 'T' }))).not.toHaveProperty('memberDelta');
  });
});

describe('applyPatch on a User: errors', () => {
  type Row = [string, ScimResource, Record<string, unknown>[], string, RegExp];
  const rows: Row[] = [
    ['replace id with another value', {}, [{ op: 'replace', value: { id: 'other' } }], 'mutability', /"id" is read-only/],
    ['replace path id', {}, [{ op: 'replace', path: 'id', value: 'other' }], 'mutability', /read-only/],
    ['remove id', {}, [{ op: 'remove', path: 'id' }], 'mutability', /read-only/],
    ['replace meta', {}, [{ op: 'replace', path: 'meta.lastModified', value: '2030-01-01T00:00:00Z' }], 'mutability', /read-only/],
    ['add groups (readOnly)', {}, [{ op: 'add', path: 'groups', value: [{ value: 'g1' }] }], 'mutability', /"groups" is read-only/],
    ['manager.displayName (readOnly)', {}, [{ op: 'replace', path: `${ENT}:manager.displayName`, value: 'x' }], 'mutability', /read-only/],
    ['remove userName (required)', {}, [{ op: 'remove', path: 'userName' }], 'invalidValue', /required/],
    ['null userName (required)', {}, [{ op: 'replace', path: 'userName', value: null }], 'invalidValue', /required/],
    ['remove with a filter that matches nothing (RFC 7644 §3.5.2.2)', {}, [{ op: 'remove', path: 'emails[type eq "home"]' }], 'noTarget', /matches no value/],
    ['replace with a non-type filter that matches nothing', {}, [{ op: 'replace', path: 'emails[value eq "x@y"].type', value: 'home' }], 'noTarget', /matches no value/],
    ['replace with a type filter using another operator', {}, [{ op: 'replace', path: 'emails[type sw "ho"].value', value: 'x' }], 'noTarget', /matches no value/],
    ['sub-attribute of every element when there are none', { emails: undefined }, [{ op: 'replace', path: 'emails.value', value: 'x' }], 'noTarget', /matches no value/],
    ['wrong type', {}, [{ op: 'replace', path: 'active', value: 'maybe' }], 'invalidValue', /Operations\[0\]: "active" must be a boolean/],
    ['wrong type in a no-path value', {}, [{ op: 'replace', value: { displayName: 5 } }], 'invalidValue', /must be a string/],
    [
      'two primaries in a replaced list',
      {},
      [
        {
          op: 'replace',
          path: 'emails',
          value: [
            { value: 'a', primary: true },
            { value: 'b', primary: true },
          ],
        },
      ],
      'invalidValue',
      /primary/,
    ],
    ['primary true on two matched elements', { emails: [work, home] }, [{ op: 'replace', path: 'emails.primary', value: true }], 'invalidValue', /primary/],
    ['remove active (absent would mean true)', { active: false }, [{ op: 'remove', path: 'active' }], 'invalidValue', /"active" cannot be removed/],
    ['replace active with null', { active: false }, [{ op: 'replace', path: 'active', value: null }], 'invalidValue', /"active" cannot be removed/],
    ['no-path replace with active null', { active: false }, [{ op: 'replace', value: { active: null } }], 'invalidValue', /"active" cannot be removed/],
    [
      'the error names the failing operation',
      {},
      [
        { op: 'replace', path: 'title', value: 'ok' },
        { op: 'remove', path: 'id' },
      ],
      'mutability',
      /^Operations\[1\]/,
    ],
  ];
  it.each(rows)('%s', (_label, overrides, operations, scimType, detail) => {
    const e = errorOf(() => applyPatch('User', buildUser(overrides), patch(...operations)));
    expect(e.scimType).toBe(scimType);
    expect(e.detail).toMatch(detail);
  });
});

describe('applyPatch on a User: unknown attributes in values are skipped and listed', () => {
  it('an unknown sub-attribute of an element, an unknown no-path key, schemas inside an extension', () => {
    const result = applyPatch(
      'User',
      buildUser(),
      patch(
        { op: 'add', path: 'emails', value: [{ value: 'b@example.com', type: 'home', kind: 'x' }] },
        { op: 'Replace', value: { nickName: 'Al', shoeSize: 9, [ENT]: { schemas: [ENT], department: 'D' } } },
      ),
    );
    expect(result.resource.emails).toEqual([
      { value: 'alex@example.com', type: 'work', primary: true },
      { value: 'b@example.com', type: 'home' },
    ]);
    expect(result.resource.nickName).toBe('Al');
    expect(result.resource[ENT]).toEqual({ department: 'D' });
    expect(result.ignored).toEqual(['shoeSize', `${ENT}:schemas`, 'emails[0].kind']);
  });
});
