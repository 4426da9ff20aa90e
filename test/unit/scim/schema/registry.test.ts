import { mkdtempSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AttrPath } from '../../../../src/scim/filter/ast.js';
import { UnknownAttributeError } from '../../../../src/scim/schema/errors.js';
import { findSchemaDir, loadSchemaFiles } from '../../../../src/scim/schema/load.js';
import { canonicalPath, extensionSchema, lookupAttribute, resolveAttribute, resolveName, resourceSchema, SCHEMA_URNS, toCanonicalAttrPath } from '../../../../src/scim/schema/registry.js';
import type { ResourceTypeName } from '../../../../src/scim/schema/types.js';

const ENT = SCHEMA_URNS.enterpriseUser;
const QP = SCHEMA_URNS.queryPieUser;

describe('findSchemaDir', () => {
  it('walks up from a nested folder (dist/src/scim/schema or src/scim/schema)', () => {
    const root = mkdtempSync(join(tmpdir(), 'roster-schema-'));
    mkdirSync(join(root, 'schema', 'scim'), { recursive: true });
    writeFileSync(join(root, 'schema', 'scim', 'User.json'), '{}');
    const nested = join(root, 'dist', 'src', 'scim', 'schema');
    mkdirSync(nested, { recursive: true });
    expect(findSchemaDir(nested)).toBe(join(root, 'schema', 'scim'));
  });
  it('throws when no ancestor has schema/scim', () => {
    expect(() => findSchemaDir(mkdtempSync(join(tmpdir(), 'roster-none-')))).toThrow(/schema\/scim not found/);
  });
  it('rejects a malformed schema file with its name', () => {
    const root = mkdtempSync(join(tmpdir(), 'roster-bad-'));
    for (const f of ['User.json', 'Group.json', 'EnterpriseUser.json', 'QueryPieUser.json', 'Common.json']) {
      writeFileSync(join(root, f), JSON.stringify({ id: 'x', name: 'x', description: 'x', attributes: [{ name: 'a', type: 'nope' }] }));
    }
    expect(() => loadSchemaFiles(root)).toThrow(/User\.json.*type must be one of/);
  });
});

describe('resourceSchema', () => {
  it('User: core schema and two optional extensions (RFC 7643 §6)', () => {
    const rs = resourceSchema('User');
    expect(rs.core.id).toBe(SCHEMA_URNS.user);
    expect(rs.extensions.map((e) => [e.schema.id, e.required])).toEqual([
      [ENT, false],
      [QP, false],
    ]);
  });
  it('Group: core schema, no extensions', () => {
    expect(resourceSchema('Group').core.id).toBe(SCHEMA_URNS.group);
    expect(resourceSchema('Group').extensions).toEqual([]);
  });
  it('extensionSchema is case-insensitive and per resource type', () => {
    expect(extensionSchema('User', ENT.toUpperCase())?.id).toBe(ENT);
    expect(extensionSchema('Group', ENT)).toBeUndefined();
  });
});

