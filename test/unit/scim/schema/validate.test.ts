import { ScimValidationError } from '../../../../src/scim/schema/errors.js';
import { SCHEMA_URNS } from '../../../../src/scim/schema/registry.js';
import type { ScimResource } from '../../../../src/scim/schema/types.js';
import { stripUnknownSchemas, validateResource } from '../../../../src/scim/schema/validate.js';

const USER = SCHEMA_URNS.user;
const GROUP = SCHEMA_URNS.group;
const ENT = SCHEMA_URNS.enterpriseUser;
const QP = SCHEMA_URNS.queryPieUser;

function errorOf(fn: () => unknown): ScimValidationError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ScimValidationError) return e;
    throw e;
  }
  throw new Error('expected a ScimValidationError');
}

describe('validateResource: accepted bodies, normalised', () => {
  type Row = [string, 'User' | 'Group', Record<string, unknown>, ScimResource];
  const rows: Row[] = [
    ['minimal user', 'User', { schemas: [USER], userName: 'a' }, { schemas: [USER], userName: 'a' }],
    [
      'canonical casing (client sends UserName)',
      'User',
      { UserName: 'a', NAME: { GivenName: 'A' }, Emails: [{ VALUE: 'a@x', Type: 'work' }] },
      { schemas: [USER], userName: 'a', name: { givenName: 'A' }, emails: [{ value: 'a@x', type: 'work' }] },
    ],
    [
      'Entra "True"/"False" strings become booleans',
      'User',
      { userName: 'a', active: 'False', emails: [{ value: 'a@x', primary: 'True' }] },
      { schemas: [USER], userName: 'a', active: false, emails: [{ value: 'a@x', primary: true }] },
    ],
    [
      'JSON null is absent (attribute, sub-attribute, element, extension attribute)',
      'User',
      { userName: 'a', nickName: null, addresses: [{ type: 'work', streetAddress: null, locality: 'R' }, null], [ENT]: { manager: null, department: 'D' } },
      { schemas: [USER, ENT], userName: 'a', addresses: [{ type: 'work', locality: 'R' }], [ENT]: { department: 'D' } },
    ],
    [
      'unknown schema URIs and unknown extension objects are ignored (Entra)',
      'Group',
      { schemas: [GROUP, 'http://schemas.microsoft.com/2006/11/ResourceManagement/ADSCIM/2.0/Group'], displayName: 'G', 'urn:example:ext': { x: 1 }, members: [] },
      { schemas: [GROUP], displayName: 'G' },
    ],
    [
      'readOnly attributes are ignored (id, meta, groups)',
      'User',
      { id: 'x', userName: 'a', meta: { resourceType: 'User' }, groups: [], externalId: 'e' },
      { schemas: [USER], userName: 'a', externalId: 'e' },
    ],
    [
      'non-canonical type values are kept (IdPs send their own)',
      'User',
      { userName: 'a', emails: [{ value: 'a@x', type: 'corporate' }] },
      { schemas: [USER], userName: 'a', emails: [{ value: 'a@x', type: 'corporate' }] },
    ],
    ['password (writeOnly) is kept for the service to hash', 'User', { userName: 'a', password: 'p' }, { schemas: [USER], userName: 'a', password: 'p' }],
    [
      'extensions keyed by URN, any case, both extensions',
      'User',
      { userName: 'a', [ENT.toUpperCase()]: { EmployeeNumber: '7', manager: { value: 'm', displayName: 'ignored' } }, [QP]: { staticIp: '10.0.0.1', macAddress: 'aa' } },
      { schemas: [USER, ENT, QP], userName: 'a', [ENT]: { employeeNumber: '7', manager: { value: 'm' } }, [QP]: { staticIp: '10.0.0.1', macAddress: 'aa' } },
    ],
    ['manager given as a bare id (Entra)', 'User', { userName: 'a', [ENT]: { manager: 'm1' } }, { schemas: [USER, ENT], userName: 'a', [ENT]: { manager: { value: 'm1' } } }],
    [
      'URN-qualified and dotted keys at the top level',
      'User',
      { userName: 'a', [`${ENT}:costCenter`]: 'c', 'name.familyName': 'F' },
      { schemas: [USER, ENT], userName: 'a', [ENT]: { costCenter: 'c' }, name: { familyName: 'F' } },
    ],
    ['a single value for a multi-valued attribute is wrapped', 'User', { userName: 'a', emails: { value: 'a@x' } }, { schemas: [USER], userName: 'a', emails: [{ value: 'a@x' }] }],
    [
      'group members: display (readOnly) and $ref null dropped',
      'Group',
      {
        displayName: 'G',
        members: [
          { value: 'u1', display: 'U', $ref: null },
          { value: 'g2', type: 'Group' },
        ],
      },
      { schemas: [GROUP], displayName: 'G', members: [{ value: 'u1' }, { value: 'g2', type: 'Group' }] },
    ],
    [
      'Okta custom-app create body',
      'User',
      {
        schemas: [USER],
        userName: 'sam@example.com',
        name: { givenName: 'Sam', familyName: 'Lee' },
        emails: [{ primary: true, value: 'sam@example.com', type: 'work' }],
        displayName: 'Sam Lee',
        externalId: '00u1',
        groups: [],
        password: 'P!',
        active: true,
      },
      {
        schemas: [USER],
        userName: 'sam@example.com',
        name: { givenName: 'Sam', familyName: 'Lee' },
        emails: [{ primary: true, value: 'sam@example.com', type: 'work' }],
        displayName: 'Sam Lee',
        externalId: '00u1',
        password: 'P!',
        active: true,
      },
    ],
    [
      'types: binary and reference',
      'User',
      { userName: 'a', x509Certificates: [{ value: 'TUlJ' }], photos: [{ value: 'https://p/x.png' }], profileUrl: 'https://p' },
      { schemas: [USER], userName: 'a', x509Certificates: [{ value: 'TUlJ' }], photos: [{ value: 'https://p/x.png' }], profileUrl: 'https://p' },
    ],
  ];
  it.each(rows)('%s', (_label, rt, body, expected) => {
    expect(validateResource(rt, body, 'create')).toEqual(expected);
  });

  it('Entra create body: schemas list, meta, nulls, enterprise object', () => {
    const body = {
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
    };
    const out = validateResource('User', body, 'create');
    expect(out).toEqual({
      schemas: [USER, ENT],
      externalId: 'alex.w',
      userName: 'Alex.Wilber@contoso.example',
      active: true,
      displayName: 'Alex Wilber',
      emails: [{ primary: true, type: 'work', value: 'Alex.Wilber@contoso.example' }],
      name: { formatted: 'Alex Wilber', familyName: 'Wilber', givenName: 'Alex' },
      phoneNumbers: [{ type: 'mobile', value: '+1 425 555 0109' }],
      addresses: [{ type: 'work', formatted: 'One Microsoft Way, Redmond, WA', locality: 'Redmond', primary: true }],
      [ENT]: { employeeNumber: '1001', department: 'Retail' },
    });
  });

  it('replace mode: an immutable value equal to the current one passes', () => {
    // No top-level immutable attribute in the core schemas: readOnly id is ignored on PUT.
    expect(validateResource('User', { id: 'other', userName: 'a' }, 'replace', { id: 'x', userName: 'b' })).toEqual({ schemas: [USER], userName: 'a' });
  });
});

