import fc from 'fast-check';
import { startScimApp, type ScimTestApp } from '../scim/scim-app.js';
import { patchOp, scimClient, URN, type Json } from '../scim/scim-client.js';

/**
 * Bounded, seeded fuzzing of the SCIM facade through HTTP: random filters, PATCH bodies and
 * POST/PUT bodies. No input may produce a 5xx, and a refused write must leave nothing behind.
 * The seed is fixed so that CI is repeatable; FUZZ_SEED and FUZZ_RUNS widen a local hunt.
 */
const SEED = Number(process.env.FUZZ_SEED ?? 20261130);
const RUNS = Number(process.env.FUZZ_RUNS ?? 700);

let app: ScimTestApp;
let userId: string;
let groupId: string;
beforeAll(async () => {
  app = await startScimApp('okta');
  const c = scimClient(app);
  userId = (await c.post('/Users', { schemas: [URN.user], userName: 'fuzz-target@example.com', emails: [{ value: 'f@example.com', type: 'work', primary: true }] }).expect(201)).body.id as string;
  groupId = (await c.post('/Groups', { schemas: [URN.group], displayName: 'fuzz-group', members: [{ value: userId }] }).expect(201)).body.id as string;
});
afterAll(() => app.close());

const ATTRS = [
  'userName',
  'displayName',
  'name.givenName',
  'emails',
  'emails.value',
  'emails.type',
  'emails.primary',
  'active',
  'meta.lastModified',
  'id',
  'externalId',
  'members',
  'members.value',
  'title',
  `${URN.enterprise}:department`,
  `${URN.enterprise}:manager.value`,
  'nosuch',
  'emails.nosuch',
  '',
];
const OPS = ['eq', 'ne', 'co', 'sw', 'ew', 'gt', 'ge', 'lt', 'le', 'pr', 'EQ', 'Eq', 'xx', ''];
const text = fc.oneof(
  fc.string({ maxLength: 12 }),
  fc.string({ unit: 'binary', maxLength: 8 }),
  fc.constantFrom('', '\u0000', '\\', '"', "'", ';', '%', '_', '🚀', 'e\u0301', '\uD800', '2026-11-30T00:00:00Z', 'true', 'null'),
);
const value = fc.oneof(
  text.map((s) => JSON.stringify(s)),
  fc.constantFrom('true', 'false', 'null', '42', '-1.5e3', '"unterminated', '1e999'),
  text,
);

/** Filters from the grammar's pieces, well and badly formed, plus raw noise. */
const filter: fc.Arbitrary<string> = fc.letrec<{ f: string }>((tie) => ({
  f: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.tuple(fc.constantFrom(...ATTRS), fc.constantFrom(...OPS), value).map(([a, o, v]) => `${a} ${o} ${v}`),
    fc.tuple(fc.constantFrom(...ATTRS), fc.constantFrom('pr', 'PR')).map(([a, o]) => `${a} ${o}`),
    fc.tuple(tie('f'), fc.constantFrom('and', 'or', 'AND', 'Or', 'xor'), tie('f')).map(([l, j, r]) => `${l} ${j} ${r}`),
    tie('f').map((f) => `not (${f})`),
    tie('f').map((f) => `(${f}`),
    fc.tuple(fc.constantFrom('emails', 'members', 'addresses', 'userName'), tie('f')).map(([a, f]) => `${a}[${f}]`),
    text,
  ),
})).f;

/** Percent-encodes the UTF-8 bytes (a lone surrogate becomes U+FFFD, as a client library would send it). */
const enc = (s: string) => [...Buffer.from(s, 'utf8')].map((b) => `%${b.toString(16).padStart(2, '0')}`).join('');

const expectNo5xx = (what: string, status: number, body: unknown) => {
  if (status >= 500) throw new Error(`${what} answered ${status}: ${JSON.stringify(body)}`);
};

