import { ScimTestApp, startScimApp } from './scim-app.js';
import { Json, scimClient, ScimClient, URN } from './scim-client.js';

/**
 * Every discovery payload, list and by id, validated the way strict clients (pydantic models of
 * RFC 7643) read them: exactly the attributes RFC 7643 defines for it, of the types it gives, the
 * required ones present, and its `schemas`. Nothing else: a server-specific attribute belongs under
 * its own extension URN. The definitions below are transcribed from the RFC text (§3.1 meta, §5
 * ServiceProviderConfig, §6 ResourceType, §7 Schema) and RFC 7644 §3.4.2 (ListResponse).
 */
let app: ScimTestApp;
let c: ScimClient;
beforeAll(async () => {
  app = await startScimApp('okta');
  c = scimClient(app);
});
afterAll(() => app.close());

type Type = 'string' | 'boolean' | 'integer' | 'reference' | 'dateTime' | 'complex';
interface Def {
  type: Type;
  required?: boolean;
  multiValued?: boolean;
  canonical?: readonly string[];
  sub?: Spec;
}
type Spec = Readonly<Record<string, Def>>;

const str: Def = { type: 'string' };
const reqStr: Def = { type: 'string', required: true };
const supported = (extra: Spec = {}): Def => ({ type: 'complex', required: true, sub: { supported: { type: 'boolean', required: true }, ...extra } });

/** RFC 7643 §3.1: `meta` and its sub-attributes (all assigned by the server). */
const META: Def = {
  type: 'complex',
  sub: { resourceType: str, created: { type: 'dateTime' }, lastModified: { type: 'dateTime' }, location: { type: 'reference' }, version: str },
};
const schemasOf = (urn: string): Def => ({ type: 'reference', required: true, multiValued: true, canonical: [urn] });

const SPC_URN = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';
const RT_URN = 'urn:ietf:params:scim:schemas:core:2.0:ResourceType';
const SCHEMA_URN = 'urn:ietf:params:scim:schemas:core:2.0:Schema';

/** RFC 7643 §5. `id` is not required for this resource; no other attribute is defined. */
const SERVICE_PROVIDER_CONFIG: Spec = {
  schemas: schemasOf(SPC_URN),
  id: str,
  meta: META,
  documentationUri: { type: 'reference' },
  patch: supported(),
  bulk: supported({ maxOperations: { type: 'integer', required: true }, maxPayloadSize: { type: 'integer', required: true } }),
  filter: supported({ maxResults: { type: 'integer', required: true } }),
  changePassword: supported(),
  sort: supported(),
  etag: supported(),
  authenticationSchemes: {
    type: 'complex',
    required: true,
    multiValued: true,
    sub: {
      type: { type: 'string', required: true, canonical: ['oauth', 'oauth2', 'oauthbearertoken', 'httpbasic', 'httpdigest'] },
      name: reqStr,
      description: reqStr,
      specUri: { type: 'reference' },
      documentationUri: { type: 'reference' },
    },
  },
};

/** RFC 7643 §6. */
const RESOURCE_TYPE: Spec = {
  schemas: schemasOf(RT_URN),
  id: str,
  meta: META,
  name: reqStr,
  description: str,
  endpoint: { type: 'reference', required: true },
  schema: { type: 'reference', required: true },
  schemaExtensions: { type: 'complex', multiValued: true, sub: { schema: { type: 'reference', required: true }, required: { type: 'boolean', required: true } } },
};

/** RFC 7643 §7: the characteristics of one attribute; `subAttributes` has the same ones. */
const ATTRIBUTE_CHARACTERISTICS: Spec = {
  name: reqStr,
  type: { type: 'string', required: true, canonical: ['string', 'boolean', 'decimal', 'integer', 'dateTime', 'binary', 'reference', 'complex'] },
  multiValued: { type: 'boolean', required: true },
  description: str,
  required: { type: 'boolean', required: true },
  canonicalValues: { type: 'string', multiValued: true },
  caseExact: { type: 'boolean' },
  mutability: { type: 'string', canonical: ['readOnly', 'readWrite', 'immutable', 'writeOnly'] },
  returned: { type: 'string', canonical: ['always', 'never', 'default', 'request'] },
  uniqueness: { type: 'string', canonical: ['none', 'server', 'global'] },
  referenceTypes: { type: 'string', multiValued: true },
};
const ATTRIBUTE: Def = {
  type: 'complex',
  required: true,
  multiValued: true,
  sub: { ...ATTRIBUTE_CHARACTERISTICS, subAttributes: { type: 'complex', multiValued: true, sub: ATTRIBUTE_CHARACTERISTICS } },
};

/** RFC 7643 §7. */
const SCHEMA: Spec = { schemas: schemasOf(SCHEMA_URN), id: { type: 'reference', required: true }, meta: META, name: str, description: str, attributes: ATTRIBUTE };

/** RFC 7644 §3.4.2. */
const listResponse = (resource: Spec): Spec => ({
  schemas: schemasOf(URN.list),
  totalResults: { type: 'integer', required: true },
  startIndex: { type: 'integer' },
  itemsPerPage: { type: 'integer' },
  Resources: { type: 'complex', multiValued: true, sub: resource },
});

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** Every departure of `value` from `spec`, as "path: problem" lines (empty when it conforms). */
function violations(value: unknown, spec: Spec, path = ''): string[] {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [`${path || '(root)'}: not an object`];
  const out: string[] = [];
  const obj = value as Json;
  for (const key of Object.keys(obj)) if (!(key in spec)) out.push(`${path}${key}: not defined by the RFC`);
  for (const [name, def] of Object.entries(spec)) {
    const v = obj[name];
    const at = `${path}${name}`;
    if (v === undefined || v === null) {
      if (def.required) out.push(`${at}: required but missing`);
      continue;
    }
    if ((def.multiValued ?? false) !== Array.isArray(v)) {
      out.push(`${at}: ${def.multiValued ? 'must be a list' : 'must not be a list'}`);
      continue;
    }
    (Array.isArray(v) ? v : [v]).forEach((item, i) => out.push(...checkValue(item, def, Array.isArray(v) ? `${at}[${i}]` : at)));
  }
  return out;
}

