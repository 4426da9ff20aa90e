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
  return projector(resourceType, options)(resource);
}

/** What a projection does with one attribute, whatever its value: drop it, or keep it (and which sub-attributes). */
type AttributePlan =
  | { keep: false }
  | {
      keep: true;
      /** the attribute's canonical name */
      name: string;
      /** for a complex attribute: each sub-attribute's name, lower-cased, to its canonical name when it is kept */
      subs?: Map<string, string>;
      /** the canonical names of the kept sub-attributes */
      canonical?: Set<string>;
    };

/**
 * `project` for many resources under one projection: what to do with each attribute depends only on
 * its name and the query parameters, so a list page works it out once per name, not once per
 * resource (a page of 100 users named the same 30 attributes 100 times).
 */
export function projector(resourceType: ResourceTypeName, options: ProjectionOptions = {}): (resource: ScimResource) => ScimResource {
  // The plans depend only on the schema and the two parameters, so every request with the same
  // parameters (most ask for none) reuses one projector with the plans it has already worked out.
  const rs = resourceSchema(resourceType);
  let cache = projectors.get(rs);
  if (!cache) projectors.set(rs, (cache = new Map<string, (resource: ScimResource) => ScimResource>()));
  const key = options.attributes?.length || options.excludedAttributes?.length ? JSON.stringify([options.attributes ?? [], options.excludedAttributes ?? []]) : '';
  let made = cache.get(key);
  if (!made) {
    if (cache.size >= MAX_PROJECTORS) cache.delete(cache.keys().next().value!);
    cache.set(key, (made = makeProjector(resourceType, rs, options)));
  }
  return made;
}

/** Projectors kept per resource schema (a reloaded registry has new schema objects, so new projectors). */
const projectors = new WeakMap<object, Map<string, (resource: ScimResource) => ScimResource>>();
/** Most projections kept per resource type: the parameters come from clients, so the oldest goes. */
const MAX_PROJECTORS = 256;
/** Most attribute names one projector keeps plans for (a schema has a few dozen). */
const MAX_PLANS = 1024;

function makeProjector(resourceType: ResourceTypeName, rs: ReturnType<typeof resourceSchema>, options: ProjectionOptions): (resource: ScimResource) => ScimResource {
  const include = options.attributes && options.attributes.length > 0 ? select(resourceType, options.attributes) : undefined;
  const exclude = select(resourceType, options.excludedAttributes ?? []);
  const core = new Map<string, AttributePlan>();
  const extensions = new Map<string, { id: string; attributes: Map<string, AttributePlan> } | null>();

  const extensionOf = (key: string) => {
    let ext = extensions.get(key);
    if (ext === undefined) {
      const schema = rs.extensions.find((e) => e.schema.id.toLowerCase() === key.toLowerCase())?.schema;
      ext = schema ? { id: schema.id, attributes: new Map() } : null;
      if (extensions.size < MAX_PLANS) extensions.set(key, ext);
    }
    return ext;
  };
  const planFor = (plans: Map<string, AttributePlan>, key: string, urn: string | undefined, schemaId: string): AttributePlan => {
    let plan = plans.get(key);
    if (!plan) {
      const resolved = lookupAttribute(resourceType, urn ? { urn, attr: key } : { attr: key });
      plan = resolved ? planAttribute(resolved.attribute, formatResolved(resolved), include, exclude, schemaId) : { keep: false };
      // a kept projector outlives the request: names beyond the schema's are planned but not kept
      if (plans.size < MAX_PLANS) plans.set(key, plan);
    }
    return plan;
  };

  return (resource) => {
    const out: ScimResource = {};
    for (const [key, value] of Object.entries(resource)) {
      if (key.toLowerCase() === 'schemas') {
        out['schemas'] = value;
        continue;
      }
      const ext = extensionOf(key);
      if (ext) {
        if (!isRecord(value)) continue;
        const projected: JsonObject = {};
        for (const [attrKey, attrValue] of Object.entries(value)) {
          const plan = planFor(ext.attributes, attrKey, ext.id, ext.id);
          const kept = applyPlan(plan, attrValue);
          if (plan.keep && kept !== undefined) projected[plan.name] = kept;
        }
        if (Object.keys(projected).length > 0) out[ext.id] = projected;
        continue;
      }
      const plan = planFor(core, key, undefined, rs.core.id);
      const kept = applyPlan(plan, value);
      if (plan.keep && kept !== undefined) out[plan.name] = kept;
    }
    return out;
  };
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

function planAttribute(def: AttributeDefinition, head: string, include: Selection | undefined, exclude: Selection, schemaId: string): AttributePlan {
  if (def.returned === 'never') return { keep: false };
  const always = def.returned === 'always';
  const named = include !== undefined && (include.paths.has(head) || include.schemas.has(schemaId));
  const namedSubs = include === undefined ? [] : subsNamed(include, head);
  if (!always) {
    if (include !== undefined && !named && namedSubs.length === 0) return { keep: false };
    if (include === undefined && def.returned === 'request') return { keep: false };
    if (exclude.paths.has(head) || exclude.schemas.has(schemaId)) return { keep: false };
  }
  if (def.type !== 'complex' || !def.subAttributes) return { keep: true, name: def.name };
  const keepSub = (sub: AttributeDefinition): boolean => {
    if (sub.returned === 'never') return false;
    if (sub.returned === 'always') return true;
    const path = `${head}.${sub.name}`;
    if (exclude.paths.has(path)) return false;
    // Naming only some sub-attributes (`name.givenName`) returns just those (RFC 7644 §3.9).
    if (!named && namedSubs.length > 0) return namedSubs.includes(path);
    return sub.returned !== 'request' || (include?.paths.has(path) ?? false);
  };
  // Sub-attribute names match case-insensitively; the first definition of a name decides, as before.
  const subs = new Map<string, string>();
  const seen = new Set<string>();
  for (const sub of def.subAttributes) {
    const lower = sub.name.toLowerCase();
    if (seen.has(lower)) continue;
    seen.add(lower);
    if (keepSub(sub)) subs.set(lower, sub.name);
  }
  return { keep: true, name: def.name, subs, canonical: new Set(subs.values()) };
}

function applyPlan(plan: AttributePlan, value: unknown): unknown {
  if (!plan.keep || value === undefined) return undefined;
  const subs = plan.subs;
  if (!subs) return value;
  const canonical = plan.canonical!;
  const filterObject = (obj: unknown): unknown => {
    if (!isRecord(obj)) return obj;
    // Roster's own mappers write canonical names: an object whose every name is kept, as written,
    // is kept as it is (a 10,000-member group answered 40,000 lower-cased names and copies).
    let whole = true;
    let names = 0;
    for (const k in obj) {
      names++;
      if (!canonical.has(k)) {
        whole = false;
        break;
      }
    }
    if (whole) return names > 0 ? obj : undefined;
    const kept: JsonObject = {};
    let any = false;
    for (const [k, v] of Object.entries(obj)) {
      const name = subs.get(k.toLowerCase());
      if (name !== undefined) {
        kept[name] = v;
        any = true;
      }
    }
    return any ? kept : undefined;
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