test('random filters answer 200 or a 4xx SCIM error, never 5xx', async () => {
  const c = scimClient(app);
  await fc.assert(
    fc.asyncProperty(filter, fc.constantFrom('/Users', '/Groups'), fc.constantFrom('', '%', '%G1', '%C3%28', '%FF', '%E2%82'), async (f, resource, broken) => {
      // some queries also carry a malformed escape or invalid UTF-8, as a fuzzer on the wire would
      const res = await c.get(`${resource}?filter=${enc(f)}${broken}&count=5`);
      expectNo5xx(`GET ${resource} filter=${f}`, res.status, res.body);
      if (res.status !== 200) expect(res.body.schemas).toEqual([URN.error]);
    }),
    { seed: SEED, numRuns: RUNS, endOnFailure: true },
  );
});

const PATHS = [
  'userName',
  'displayName',
  'active',
  'nickName',
  'name',
  'name.familyName',
  'emails',
  'emails[type eq "work"].value',
  'emails[value eq "x"]',
  'members',
  'members[value eq "nope"]',
  'title',
  `${URN.enterprise}:manager`,
  'meta.version',
  'id',
  'schemas',
  'nosuch',
  '',
  'emails[',
  'a.b.c.d',
];
const json: fc.Arbitrary<unknown> = fc.letrec<{ v: unknown }>((tie) => ({
  v: fc.oneof(
    { depthSize: 'small' },
    text,
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('v'), { maxLength: 3 }),
    fc.dictionary(fc.constantFrom('value', 'type', 'primary', 'display', 'givenName', 'active', 'x', '$ref'), tie('v'), { maxKeys: 3 }),
  ),
})).v;
const operation = fc.record(
  { op: fc.constantFrom('add', 'replace', 'remove', 'Add', 'REPLACE', 'copy', 1), path: fc.option(fc.constantFrom(...PATHS), { nil: undefined }), value: fc.option(json, { nil: undefined }) },
  { requiredKeys: ['op'] },
);

/** What a refused write must not have changed. */
const snapshot = async (path: string) => {
  const body = (await scimClient(app).get(path).expect(200)).body as Json;
  return JSON.stringify(body);
};

test('random PATCH bodies never answer 5xx, and a refused PATCH changes nothing', async () => {
  const c = scimClient(app);
  await fc.assert(
    fc.asyncProperty(fc.array(operation, { minLength: 1, maxLength: 3 }), fc.constantFrom(`/Users/${userId}`, `/Groups/${groupId}`), fc.boolean(), async (ops, path, wellFormed) => {
      const before = await snapshot(path);
      const res = await c.patch(path, wellFormed ? patchOp(...(ops as Json[])) : { Operations: ops });
      expectNo5xx(`PATCH ${path} ${JSON.stringify(ops)}`, res.status, res.body);
      if (res.status >= 400) expect(await snapshot(path)).toBe(before);
    }),
    { seed: SEED + 1, numRuns: RUNS, endOnFailure: true },
  );
});

test('random POST and PUT bodies never answer 5xx; a refused POST creates nothing and a refused PUT changes nothing', async () => {
  const c = scimClient(app);
  const body = fc.dictionary(fc.constantFrom('schemas', 'userName', 'displayName', 'active', 'emails', 'name', 'members', 'externalId', 'password', 'id', 'meta', URN.enterprise, 'nosuch'), json, {
    maxKeys: 5,
  });
  const total = async (resource: string) => ((await c.get(`${resource}?count=0`).expect(200)).body as { totalResults: number }).totalResults;
  await fc.assert(
    fc.asyncProperty(body, fc.constantFrom('Users', 'Groups'), fc.boolean(), async (b, resource, put) => {
      if (put) {
        const path = resource === 'Users' ? `/Users/${userId}` : `/Groups/${groupId}`;
        const before = await snapshot(path);
        const res = await c.put(path, b);
        expectNo5xx(`PUT ${path} ${JSON.stringify(b)}`, res.status, res.body);
        if (res.status >= 400) expect(await snapshot(path)).toBe(before);
        else await c.put(path, JSON.parse(before) as Json); // keep the target usable
        return;
      }
      const before = await total(`/${resource}`);
      const res = await c.post(`/${resource}`, b);
      expectNo5xx(`POST /${resource} ${JSON.stringify(b)}`, res.status, res.body);
      if (res.status >= 400) expect(await total(`/${resource}`)).toBe(before);
      else await c.delete(`/${resource}/${res.body.id as string}`).expect(204);
    }),
    { seed: SEED + 2, numRuns: RUNS, endOnFailure: true },
  );
});
