/**
 * Reads schema/scim/*.json at run time. The compiled code lives in dist/src/scim/schema and the
 * tests run from src/scim/schema, so the folder is found by walking up from this file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { AttributeDefinition, AttributeType, Mutability, Returned, SchemaDefinition, Uniqueness } from './types.js';

/** The files of schema/scim: the four SCIM schemas and Roster's list of common attributes. */
export const SCHEMA_FILES = {
  user: 'User.json',
  group: 'Group.json',
  enterpriseUser: 'EnterpriseUser.json',
  queryPieUser: 'QueryPieUser.json',
  common: 'Common.json',
} as const;

/** The parsed contents of schema/scim. */
export type LoadedSchemas = { readonly [K in keyof typeof SCHEMA_FILES]: SchemaDefinition };

/** Finds `<ancestor>/schema/scim` from `start` upwards; throws when no ancestor has it. */
export function findSchemaDir(start: string = import.meta.dirname): string {
  let dir = start;
  for (;;) {
    const candidate = join(dir, 'schema', 'scim');
    if (existsSync(join(candidate, SCHEMA_FILES.user))) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`schema/scim not found above ${start}`);
    dir = parent;
  }
}

/** Reads and checks every schema file; a malformed file fails start-up with its name. */
export function loadSchemaFiles(dir: string = findSchemaDir()): LoadedSchemas {
  const read = (file: string): SchemaDefinition => {
    const where = join(dir, file);
    return parseSchema(JSON.parse(readFileSync(where, 'utf8')) as unknown, where);
  };
  return {
    user: read(SCHEMA_FILES.user),
    group: read(SCHEMA_FILES.group),
    enterpriseUser: read(SCHEMA_FILES.enterpriseUser),
    queryPieUser: read(SCHEMA_FILES.queryPieUser),
    common: read(SCHEMA_FILES.common),
  };
}

const TYPES: readonly AttributeType[] = ['string', 'boolean', 'decimal', 'integer', 'dateTime', 'binary', 'reference', 'complex'];
const MUTABILITY: readonly Mutability[] = ['readOnly', 'readWrite', 'immutable', 'writeOnly'];
const RETURNED: readonly Returned[] = ['always', 'never', 'default', 'request'];
const UNIQUENESS: readonly Uniqueness[] = ['none', 'server', 'global'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function parseSchema(raw: unknown, where: string): SchemaDefinition {
  if (!isRecord(raw)) throw new Error(`${where}: not an object`);
  const attributes = raw['attributes'];
  if (!Array.isArray(attributes)) throw new Error(`${where}: attributes is not an array`);
  return {
    id: str(raw, 'id', where),
    name: str(raw, 'name', where),
    description: str(raw, 'description', where),
    attributes: attributes.map((a, i) => parseAttribute(a, `${where} attributes[${i}]`)),
  };
}

function parseAttribute(raw: unknown, where: string): AttributeDefinition {
  if (!isRecord(raw)) throw new Error(`${where}: not an object`);
  const name = str(raw, 'name', where);
  const at = `${where} (${name})`;
  const type = oneOf(raw, 'type', TYPES, at);
  const subs = raw['subAttributes'];
  if (type === 'complex' && !Array.isArray(subs)) throw new Error(`${at}: complex without subAttributes`);
  const def: AttributeDefinition = {
    name,
    type,
    multiValued: bool(raw, 'multiValued', at),
    description: str(raw, 'description', at),
    required: bool(raw, 'required', at),
    caseExact: bool(raw, 'caseExact', at),
    mutability: oneOf(raw, 'mutability', MUTABILITY, at),
    returned: oneOf(raw, 'returned', RETURNED, at),
    uniqueness: oneOf(raw, 'uniqueness', UNIQUENESS, at),
    ...(raw['canonicalValues'] !== undefined ? { canonicalValues: strings(raw, 'canonicalValues', at) } : {}),
    ...(raw['referenceTypes'] !== undefined ? { referenceTypes: strings(raw, 'referenceTypes', at) } : {}),
    ...(Array.isArray(subs) ? { subAttributes: subs.map((s, i) => parseAttribute(s, `${at} subAttributes[${i}]`)) } : {}),
  };
  return def;
}

function str(raw: Record<string, unknown>, key: string, where: string): string {
  const v = raw[key];
  if (typeof v !== 'string') throw new Error(`${where}: ${key} is not a string`);
  return v;
}

function bool(raw: Record<string, unknown>, key: string, where: string): boolean {
  const v = raw[key];
  if (typeof v !== 'boolean') throw new Error(`${where}: ${key} is not a boolean`);
  return v;
}

function strings(raw: Record<string, unknown>, key: string, where: string): string[] {
  const v = raw[key];
  if (!Array.isArray(v) || !v.every((s): s is string => typeof s === 'string')) {
    throw new Error(`${where}: ${key} is not a list of strings`);
  }
  return v;
}

function oneOf<T extends string>(raw: Record<string, unknown>, key: string, allowed: readonly T[], where: string): T {
  const v = raw[key];
  const found = allowed.find((a) => a === v);
  if (found === undefined) throw new Error(`${where}: ${key} must be one of ${allowed.join(', ')}`);
  return found;
}
