import { ENTERPRISE_URN, PRODUCT_URN } from '../schema/urns.js';
import type { GraphUser } from './graph-types.js';

/** The core User schema URN. */
export const USER_URN = 'urn:ietf:params:scim:schemas:core:2.0:User';

const MULTI_KEYS = ['emails', 'phoneNumbers', 'ims', 'photos', 'addresses', 'entitlements', 'roles', 'x509Certificates'] as const;
const SIMPLE_KEYS = ['displayName', 'nickName', 'profileUrl', 'title', 'userType', 'preferredLanguage', 'locale', 'timezone'] as const;

/**
 * Singular, simple core attributes that toUserInput passes through under their own names: a
 * `replace` of them sets a value that does not depend on what the user holds now.
 */
export const STATE_FREE_ATTRIBUTES: ReadonlySet<string> = new Set(['userName', 'externalId', 'active', ...SIMPLE_KEYS]);
const ENTERPRISE_KEYS = ['employeeNumber', 'costCenter', 'organization', 'division', 'department'] as const;

/** Drops null members: SCIM leaves unassigned attributes out (RFC 7643 §2.5). */
function compact<T extends Record<string, unknown>>(o: T): Partial<T> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(o)) {
    const v = o[k];
    if (v !== null && v !== undefined) out[k] = v;
  }
  return out as Partial<T>;
}

/** What Date#toISOString writes (and GraphQL's DateTimeISO serialises a Date to). */
const CANONICAL_ISO = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** A timestamp as SCIM writes it; a string already in that form is kept (parsing it again cost more than the rest of meta). */
export const iso = (d: string | Date): string => (d instanceof Date ? d.toISOString() : CANONICAL_ISO.test(d) ? d : new Date(d).toISOString());

/** The weak ETag of a resource version (RFC 7644 §3.14). */
export const etagOf = (version: number): string => `W/"${version}"`;

/** A GraphQL user as a SCIM User resource (before projection). */
export function toScimUser(u: GraphUser, baseUrl: string): Record<string, unknown> {
  const out: Record<string, unknown> = { schemas: [USER_URN], id: u.id };
  if (u.externalId !== null) out.externalId = u.externalId;
  out.userName = u.userName;
  const name = compact(u.name);
  if (Object.keys(name).length) out.name = name;
  for (const k of SIMPLE_KEYS) if (u[k] !== null) out[k] = u[k];
  out.active = u.active;
  for (const k of MULTI_KEYS) {
    const list = u[k].map((v) => compact(v));
    if (list.length) out[k] = list;
  }
  if (u.groups) {
    out.groups = u.groups.map((g) => ({ value: g.id, $ref: `${baseUrl}/Groups/${g.id}`, display: g.displayName, type: 'direct' }));
  }
  const ent: Record<string, unknown> = compact(Object.fromEntries(ENTERPRISE_KEYS.map((k) => [k, u.enterprise[k]])));
  if (u.enterprise.manager) {
    ent.manager = compact({ value: u.enterprise.manager.value, $ref: `${baseUrl}/Users/${u.enterprise.manager.value}`, displayName: u.enterprise.manager.displayName });
  }
  if (Object.keys(ent).length) {
    out[ENTERPRISE_URN] = ent;
    (out.schemas as string[]).push(ENTERPRISE_URN);
  }
  const product = compact({ staticIp: u.staticIp, macAddress: u.macAddress });
  if (Object.keys(product).length) {
    out[PRODUCT_URN] = product;
    (out.schemas as string[]).push(PRODUCT_URN);
  }
  out.meta = { resourceType: 'User', created: iso(u.created), lastModified: iso(u.lastModified), version: etagOf(u.version), location: `${baseUrl}/Users/${u.id}` };
  return out;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj | undefined => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : undefined);
const str = (v: unknown): string | null => (v === undefined || v === null ? null : String(v));

/** Keeps the sub-attributes Roster stores for one multi-valued element. */
function multi(list: unknown, address = false): Obj[] {
  if (!Array.isArray(list)) return [];
  const keys = address ? ['formatted', 'streetAddress', 'locality', 'region', 'postalCode', 'country', 'type', 'primary'] : ['value', 'display', 'type', 'primary'];
  return list.map((item) => {
    const o = obj(item) ?? {};
    return Object.fromEntries(keys.filter((k) => o[k] !== undefined && o[k] !== null).map((k) => [k, o[k]]));
  });
}

/**
 * A validated SCIM User (canonical names, coerced values) as the GraphQL UserInputType. Every
 * writable attribute is present, null when absent, so it serves PUT's "omitted means cleared".
 */
export function toUserInput(r: Obj): Obj {
  const name = obj(r.name);
  const ent = obj(r[ENTERPRISE_URN]);
  const product = obj(r[PRODUCT_URN]);
  const manager = ent?.manager;
  const input: Obj = {
    userName: r.userName,
    externalId: str(r.externalId),
    active: r.active === undefined || r.active === null ? true : r.active,
    name: name ? Object.fromEntries(['formatted', 'familyName', 'givenName', 'middleName', 'honorificPrefix', 'honorificSuffix'].map((k) => [k, str(name[k])])) : null,
    ...Object.fromEntries(SIMPLE_KEYS.map((k) => [k, str(r[k])])),
    emails: multi(r.emails),
    phoneNumbers: multi(r.phoneNumbers),
    ims: multi(r.ims),
    photos: multi(r.photos),
    addresses: multi(r.addresses, true),
    entitlements: multi(r.entitlements),
    roles: multi(r.roles),
    x509Certificates: multi(r.x509Certificates),
    enterprise: {
      ...Object.fromEntries(ENTERPRISE_KEYS.map((k) => [k, str(ent?.[k])])),
      manager: typeof manager === 'string' ? manager : str(obj(manager)?.value),
    },
    staticIp: str(product?.staticIp),
    macAddress: str(product?.macAddress),
  };
  if (typeof r.password === 'string') input.password = r.password;
  return input;
}

/** The attributes whose values differ between two complete inputs: what an update must send. */
export function changedInput(before: Obj, after: Obj): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(after)) if (JSON.stringify(v) !== JSON.stringify(before[k])) out[k] = v;
  return out;
}
