/**
 * The schema registry: schema/scim loaded once, and case-insensitive attribute resolution
 * (RFC 7643 §2.1: attribute names and schema URNs are case-insensitive).
 */
import type { AttrPath } from '../filter/ast.js';
import { UnknownAttributeError } from './errors.js';
import { loadSchemaFiles, type LoadedSchemas } from './load.js';
import type { AttributeDefinition, ResolvedAttribute, ResourceSchema, ResourceTypeName, SchemaDefinition } from './types.js';

/** The core schema URNs (RFC 7643 §8.7.1) and the extensions Roster serves. */
export const SCHEMA_URNS = {
  user: 'urn:ietf:params:scim:schemas:core:2.0:User',
  group: 'urn:ietf:params:scim:schemas:core:2.0:Group',
  enterpriseUser: 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User',
  queryPieUser: 'urn:ietf:params:scim:schemas:extension:querypie:2.0:User',
} as const;

interface Registry {
  readonly files: LoadedSchemas;
  readonly resources: Readonly<Record<ResourceTypeName, ResourceSchema>>;
}

let registry: Registry | undefined;

/** (Re)loads the registry from `dir` (default: the repository's schema/scim); tests use it. */
export function loadRegistry(dir?: string): void {
  const files = loadSchemaFiles(dir);
  registry = {
    files,
    resources: {
      // RFC 7643 §6: both User extensions are optional (`required: false`).
      User: {
        resourceType: 'User',
        core: files.user,
        extensions: [
          { schema: files.enterpriseUser, required: false },
          { schema: files.queryPieUser, required: false },
        ],
      },
      Group: { resourceType: 'Group', core: files.group, extensions: [] },
    },
  };
}

function current(): Registry {
  if (registry === undefined) loadRegistry();
  if (registry === undefined) throw new Error('schema registry failed to load');
  return registry;
}

/** The core schema and extensions of a resource type. */
export function resourceSchema(resourceType: ResourceTypeName): ResourceSchema {
  return current().resources[resourceType];
}

/** Every SCIM schema Roster serves at `/Schemas` (not the common-attribute list). */
export function allSchemas(): readonly SchemaDefinition[] {
  const { files } = current();
  return [files.user, files.group, files.enterpriseUser, files.queryPieUser];
}

/** A served schema by URN, without regard to case. */
export function schemaById(id: string): SchemaDefinition | undefined {
  const lower = id.toLowerCase();
  return allSchemas().find((s) => s.id.toLowerCase() === lower);
}

/** RFC 7643 §3 and §3.1 attributes every resource has: schemas, id, externalId, meta. */
export function commonAttributes(): readonly AttributeDefinition[] {
  return current().files.common.attributes;
}

/** The extension schema of `resourceType` with URN `urn` (any case), if it is one. */
export function extensionSchema(resourceType: ResourceTypeName, urn: string): SchemaDefinition | undefined {
  const lower = urn.toLowerCase();
  return resourceSchema(resourceType).extensions.find((e) => e.schema.id.toLowerCase() === lower)?.schema;
}

/** An attribute of a list by name, without regard to case. */
export function findAttribute(list: readonly AttributeDefinition[] | undefined, name: string): AttributeDefinition | undefined {
  const lower = name.toLowerCase();
  return list?.find((a) => a.name.toLowerCase() === lower);
}

/**
 * Resolves `{urn?, attr, sub?}`. No URN or the core URN means the core schema plus the common
 * attributes; an extension URN means that extension (RFC 7644 §3.10).
 */
export function lookupAttribute(resourceType: ResourceTypeName, path: AttrPath): ResolvedAttribute | undefined {
  const rs = resourceSchema(resourceType);
  let found: { def: AttributeDefinition; schemaId: string; extension: boolean; common: boolean } | undefined;
  if (path.urn === undefined || path.urn.toLowerCase() === rs.core.id.toLowerCase()) {
    const core = findAttribute(rs.core.attributes, path.attr);
    const common = core ? undefined : findAttribute(commonAttributes(), path.attr);
    const def = core ?? common;
    if (def) found = { def, schemaId: rs.core.id, extension: false, common: common !== undefined };
  } else {
    const ext = extensionSchema(resourceType, path.urn);
    const def = ext && findAttribute(ext.attributes, path.attr);
    if (ext && def) found = { def, schemaId: ext.id, extension: true, common: false };
  }
  if (!found) return undefined;
  const base = { schemaId: found.schemaId, extension: found.extension, common: found.common, attribute: found.def };
  if (path.sub === undefined) return base;
  const sub = findAttribute(found.def.subAttributes, path.sub);
  return sub ? { ...base, subAttribute: sub } : undefined;
}