describe('validateResource: unknown attributes are ignored and listed (Entra sends them)', () => {
  it('unknown core attributes, dotted names, extension attributes, sub-attributes and URNs', () => {
    const ignored: string[] = [];
    const body = {
      schemas: [USER, 'urn:example:custom'],
      userName: 'a',
      shoeSize: 9,
      'name.nick': 'x',
      name: { givenName: 'A', nick: 'x' },
      emails: [{ value: 'a@x', kind: 'x' }],
      [ENT]: { schemas: [ENT], department: 'D', x: 1 },
      'urn:example:custom:User': { a: 1 },
    };
    expect(validateResource('User', body, 'create', undefined, ignored)).toEqual({
      schemas: [USER, ENT],
      userName: 'a',
      name: { givenName: 'A' },
      emails: [{ value: 'a@x' }],
      [ENT]: { department: 'D' },
    });
    expect(ignored.sort()).toEqual(['emails[0].kind', `${ENT}:schemas`, `${ENT}:x`, 'name.nick', 'name.nick', 'shoeSize', 'urn:example:custom:User'].sort());
  });

  it('displayName inside a member is ignored; the member stays', () => {
    const ignored: string[] = [];
    expect(validateResource('Group', { displayName: 'G', members: [{ value: 'u1', displayName: 'Alex' }] }, 'create', undefined, ignored)).toEqual({
      schemas: [GROUP],
      displayName: 'G',
      members: [{ value: 'u1' }],
    });
    expect(ignored).toEqual(['members[0].displayName']);
  });
});

