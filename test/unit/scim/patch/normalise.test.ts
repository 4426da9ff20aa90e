import { normalisePatchBody } from '../../../../src/scim/patch/normalise.js';
import { ENT, PATCH_OP, errorOf, patch } from './helpers.js';

describe('normalisePatchBody: the PatchOp message (RFC 7644 §3.5.2)', () => {
  type Bad = [string, unknown, string, RegExp];
  const rows: Bad[] = [
    ['body not an object', 'x', 'invalidSyntax', /JSON object/],
    ['no schemas', { Operations: [{ op: 'add', path: 'nickName', value: 'x' }] }, 'invalidSyntax', /PatchOp/],
    ['wrong schema', { schemas: ['urn:ietf:params:scim:schemas:core:2.0:User'], Operations: [] }, 'invalidSyntax', /PatchOp/],
    ['no Operations', { schemas: [PATCH_OP] }, 'invalidSyntax', /"Operations" must be a list/],
    ['Operations not a list', { schemas: [PATCH_OP], Operations: {} }, 'invalidSyntax', /"Operations" must be a list/],
    ['empty Operations', { schemas: [PATCH_OP], Operations: [] }, 'invalidValue', /at least one/],
    ['operation not an object', patch('x' as unknown as Record<string, unknown>), 'invalidSyntax', /Operations\[0\] must be an object/],
    ['unknown op', patch({ op: 'merge', path: 'nickName', value: 'x' }), 'invalidSyntax', /add, remove or replace/],
    ['missing op', patch({ path: 'nickName', value: 'x' }), 'invalidSyntax', /add, remove or replace/],
    ['path not a string', patch({ op: 'add', path: 5, value: 'x' }), 'invalidSyntax', /"path" must be a string/],
    ['add without value', patch({ op: 'add', path: 'nickName' }), 'invalidValue', /requires a "value"/],
    ['replace without value', patch({ op: 'replace', path: 'nickName' }), 'invalidValue', /requires a "value"/],
    ['remove without path (RFC 7644 §3.5.2.2)', patch({ op: 'remove' }), 'noTarget', /requires a "path"/],
    ['remove with empty path', patch({ op: 'remove', path: '  ' }), 'noTarget', /requires a "path"/],
    ['no-path add with a scalar value', patch({ op: 'add', value: 'x' }), 'invalidValue', /object of attributes/],
    ['bad path syntax', patch({ op: 'add', path: 'emails[type eq', value: 'x' }), 'invalidPath', /invalid path/],
    ['unknown attribute in path', patch({ op: 'add', path: 'shoeSize', value: 1 }), 'invalidPath', /unknown attribute "shoeSize"/],
    ['unknown sub-attribute in path', patch({ op: 'add', path: 'name.nick', value: 1 }), 'invalidPath', /unknown attribute "name.nick"/],
    ['extension given a scalar', patch({ op: 'add', path: ENT, value: 'x' }), 'invalidValue', /must be given an object/],
    ['filter on a single-valued attribute', patch({ op: 'replace', path: 'name[givenName eq "x"]', value: 'x' }), 'invalidPath', /only on a multi-valued/],
    ['filter on an unknown sub-attribute', patch({ op: 'replace', path: 'emails[kind eq "work"].value', value: 'x' }), 'invalidPath', /no sub-attribute "kind"/],
    ['unknown sub-attribute after a filter', patch({ op: 'replace', path: 'emails[type eq "work"].nope', value: 'x' }), 'invalidPath', /no sub-attribute "nope"/],
    ['nested value filter', patch({ op: 'remove', path: 'emails[type eq "work" and x[y eq 1]]' }), 'invalidPath', /./],
  ];
  it.each(rows)('%s', (_label, body, scimType, detail) => {
    const e = errorOf(() => normalisePatchBody('User', body));
    expect(e.scimType).toBe(scimType);
    expect(e.detail).toMatch(detail);
    expect(e.status).toBe(400);
  });

  it('unknown keys of a value are skipped and listed; an unknown path is not', () => {
    const ignored: string[] = [];
    const ops = normalisePatchBody(
      'User',
      patch({ op: 'replace', value: { shoeSize: 1, title: 'T', [ENT]: { schemas: [ENT], x: 1, department: 'D' } } }, { op: 'add', path: ENT, value: { y: 2, division: 'V' } }),
      ignored,
    );
    expect(ops.map((o) => o.target.written)).toEqual(['title', `${ENT}:department`, `${ENT}:division`]);
    expect(ignored).toEqual(['shoeSize', `${ENT}:schemas`, `${ENT}:x`, `${ENT}:y`]);
  });

  it('op names are case-insensitive (Entra: "Add", "Replace", "Remove") and "operations" is accepted', () => {
    const ops = normalisePatchBody('User', {
      schemas: [PATCH_OP],
      operations: [
        { op: 'Add', path: 'nickName', value: 'a' },
        { op: 'REPLACE', path: 'title', value: 'b' },
        { op: 'Remove', path: 'locale' },
      ],
    });
    expect(ops.map((o) => o.op)).toEqual(['add', 'replace', 'remove']);
  });

  it('expands a no-path value into one operation per key, keeping order', () => {
    const ops = normalisePatchBody(
      'User',
      patch({
        op: 'replace',
        value: { schemas: ['x'], 'name.givenName': 'G', [`${ENT}:employeeNumber`]: '1', [ENT]: { department: 'D', manager: 'm' }, 'emails[type eq "work"].value': 'w' },
      }),
    );
    expect(ops.map((o) => o.target.written)).toEqual(['name.givenName', `${ENT}:employeeNumber`, `${ENT}:department`, `${ENT}:manager`, 'emails[type eq "work"].value']);
  });

  it('an extension URN as path with an object value is expanded; remove keeps the whole extension', () => {
    expect(normalisePatchBody('User', patch({ op: 'add', path: ENT, value: { costCenter: 'c' } }))[0]?.target.written).toBe(`${ENT}:costCenter`);
    expect(normalisePatchBody('User', patch({ op: 'remove', path: ENT }))[0]?.target).toEqual({ kind: 'extension', schemaId: ENT, written: ENT });
  });
});