/** Like lookupAttribute, but throws UnknownAttributeError for a name the schemas do not know. */
export function resolveAttribute(resourceType: ResourceTypeName, path: AttrPath): ResolvedAttribute {
  const resolved = lookupAttribute(resourceType, path);
  if (!resolved) throw new UnknownAttributeError(formatAttrPath(path));
  return resolved;
}

/** A name as written by a client: a whole schema (extension object) or an attribute. */
export type ResolvedName = { kind: 'schema'; schemaId: string; extension: boolean } | { kind: 'attribute'; resolved: ResolvedAttribute };

/**
 * Resolves a plain name such as `name.givenName`, `EMAILS.value`,
 * `urn:…:enterprise:2.0:User:manager.value` or a schema URN (RFC 7644 §3.9 `attributes`, and the
 * keys of no-path PATCH values that Okta and Entra send). Undefined when unknown.
 */
export function resolveName(resourceType: ResourceTypeName, name: string): ResolvedName | undefined {
  const rs = resourceSchema(resourceType);
  const lower = name.trim().toLowerCase();
  const schemas = [rs.core, ...rs.extensions.map((e) => e.schema)];
  for (const s of schemas) {
    const id = s.id.toLowerCase();
    if (lower === id) return { kind: 'schema', schemaId: s.id, extension: s !== rs.core };
    if (lower.startsWith(`${id}:`)) {
      const path = splitDotted(name.trim().slice(id.length + 1));
      const resolved = path && lookupAttribute(resourceType, { urn: s.id, ...path });
      return resolved ? { kind: 'attribute', resolved } : undefined;
    }
  }
  if (lower.includes(':')) return undefined;
  const path = splitDotted(name.trim());
  const resolved = path && lookupAttribute(resourceType, path);
  return resolved ? { kind: 'attribute', resolved } : undefined;
}

function splitDotted(name: string): { attr: string; sub?: string } | undefined {
  const parts = name.split('.');
  if (parts.some((p) => p === '') || parts.length > 2) return undefined;
  const [attr, sub] = parts;
  if (attr === undefined) return undefined;
  return sub === undefined ? { attr } : { attr, sub };
}

/** The canonical dotted path of a resolved attribute, as the domain filter tree spells it. */
export function formatResolved(resolved: ResolvedAttribute): string {
  const head = resolved.extension ? `${resolved.schemaId}:${resolved.attribute.name}` : resolved.attribute.name;
  return resolved.subAttribute ? `${head}.${resolved.subAttribute.name}` : head;
}

/**
 * The canonical path of the domain filter tree ("userName", "name.familyName", "emails.value",
 * "<urn>:manager.value", "meta.lastModified"); throws UnknownAttributeError for unknown names.
 */
export function canonicalPath(resourceType: ResourceTypeName, path: AttrPath): string {
  return formatResolved(resolveAttribute(resourceType, path));
}

/** An AttrPath as the client wrote it, for error details. */
export function formatAttrPath(path: AttrPath): string {
  const head = path.urn === undefined ? path.attr : `${path.urn}:${path.attr}`;
  return path.sub === undefined ? head : `${head}.${path.sub}`;
}

/** The canonical AttrPath of a resolved attribute: `EMAILS.Value` → `{attr: 'emails', sub: 'value'}`. */
export function toCanonicalAttrPath(resolved: ResolvedAttribute): AttrPath {
  const path: AttrPath = { attr: resolved.attribute.name };
  if (resolved.extension) path.urn = resolved.schemaId;
  if (resolved.subAttribute) path.sub = resolved.subAttribute.name;
  return path;
}