describe('validateResource: rejected bodies', () => {
  type Row = [string, 'User' | 'Group', unknown, string, RegExp];
  const rows: Row[] = [
    ['not an object', 'User', [1], 'invalidSyntax', /JSON object/],
    ['schemas not a list', 'User', { schemas: 'x', userName: 'a' }, 'invalidSyntax', /schemas/],
    ['missing userName', 'User', { schemas: [USER] }, 'invalidValue', /"userName" is required/],
    ['empty userName', 'User', { userName: '' }, 'invalidValue', /"userName" is required/],
    ['null userName', 'User', { userName: null }, 'invalidValue', /"userName" is required/],
    ['missing group displayName', 'Group', { members: [] }, 'invalidValue', /"displayName" is required/],
    ['extension not an object', 'User', { userName: 'a', [ENT]: 'x' }, 'invalidSyntax', /must be an object/],
    ['NUL in a string', 'User', { userName: 'a', title: 'a\u0000b' }, 'invalidValue', /"title" contains the NUL character/],
    ['a lone surrogate in a string', 'User', { userName: 'a', name: { givenName: 'a\ud800' } }, 'invalidValue', /"name.givenName" contains an unpaired surrogate/],
    ['string expected', 'User', { userName: 5 }, 'invalidValue', /"userName" must be a string/],
    ['boolean expected', 'User', { userName: 'a', active: 'yes' }, 'invalidValue', /"active" must be a boolean/],
    ['boolean sub-attribute', 'User', { userName: 'a', emails: [{ value: 'x', primary: 'maybe' }] }, 'invalidValue', /emails\[0\]\.primary/],
    ['complex expected', 'User', { userName: 'a', name: ['x'] }, 'invalidValue', /"name" must be an object/],
    ['multi-valued element of the wrong shape', 'User', { userName: 'a', emails: [['x']] }, 'invalidValue', /emails\[0\]/],
    ['binary must be base64', 'User', { userName: 'a', x509Certificates: [{ value: '***' }] }, 'invalidValue', /base64/],
    [
      'two primary values (RFC 7643 §2.4)',
      'User',
      {
        userName: 'a',
        emails: [
          { value: 'x', primary: true },
          { value: 'y', primary: 'True' },
        ],
      },
      'invalidValue',
      /primary/,
    ],
    ['member without value', 'Group', { displayName: 'G', members: [{ display: 'x' }, { type: 'User' }] }, 'invalidValue', /members\[0\]\.value" is required/],
    ['sub-attribute of a multi-valued attribute as a key', 'User', { userName: 'a', 'emails.value': 'x' }, 'invalidSyntax', /multi-valued/],
  ];
  it.each(rows)('%s', (_label, rt, body, scimType, detail) => {
    const e = errorOf(() => validateResource(rt, body, 'create'));
    expect(e.scimType).toBe(scimType);
    expect(e.detail).toMatch(detail);
  });
});

describe('stripUnknownSchemas', () => {
  it('keeps the known URNs, canonical and in schema order', () => {
    expect(stripUnknownSchemas('User', [QP.toUpperCase(), 'http://schemas.microsoft.com/x', USER, USER, 5])).toEqual([USER, QP]);
    expect(stripUnknownSchemas('Group', [GROUP, ENT])).toEqual([GROUP]);
    expect(stripUnknownSchemas('User', 'x')).toEqual([]);
  });
});
