/**
 * Validation of POST and PUT bodies against the schemas (RFC 7643 §2, RFC 7644 §3.3, §3.5.1).
 * Returns the resource normalised: canonical attribute names, coerced values, readOnly dropped.
 */
import { ScimValidationError } from './errors.js';
import { getKey, isRecord, isUnassigned, semanticEqual, type JsonObject } from './json.js';
import { lookupAttribute, resolveName, resourceSchema } from './registry.js';
import type { AttributeDefinition, ResolvedAttribute, ResourceTypeName, ScimResource } from './types.js';
import { coerceAttribute, coerceSimple } from './values.js';

/**
 * Whether a PUT of this resource type is checked against the stored resource: only an immutable
 * attribute (top level, core or extension) is. Without one, a PUT validates the same with or
 * without the stored resource, and the facade may write without reading it first.
 */
export function replaceReadsStored(resourceType: ResourceTypeName): boolean {
  const rs = resourceSchema(resourceType);
  return [rs.core, ...rs.extensions.map((e) => e.schema)].some((schema) => schema.attributes.some((a) => a.mutability === 'immutable'));
}

/** `create` for POST, `replace` for PUT. */
export type ValidationMode = 'create' | 'replace';

/**
 * Checks and normalises a POST/PUT body. Unknown schema URIs, extension objects, attributes and
 * sub-attributes are ignored (Entra adds its own URNs and sends names a server may not know) and
 * their paths pushed to `ignored`; JSON null means absent, readOnly attributes are ignored (RFC 7644
 * §3.5.1), and with `current` a PUT must not change an immutable attribute that has a value.
 * Throws ScimValidationError (invalidSyntax, invalidValue or mutability).
 */
export function validateResource(resourceType: ResourceTypeName, body: unknown, mode: ValidationMode, current?: ScimResource, ignored: string[] = []): ScimResource {
  if (!isRecord(body)) throw new ScimValidationError('invalidSyntax', 'The request body must be a JSON object.');
  checkSchemasList(body['schemas'] ?? getKey(body, 'schemas'));
  const rs = resourceSchema(resourceType);
  const core: JsonObject = {};
  const extensions = new Map<string, JsonObject>();
  const ctx: Ctx = { resourceType, mode, current, core, extensions, ignored };

  for (const [key, value] of Object.entries(body)) {
    if (key.toLowerCase() === 'schemas') continue;
    const name = resolveName(resourceType, key);
    if (name === undefined) {
      // Some other schema's URN (Entra adds its own), a misspelt name, a name Roster does not keep.
      ignored.push(key);
      continue;
    }
    if (name.kind === 'attribute') {
      assign(ctx, name.resolved, value, key);
      continue;
    }
    if (value === null || value === undefined) continue;
    if (!isRecord(value)) {
      throw new ScimValidationError('invalidSyntax', `"${key}" must be an object of that schema's attributes.`);
    }
    for (const [attrKey, attrValue] of Object.entries(value)) {
      const resolved = lookupAttribute(resourceType, { urn: name.schemaId, attr: attrKey });
      if (!resolved) {
        // Entra sends `schemas` inside an extension object, for one.
        ignored.push(`${name.schemaId}:${attrKey}`);
        continue;
      }
      assign(ctx, resolved, attrValue, `${name.schemaId}:${attrKey}`);
    }
  }

  checkRequired(rs.core.attributes, core, '');
  for (const ext of rs.extensions) {
    const obj = extensions.get(ext.schema.id);
    if (obj) checkRequired(ext.schema.attributes, obj, `${ext.schema.id}:`);
  }
  const out: ScimResource = { schemas: [rs.core.id, ...rs.extensions.map((e) => e.schema.id).filter((id) => extensions.has(id))] };
  Object.assign(out, core);
  for (const [id, obj] of extensions) out[id] = obj;
  return out;
}

interface Ctx {
  readonly resourceType: ResourceTypeName;
  readonly mode: ValidationMode;
  readonly current: ScimResource | undefined;
  readonly core: JsonObject;
  readonly extensions: Map<string, JsonObject>;
  readonly ignored: string[];
}