function checkValue(v: unknown, def: Def, at: string): string[] {
  switch (def.type) {
    case 'complex':
      return violations(v, def.sub ?? {}, `${at}.`);
    case 'boolean':
      return typeof v === 'boolean' ? [] : [`${at}: not a boolean`];
    case 'integer':
      return Number.isInteger(v) ? [] : [`${at}: not an integer`];
    case 'dateTime':
      return typeof v === 'string' && DATE_TIME.test(v) ? [] : [`${at}: not an xsd:dateTime`];
    case 'string':
    case 'reference':
      if (typeof v !== 'string') return [`${at}: not a string`];
      return def.canonical && !def.canonical.includes(v) ? [`${at}: ${JSON.stringify(v)} is not one of ${def.canonical.join(', ')}`] : [];
  }
}

/** RFC 7643 §7 rules the shape alone does not carry. */
function attributeRules(attributes: Json[], at: string, depth = 0): string[] {
  return attributes.flatMap((a, i) => {
    const here = `${at}[${i}] (${String(a.name)})`;
    const out: string[] = [];
    const subs = a.subAttributes as Json[] | undefined;
    if (a.type === 'complex' && !subs?.length) out.push(`${here}: a complex attribute needs subAttributes`);
    if (a.type !== 'complex' && subs !== undefined) out.push(`${here}: subAttributes on a ${String(a.type)} attribute`);
    if (depth > 0 && a.type === 'complex') out.push(`${here}: a complex sub-attribute (RFC 7643 §2.3.8)`);
    if (a.referenceTypes !== undefined && a.type !== 'reference') out.push(`${here}: referenceTypes on a ${String(a.type)} attribute`);
    if (subs) out.push(...attributeRules(subs, `${here}.subAttributes`, depth + 1));
    return out;
  });
}

async function get(path: string): Promise<Json> {
  const res = await c.get(path);
  expect(res.status).toBe(200);
  expect(res.headers['content-type']).toMatch(/^application\/scim\+json/);
  return res.body as Json;
}

describe('discovery payloads conform to RFC 7643 exactly', () => {
  it('/ServiceProviderConfig (§5)', async () => {
    const body = await get('/ServiceProviderConfig');
    expect(violations(body, SERVICE_PROVIDER_CONFIG)).toEqual([]);
    expect(body.schemas).toEqual([SPC_URN]);
  });

  it('/ResourceTypes (§6), its ListResponse, and each by id', async () => {
    const list = await get('/ResourceTypes');
    expect(violations(list, listResponse(RESOURCE_TYPE))).toEqual([]);
    const resources = list.Resources as Json[];
    expect(list.totalResults).toBe(resources.length);
    expect(resources.length).toBeGreaterThan(0);
    for (const rt of resources) {
      expect(rt.schemas).toEqual([RT_URN]);
      const one = await get(`/ResourceTypes/${String(rt.id)}`);
      expect(violations(one, RESOURCE_TYPE)).toEqual([]);
      expect(one).toEqual(rt);
    }
  });

  it('/Schemas (§7), its ListResponse, and each by id', async () => {
    const list = await get('/Schemas');
    expect(violations(list, listResponse(SCHEMA))).toEqual([]);
    const resources = list.Resources as Json[];
    expect(list.totalResults).toBe(resources.length);
    expect(resources.map((s) => s.id)).toEqual([URN.user, URN.group, URN.enterprise, URN.product]);
    for (const schema of resources) {
      expect(schema.schemas).toEqual([SCHEMA_URN]);
      expect(attributeRules(schema.attributes as Json[], String(schema.id))).toEqual([]);
      const one = await get(`/Schemas/${String(schema.id)}`);
      expect(violations(one, SCHEMA)).toEqual([]);
      expect(one).toEqual(schema);
    }
  });

  it('every schema and extension a resource type names is served at /Schemas', async () => {
    const ids = new Set(((await get('/Schemas')).Resources as Json[]).map((s) => s.id));
    for (const rt of (await get('/ResourceTypes')).Resources as Json[]) {
      expect(ids.has(rt.schema)).toBe(true);
      for (const ext of (rt.schemaExtensions as Json[] | undefined) ?? []) expect(ids.has(ext.schema)).toBe(true);
    }
  });

  it('the validator itself catches what strict clients reject', () => {
    expect(violations({ schemas: [SCHEMA_URN], id: 'urn:x', attributes: [] }, SCHEMA)).toEqual([]);
    expect(violations({ id: 'urn:x', attributes: [] }, SCHEMA)).toEqual(['schemas: required but missing']);
    expect(violations({ schemas: [SPC_URN], maxPayloadSize: 1 }, SERVICE_PROVIDER_CONFIG)).toContain('maxPayloadSize: not defined by the RFC');
    expect(violations({ schemas: [RT_URN], name: 'U', endpoint: '/U', schema: 'urn:x', schemaExtensions: [{ schema: 'urn:y' }] }, RESOURCE_TYPE)).toEqual([
      'schemaExtensions[0].required: required but missing',
    ]);
  });
});
