/**
 * Attribute projection of responses (RFC 7644 §3.4.2.5 and §3.9) driven by each attribute's
 * `returned` characteristic (RFC 7643 §7): always, never, default, request.
 */
import { isRecord, type JsonObject } from './json.js';
import { formatResolved, lookupAttribute, resolveName, resourceSchema } from './registry.js';
import type { AttributeDefinition, ResourceTypeName, ScimResource } from './types.js';

/** The `attributes` / `excludedAttributes` query parameters, already split on commas. */
export interface ProjectionOptions {
  attributes?: readonly string[];
  excludedAttributes?: readonly string[];
}

interface Selection {
  /** canonical heads ("name", "<urn>:manager") and dotted paths ("name.givenName") */
  readonly paths: Set<string>;
  /** schema URNs named whole (`attributes=urn:…:enterprise:2.0:User`) */
  readonly schemas: Set<string>;
}

/**
 * Applies `returned` and the query parameters: `never` is always dropped (password), `always` is
 * always kept (id, schemas), `request` only when named, `default` unless excluded or unless an
 * `attributes` list leaves it out. Names may be dotted or URN-qualified; unknown names are ignored.
 */
export function project(resource: ScimResource, resourceType: ResourceTypeName, options: ProjectionOptions = {}): ScimResource {
  const rs = resourceSchema(resourceType);
  const include = options.attributes && options.attributes.length > 0 ? select(resourceType, options.attributes) : undefined;
  const exclude = select(resourceType, options.excludedAttributes ?? []);
  const out: ScimResource = {};
  for (const [key, value] of Object.entries(resource)) {
    if (key.toLowerCase() === 'schemas') {
      out['schemas'] = value;
      continue;
    }
    const ext = rs.extensions.find((e) => e.schema.id.toLowerCase() === key.toLowerCase())?.schema;
    if (ext) {
      if (!isRecord(value)) continue;
      const projected: JsonObject = {};
      for (const [attrKey, attrValue] of Object.entries(value)) {
        const resolved = lookupAttribute(resourceType, { urn: ext.id, attr: attrKey });
        if (!resolved) continue;
        const kept = projectAttribute(resolved.attribute, formatResolved(resolved), attrValue, include, exclude, ext.id);
        if (kept !== undefined) projected[resolved.attribute.name] = kept;
      }
      if (Object.keys(projected).length > 0) out[ext.id] = projected;
      continue;
    }
    const resolved = lookupAttribute(resourceType, { attr: key });
    if (!resolved) continue;
    const kept = projectAttribute(resolved.attribute, formatResolved(resolved), value, include, exclude, rs.core.id);
    if (kept !== undefined) out[resolved.attribute.name] = kept;
  }
  return out;
}

function select(resourceType: ResourceTypeName, names: readonly string[]): Selection {
  const selection: Selection = { paths: new Set(), schemas: new Set() };
  for (const raw of names) {
    const name = raw.trim();
    if (name === '') continue;
    const resolved = resolveName(resourceType, name);
    if (resolved?.kind === 'schema') selection.schemas.add(resolved.schemaId);
    else if (resolved?.kind === 'attribute') {
      const full = formatResolved(resolved.resolved);
      selection.paths.add(full);
    }
  }
  return selection;
}

function projectAttribute(def: AttributeDefinition, head: string, value: unknown, include: Selection | undefined, exclude: Selection, schemaId: string): unknown {
  if (def.returned === 'never' || value === undefined) return undefined;
  const always = def.returned === 'always';
  const named = include !== undefined && (include.paths.has(head) || include.schemas.has(schemaId));
  const namedSubs = include === undefined ? [] : subsNamed(include, head);
  if (!always) {
    if (include !== undefined && !named && namedSubs.length === 0) return undefined;
    if (include === undefined && def.returned === 'request') return undefined;
    if (exclude.paths.has(head) || exclude.schemas.has(schemaId)) return undefined;
  }
  if (def.type !== 'complex' || !def.subAttributes) return value;
  const keepSub = (sub: AttributeDefinition): boolean => {
    if (sub.returned === 'never') return false;
    if (sub.returned === 'always') return true;
    const path = `${head}.${sub.name}`;
    if (exclude.paths.has(path)) return false;
    // Naming only some sub-attributes (`name.givenName`) returns just those (RFC 7644 §3.9).
    if (!named && namedSubs.length > 0) return namedSubs.includes(path);
    return sub.returned !== 'request' || (include?.paths.has(path) ?? false);
  };
  const filterObject = (obj: unknown): unknown => {
    if (!isRecord(obj)) return obj;
    const kept: JsonObject = {};
    for (const [k, v] of Object.entries(obj)) {
      const sub = def.subAttributes?.find((s) => s.name.toLowerCase() === k.toLowerCase());
      if (sub && keepSub(sub)) kept[sub.name] = v;
    }
    return Object.keys(kept).length > 0 ? kept : undefined;
  };
  if (Array.isArray(value)) {
    if (value.length === 0) return value;
    const list = value.map(filterObject).filter((v) => v !== undefined);
    return list.length > 0 ? list : undefined;
  }
  return filterObject(value);
}

function subsNamed(selection: Selection, head: string): string[] {
  const prefix = `${head}.`;
  return [...selection.paths].filter((p) => p.startsWith(prefix));
}