function checkSchemasList(schemas: unknown): void {
  if (schemas === undefined || schemas === null) return;
  if (!Array.isArray(schemas) || !schemas.every((s) => typeof s === 'string')) {
    throw new ScimValidationError('invalidSyntax', '"schemas" must be a list of URI strings.');
  }
}

function container(ctx: Ctx, resolved: ResolvedAttribute): JsonObject {
  if (!resolved.extension) return ctx.core;
  let obj = ctx.extensions.get(resolved.schemaId);
  if (!obj) {
    obj = {};
    ctx.extensions.set(resolved.schemaId, obj);
  }
  return obj;
}

function currentValue(ctx: Ctx, resolved: ResolvedAttribute): unknown {
  if (!ctx.current) return undefined;
  const holder = resolved.extension ? getKey(ctx.current, resolved.schemaId) : ctx.current;
  return isRecord(holder) ? getKey(holder, resolved.attribute.name) : undefined;
}

function assign(ctx: Ctx, resolved: ResolvedAttribute, value: unknown, written: string): void {
  const def = resolved.attribute;
  // RFC 7644 §3.5.1 / RFC 7643 §2.2: readOnly values sent by a client are ignored, not rejected
  // (Okta sends `groups: []`, Entra sends `meta`, PUT bodies carry `id`).
  if (def.mutability === 'readOnly') return;
  const sub = resolved.subAttribute;
  if (sub) {
    // A dotted key such as "name.givenName" at the top level of a body.
    if (def.multiValued) {
      throw new ScimValidationError('invalidSyntax', `"${written}" names a sub-attribute of a multi-valued attribute.`);
    }
    if (sub.mutability === 'readOnly') return;
    const coerced = coerceSimple(sub, value, written);
    if (coerced === undefined) return;
    const holder = container(ctx, resolved);
    const existing = holder[def.name];
    holder[def.name] = { ...(isRecord(existing) ? existing : {}), [sub.name]: coerced };
    return;
  }
  const coerced = coerceAttribute(def, value, displayName(resolved), ctx.ignored);
  if (coerced === undefined) return;
  checkImmutable(ctx, resolved, def, coerced);
  container(ctx, resolved)[def.name] = coerced;
}

function checkImmutable(ctx: Ctx, resolved: ResolvedAttribute, def: AttributeDefinition, value: unknown): void {
  if (ctx.mode !== 'replace' || def.mutability !== 'immutable') return;
  const existing = currentValue(ctx, resolved);
  // RFC 7644 §3.5.1: an immutable attribute that has a value must be sent unchanged.
  if (!isUnassigned(existing) && !semanticEqual(existing, value)) {
    throw new ScimValidationError('mutability', `"${displayName(resolved)}" is immutable and cannot be changed.`);
  }
}

function checkRequired(defs: readonly AttributeDefinition[], obj: JsonObject, prefix: string): void {
  for (const def of defs) {
    if (!def.required || def.mutability === 'readOnly') continue;
    const v = obj[def.name];
    if (isUnassigned(v) || v === '') {
      throw new ScimValidationError('invalidValue', `"${prefix}${def.name}" is required.`);
    }
  }
}

function displayName(resolved: ResolvedAttribute): string {
  return resolved.extension ? `${resolved.schemaId}:${resolved.attribute.name}` : resolved.attribute.name;
}

/**
 * The schema URNs of a `schemas` list that this resource type knows, canonical and deduplicated;
 * others are dropped (Entra adds its own URIs, RFC 7644 §3.3 lets servers ignore them).
 */
export function stripUnknownSchemas(resourceType: ResourceTypeName, schemas: unknown): string[] {
  if (!Array.isArray(schemas)) return [];
  const rs = resourceSchema(resourceType);
  const known = [rs.core.id, ...rs.extensions.map((e) => e.schema.id)];
  const wanted = new Set(schemas.filter((s): s is string => typeof s === 'string').map((s) => s.toLowerCase()));
  return known.filter((id) => wanted.has(id.toLowerCase()));
}