describe('lookupAttribute / canonicalPath', () => {
  type Row = [ResourceTypeName, AttrPath, string];
  const rows: Row[] = [
    ['User', { attr: 'userName' }, 'userName'],
    ['User', { attr: 'USERNAME' }, 'userName'],
    ['User', { attr: 'name', sub: 'FAMILYNAME' }, 'name.familyName'],
    ['User', { attr: 'EMAILS', sub: 'Value' }, 'emails.value'],
    ['User', { urn: SCHEMA_URNS.user, attr: 'userName' }, 'userName'],
    ['User', { urn: SCHEMA_URNS.user.toLowerCase(), attr: 'emails', sub: 'type' }, 'emails.type'],
    ['User', { urn: SCHEMA_URNS.user, attr: 'id' }, 'id'],
    ['User', { attr: 'id' }, 'id'],
    ['User', { attr: 'ExternalId' }, 'externalId'],
    ['User', { attr: 'meta', sub: 'LASTMODIFIED' }, 'meta.lastModified'],
    ['User', { urn: ENT, attr: 'employeeNumber' }, `${ENT}:employeeNumber`],
    ['User', { urn: ENT.toUpperCase(), attr: 'MANAGER', sub: 'value' }, `${ENT}:manager.value`],
    ['User', { urn: QP, attr: 'staticip' }, `${QP}:staticIp`],
    ['Group', { attr: 'displayname' }, 'displayName'],
    ['Group', { attr: 'members', sub: 'value' }, 'members.value'],
    ['Group', { urn: SCHEMA_URNS.group, attr: 'members', sub: 'type' }, 'members.type'],
  ];
  it.each(rows)('%s %j → %s', (rt, path, expected) => {
    expect(canonicalPath(rt, path)).toBe(expected);
  });

  it('returns the definitions and canonical names', () => {
    const r = resolveAttribute('User', { attr: 'EMAILS', sub: 'Value' });
    expect(r.attribute.name).toBe('emails');
    expect(r.subAttribute?.name).toBe('value');
    expect(r).toMatchObject({ schemaId: SCHEMA_URNS.user, extension: false, common: false });
    expect(resolveAttribute('User', { attr: 'meta' })).toMatchObject({ common: true });
    expect(resolveAttribute('User', { urn: ENT, attr: 'department' })).toMatchObject({ schemaId: ENT, extension: true });
  });

  it('toCanonicalAttrPath gives the canonical names (EMAILS.Value → emails.value)', () => {
    expect(toCanonicalAttrPath(resolveAttribute('User', { attr: 'EMAILS', sub: 'Value' }))).toEqual({ attr: 'emails', sub: 'value' });
    expect(toCanonicalAttrPath(resolveAttribute('User', { urn: ENT.toLowerCase(), attr: 'MANAGER', sub: 'VALUE' }))).toEqual({ urn: ENT, attr: 'manager', sub: 'value' });
    expect(toCanonicalAttrPath(resolveAttribute('User', { urn: SCHEMA_URNS.user, attr: 'username' }))).toEqual({ attr: 'userName' });
  });

  type Bad = [ResourceTypeName, AttrPath];
  const unknown: Bad[] = [
    ['User', { attr: 'nope' }],
    ['User', { attr: 'name', sub: 'nope' }],
    ['User', { attr: 'userName', sub: 'x' }],
    ['User', { attr: 'employeeNumber' }],
    ['User', { urn: 'urn:example:other', attr: 'userName' }],
    ['User', { urn: ENT, attr: 'userName' }],
    ['Group', { attr: 'userName' }],
    ['Group', { urn: ENT, attr: 'employeeNumber' }],
  ];
  it.each(unknown)('%s %j is unknown', (rt, path) => {
    expect(lookupAttribute(rt, path)).toBeUndefined();
    expect(() => canonicalPath(rt, path)).toThrow(UnknownAttributeError);
    try {
      canonicalPath(rt, path);
    } catch (e) {
      expect(e).toMatchObject({ scimType: 'invalidPath', status: 400 });
    }
  });
});

describe('resolveName', () => {
  it.each([
    ['name.givenName', 'name.givenName'],
    ['EMAILS.value', 'emails.value'],
    [`${ENT}:employeeNumber`, `${ENT}:employeeNumber`],
    [`${ENT.toLowerCase()}:manager.value`, `${ENT}:manager.value`],
    [`${SCHEMA_URNS.user}:name.familyName`, 'name.familyName'],
  ])('%s → attribute %s', (name, expected) => {
    const r = resolveName('User', name);
    expect(r?.kind).toBe('attribute');
    if (r?.kind === 'attribute') expect(canonicalPath('User', toCanonicalAttrPath(r.resolved))).toBe(expected);
  });
  it('a schema URN names the whole extension', () => {
    expect(resolveName('User', ENT.toUpperCase())).toEqual({ kind: 'schema', schemaId: ENT, extension: true });
    expect(resolveName('User', SCHEMA_URNS.user)).toEqual({ kind: 'schema', schemaId: SCHEMA_URNS.user, extension: false });
  });
  it.each(['nope', 'name.givenName.x', 'urn:example:x:attr', `${ENT}:nope`, 'a..b', ''])('%s is unknown', (name) => {
    expect(resolveName('User', name)).toBeUndefined();
  });
});
