import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { findSchemaDir, loadSchemaFiles } from '../../../../src/scim/schema/load.js';
import { allSchemas, commonAttributes, findAttribute, SCHEMA_URNS, schemaById } from '../../../../src/scim/schema/registry.js';
import type { AttributeDefinition, SchemaDefinition } from '../../../../src/scim/schema/types.js';

const CHARACTERISTICS = ['name', 'type', 'multiValued', 'description', 'required', 'caseExact', 'mutability', 'returned', 'uniqueness'];

function attr(schema: SchemaDefinition, path: string): AttributeDefinition {
  const [name, sub] = path.split('.');
  const found = findAttribute(schema.attributes, name ?? '');
  const result = sub === undefined ? found : findAttribute(found?.subAttributes, sub);
  if (!result) throw new Error(`${schema.id} has no ${path}`);
  return result;
}

function walk(defs: readonly AttributeDefinition[], visit: (d: AttributeDefinition) => void): void {
  for (const d of defs) {
    visit(d);
    walk(d.subAttributes ?? [], visit);
  }
}

describe('schema/scim JSON files (RFC 7643 §7, §8.7.1)', () => {
  const dir = findSchemaDir();
  const user = schemaById(SCHEMA_URNS.user)!;
  const group = schemaById(SCHEMA_URNS.group)!;
  const enterprise = schemaById(SCHEMA_URNS.enterpriseUser)!;
  const queryPie = schemaById(SCHEMA_URNS.queryPieUser)!;

  it('holds the four schemas and the common attributes, each loadable', () => {
    expect(readdirSync(dir).sort()).toEqual(['Common.json', 'EnterpriseUser.json', 'Group.json', 'QueryPieUser.json', 'User.json']);
    expect(() => loadSchemaFiles(dir)).not.toThrow();
    expect(allSchemas().map((s) => s.id)).toEqual([SCHEMA_URNS.user, SCHEMA_URNS.group, SCHEMA_URNS.enterpriseUser, SCHEMA_URNS.queryPieUser]);
  });

  it.each(['User.json', 'Group.json', 'EnterpriseUser.json', 'QueryPieUser.json'])('%s is a full Schema resource: every attribute states every characteristic', (file) => {
    const raw = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>;
    expect(raw['schemas']).toEqual(['urn:ietf:params:scim:schemas:core:2.0:Schema']);
    expect(Object.keys(raw)).toEqual(expect.arrayContaining(['id', 'name', 'description', 'attributes']));
    const schema = schemaById(String(raw['id']))!;
    walk(schema.attributes, (d) => {
      for (const c of CHARACTERISTICS) expect(d).toHaveProperty(c);
      if (d.type === 'complex') expect(d.subAttributes?.length).toBeGreaterThan(0);
      if (d.type === 'reference') expect(d.referenceTypes?.length).toBeGreaterThan(0);
    });
  });

  it('User has every RFC 7643 §4.1 attribute', () => {
    expect(user.attributes.map((a) => a.name)).toEqual([
      'userName',
      'name',
      'displayName',
      'nickName',
      'profileUrl',
      'title',
      'userType',
      'preferredLanguage',
      'locale',
      'timezone',
      'active',
      'password',
      'emails',
      'phoneNumbers',
      'ims',
      'photos',
      'addresses',
      'groups',
      'entitlements',
      'roles',
      'x509Certificates',
    ]);
    expect(attr(user, 'name').subAttributes?.map((s) => s.name)).toEqual(['formatted', 'familyName', 'givenName', 'middleName', 'honorificPrefix', 'honorificSuffix']);
    expect(attr(user, 'addresses').subAttributes?.map((s) => s.name)).toEqual(['formatted', 'streetAddress', 'locality', 'region', 'postalCode', 'country', 'type', 'primary']);
  });

  type Row = [string, () => SchemaDefinition, string, Partial<AttributeDefinition>];
  const rows: Row[] = [
    ['userName', () => user, 'userName', { required: true, uniqueness: 'server', caseExact: false, mutability: 'readWrite' }],
    ['password', () => user, 'password', { mutability: 'writeOnly', returned: 'never' }],
    ['groups', () => user, 'groups', { mutability: 'readOnly', multiValued: true }],
    ['groups.type', () => user, 'groups.type', { canonicalValues: ['direct', 'indirect'] }],
    ['active', () => user, 'active', { type: 'boolean' }],
    ['emails', () => user, 'emails', { type: 'complex', multiValued: true }],
    ['emails.type', () => user, 'emails.type', { canonicalValues: ['work', 'home', 'other'] }],
    ['emails.primary', () => user, 'emails.primary', { type: 'boolean' }],
    ['phoneNumbers.type', () => user, 'phoneNumbers.type', { canonicalValues: ['work', 'home', 'mobile', 'fax', 'pager', 'other'] }],
    ['photos.value', () => user, 'photos.value', { type: 'reference', referenceTypes: ['external'] }],
    ['profileUrl', () => user, 'profileUrl', { type: 'reference', referenceTypes: ['external'] }],
    ['x509Certificates.value', () => user, 'x509Certificates.value', { type: 'binary' }],
    ['Group displayName', () => group, 'displayName', { required: true, uniqueness: 'server' }],
    ['members', () => group, 'members', { multiValued: true, type: 'complex' }],
    ['members.value', () => group, 'members.value', { mutability: 'immutable' }],
    ['members.$ref', () => group, 'members.$ref', { type: 'reference', referenceTypes: ['User', 'Group'] }],
    ['members.display', () => group, 'members.display', { type: 'string' }],
    ['members.type', () => group, 'members.type', { canonicalValues: ['User', 'Group'] }],
    ['employeeNumber', () => enterprise, 'employeeNumber', { type: 'string', required: false }],
    ['manager', () => enterprise, 'manager', { type: 'complex', multiValued: false }],
    ['manager.value', () => enterprise, 'manager.value', { type: 'string' }],
    ['manager.$ref', () => enterprise, 'manager.$ref', { type: 'reference' }],
    ['manager.displayName', () => enterprise, 'manager.displayName', { mutability: 'readOnly' }],
    ['staticIp', () => queryPie, 'staticIp', { type: 'string', mutability: 'readWrite', returned: 'default', caseExact: false, required: false }],
    ['macAddress', () => queryPie, 'macAddress', { type: 'string', mutability: 'readWrite', returned: 'default', caseExact: false, required: false }],
  ];
  it.each(rows)('%s', (_label, schema, path, expected) => {
    expect(attr(schema(), path)).toMatchObject(expected);
  });

  it('enterprise extension has the RFC 7643 §4.3 attributes', () => {
    expect(enterprise.attributes.map((a) => a.name)).toEqual(['employeeNumber', 'costCenter', 'organization', 'division', 'department', 'manager']);
  });

  it('common attributes (RFC 7643 §3.1) live apart from the core schemas', () => {
    const names = commonAttributes().map((a) => a.name);
    expect(names).toEqual(['schemas', 'id', 'externalId', 'meta']);
    expect(findAttribute(user.attributes, 'id')).toBeUndefined();
    expect(findAttribute(commonAttributes(), 'id')).toMatchObject({ mutability: 'readOnly', returned: 'always', caseExact: true });
    expect(findAttribute(commonAttributes(), 'externalId')).toMatchObject({ mutability: 'readWrite', caseExact: true });
    expect(findAttribute(commonAttributes(), 'meta')).toMatchObject({ mutability: 'readOnly', type: 'complex' });
    expect(findAttribute(findAttribute(commonAttributes(), 'meta')?.subAttributes, 'lastModified')).toMatchObject({ type: 'dateTime' });
  });
});
