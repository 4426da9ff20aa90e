import autocannon from 'autocannon';
import { Client, percentile } from './http.js';
import { CpuMeter, RssSampler } from './procs.js';
import { GRAPHQL_LOOKUP } from './graphql-lookup.js';
import type { Seeded } from './seed.js';

/** A server under test: Roster or the floor. */
export interface Target {
  kind: 'roster' | 'floor';
  base: string;
  pid: number;
  /** the Postgres database it uses (its backends' CPU counts as the server's), none when embedded */
  database?: string;
  /** headers for SCIM calls (Roster: the SCIM bearer token; the floor checks none) */
  scim: Record<string, string>;
  /** headers for /graphql (Roster only) */
  graphql: Record<string, string>;
  /** what the scenarios' first requests were answered with (the bench compares Roster's and the floor's) */
  probes?: Probe[];
}

/** The status, the headers that matter and the JSON shape of one answer (values left out). */
export interface Probe {
  request: string;
  status: number;
  shape: string[];
}

/** Load shape of one run. */
export interface Timing {
  /** seconds of measured load per closed-loop scenario */
  duration: number;
  /** seconds of warm-up load before it (not measured) */
  warmup: number;
  /** seconds of unmeasured rounds before each block of a sequential write scenario (PATCH, deactivate) */
  sequentialWarmup: number;
  /**
   * seconds of lookup load on a fresh server before any scenario: Roster needs 10–15 s of load to
   * reach its steady state (JIT, pool connections, heap sizing); the figures are for a warm server
   */
  processWarmup: number;
  connections: number;
  /**
   * requests per second across all connections (open-loop pacing); unset: as fast as the server
   * answers. A paced load leaves spare CPU, so CPU per request is measured without contention.
   */
  rate?: number;
  /** sequential PUT /Groups per target (fewer when `putBudget` runs out first, at least two) */
  putRounds: number;
  /** seconds the PUT scenario may take on one target */
  putBudget: number;
  /** sequential PATCH add+remove pairs per group size */
  patchRounds: number;
  /** repeats of the first and last import page */
  pageRepeats: number;
  /** sequential deactivate + reactivate pairs */
  deactivateRounds: number;
}

/** What a scenario measured on one target. */
export interface Measure {
  /** requests per second */
  rps: number;
  /** latency percentiles in ms */
  p50: number;
  p99: number;
  requests: number;
  /** non-2xx answers and socket errors; any of them makes the figure suspect */
  failures: number;
  /** server CPU ms per request: the server's process plus its Postgres backends (see CpuMeter) */
  cpuMs?: number;
  extra?: Record<string, number>;
  /** answers by status (mixed scenario: by "kind status", e.g. "put 409") */
  statuses?: Record<string, number>;
  /** every latency, ms (sequential scenarios: so that blocks merge into exact percentiles) */
  samples?: number[];
}

/** extra figures that are counts (summed when blocks merge); every other extra is a per-request figure */
const COUNTED_EXTRAS = new Set(['rounds']);

/**
 * Blocks of one scenario on one server as one measure: requests and time summed (req/s = all
 * requests ÷ all measured time), CPU per request weighted by requests, percentiles exact where the
 * blocks kept their samples (sequential scenarios), else the blocks' own weighted by requests.
 */
export function mergeMeasures(parts: Measure[]): Measure {
  const requests = parts.reduce((n, p) => n + p.requests, 0);
  const seconds = parts.reduce((n, p) => n + p.requests / p.rps, 0);
  const weighted = (get: (p: Measure) => number | undefined): number | undefined =>
    parts.every((p) => get(p) !== undefined) ? parts.reduce((n, p) => n + get(p)! * p.requests, 0) / requests : undefined;
  const samples = parts.every((p) => p.samples) ? parts.flatMap((p) => p.samples!) : undefined;
  const sum = (maps: (Record<string, number> | undefined)[], counted: (key: string) => boolean) => {
    const keys = [...new Set(maps.flatMap((m) => Object.keys(m ?? {})))];
    if (!keys.length) return undefined;
    return Object.fromEntries(keys.map((key) => [key, counted(key) ? maps.reduce((n, m) => n + (m?.[key] ?? 0), 0) : weighted((p) => p.extra?.[key])!]));
  };
  const merged: Measure = {
    rps: requests / seconds,
    p50: samples ? percentile(samples, 50) : weighted((p) => p.p50)!,
    p99: samples ? percentile(samples, 99) : weighted((p) => p.p99)!,
    requests,
    failures: parts.reduce((n, p) => n + p.failures, 0),
    cpuMs: weighted((p) => p.cpuMs),
    samples,
  };
  const extra = sum(
    parts.map((p) => p.extra),
    (key) => COUNTED_EXTRAS.has(key),
  );
  if (extra) merged.extra = extra;
  const statuses = sum(
    parts.map((p) => p.statuses),
    () => true,
  );
  if (statuses) merged.statuses = statuses;
  return merged;
}

const SCIM_JSON = 'application/scim+json; charset=utf-8';
const LIST_URN = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const PATCH_URN = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const USER_URN = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP_URN = 'urn:ietf:params:scim:schemas:core:2.0:Group';

const randomUser = (d: Seeded) => 1 + Math.floor(Math.random() * d.sizes.users);
/**
 * A random user for writes, never one of the first 100 (user 7 and the first import page are what
 * the probes compare between Roster and the floor; the floor's writes must not show in Roster's).
 */
const randomWritable = (d: Seeded) => {
  const n = randomUser(d);
  return n <= 100 ? n + 100 : n;
};
const lookupPath = (userName: string) => `/scim/v2/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`;

type Setup = (req: { method?: string; path?: string; body?: string | Buffer; headers?: Record<string, string> }) => typeof req;

const meter = (target: Target) => new CpuMeter(target.pid, target.database);

/** Closed-loop load: `connections` requests in flight for `duration` seconds, after a warm-up. */
async function closedLoop(
  target: Target,
  t: Timing,
  method: string,
  headers: Record<string, string>,
  setup: Setup,
  onResponse?: (status: number, body: string, context: Record<string, unknown>) => void,
): Promise<Measure> {
  const run = (duration: number, measured: boolean) =>
    autocannon({
      url: target.base,
      connections: t.connections,
      ...(t.rate ? { overallRate: t.rate } : {}),
      duration,
      method: method as autocannon.Request['method'],
      headers,
      requests: [{ method: method as autocannon.Request['method'], setupRequest: setup as never, ...(onResponse && measured ? { onResponse: onResponse as never } : {}) }],
    });
  if (t.warmup > 0) await run(t.warmup, false);
  const cpu = meter(target);
  const r = await run(t.duration, true);
  const cpuMs = cpu.read() / Math.max(1, r.requests.total);
  const failures = r.non2xx + r.errors + r.timeouts;
  const statuses = Object.fromEntries(Object.entries(r.statusCodeStats ?? {}).map(([code, v]) => [code, Number(v.count)]));
  return { rps: r.requests.total / (r.duration || t.duration), p50: r.latency.p50, p99: r.latency.p99, requests: r.requests.total, failures, cpuMs, statuses };
}

/**
 * The shape of an answer: status aside, the headers a client reads (content type, ETag, Location)
 * and every JSON path with its value's type (array elements merged), values left out.
 */
export function shapeOf(a: { headers: Record<string, unknown>; body: string }): string[] {
  const out = new Set<string>();
  for (const h of ['content-type', 'etag', 'location']) if (a.headers[h] !== undefined) out.add(`header ${h}${h === 'content-type' ? `: ${String(a.headers[h])}` : ''}`);
  const walk = (v: unknown, path: string) => {
    if (Array.isArray(v)) {
      out.add(`${path}: array${v.length ? '' : ' (empty)'}`);
      for (const x of v) walk(x, `${path}[]`);
    } else if (v !== null && typeof v === 'object') {
      out.add(`${path}: object`);
      for (const [k, x] of Object.entries(v)) walk(x, `${path}.${k}`);
    } else out.add(`${path}: ${v === null ? 'null' : typeof v}`);
  };
  if (a.body) {
    try {
      walk(JSON.parse(a.body), '$');
    } catch {
      out.add('$: not JSON');
    }
  }
  return [...out].sort();
}

/** Keeps the first answer to each kind of request (a scenario measured in blocks asks it once per block). */
const recordProbe = (target: Target, request: string, a: { status: number; headers: Record<string, unknown>; body: string }) => {
  if (!target.probes?.some((p) => p.request === request)) (target.probes ??= []).push({ request, status: a.status, shape: shapeOf(a) });
};

/** Fails early, with the body, when a target does not answer the scenario's request as expected. */
function check(cond: boolean, what: string, body: string): void {
  if (!cond) throw new Error(`${what}: unexpected answer ${body.slice(0, 400)}`);
}

/** Unmeasured lookup load that brings a fresh server to its steady state. */
export async function warmUp(target: Target, d: Seeded, t: Timing): Promise<void> {
  if (t.processWarmup <= 0) return;
  await closedLoop(target, { ...t, warmup: 0, duration: t.processWarmup }, 'GET', target.scim, (req) => ({ ...req, path: lookupPath(d.userName(randomUser(d))) }));
}

/** lookup: GET /Users?filter=userName eq "…" for random users, `connections` in flight. */
export async function lookup(target: Target, d: Seeded, t: Timing): Promise<Measure> {
  const c = new Client(target.base);
  const probe = await c.expect(200, 'GET', lookupPath(d.userName(7)), target.scim);
  const body = JSON.parse(probe.body) as { totalResults: number; Resources: { userName: string }[] };
  check(body.totalResults === 1 && body.Resources[0]?.userName === d.userName(7), 'lookup', probe.body);
  recordProbe(target, 'GET /Users?filter=userName eq', probe);
  c.close();
  return closedLoop(target, t, 'GET', target.scim, (req) => ({ ...req, path: lookupPath(d.userName(randomUser(d))) }));
}

/** GraphQL: the same lookup as a GraphQL query over HTTP (Roster: with the admin API key; the floor answers the same POST). */
export async function graphqlLookup(target: Target, d: Seeded, t: Timing): Promise<Measure> {
  const headers = { ...target.graphql, 'content-type': 'application/json' };
  const body = (u: string) => JSON.stringify({ query: GRAPHQL_LOOKUP, variables: { u } });
  const c = new Client(target.base);
  const probe = await c.expect(200, 'POST', '/graphql', headers, body(d.userName(7)));
  const data = JSON.parse(probe.body) as { data?: { users: { nodes: { userName: string }[] } } };
  check(data.data?.users.nodes[0]?.userName === d.userName(7), 'graphql lookup', probe.body);
  recordProbe(target, 'POST /graphql lookup', probe);
  c.close();
  return closedLoop(target, t, 'POST', headers, (req) => ({ ...req, path: '/graphql', body: body(d.userName(randomUser(d))) }));
}

/** What the import walk measured. */
export interface Walk {
  pages: number;
  totalSeconds: number;
  pageP50: number;
  pageP99: number;
  /** median of `pageRepeats` requests for the first and for the last page, after the walk */
  firstPage: number;
  lastPage: number;
  /** latency of every page of the walk, in order */
  pageLatencies: number[];
  /** server CPU ms per page over the walk (see CpuMeter) */
  cpuMs: number;
  /** bytes; earlyPeak: highest sample in the walk's first quarter; lateAvg: mean of its last quarter */
  rss: { start: number; peak: number; end: number; earlyPeak: number; lateAvg: number; samples: { t: number; rss: number }[] };
}

/** Import walk: GET /Users?startIndex=1,101,…&count=100 through every seeded user, as Okta imports. */
export async function importWalk(target: Target, d: Seeded, t: Timing): Promise<Walk> {
  const c = new Client(target.base);
  const pages = Math.ceil(d.sizes.users / 100);
  const page = (i: number) => `/scim/v2/Users?startIndex=${1 + 100 * i}&count=100`;
  const first = await c.expect(200, 'GET', page(0), target.scim);
  const fb = JSON.parse(first.body) as { schemas: string[]; totalResults: number; itemsPerPage: number };
  check(fb.schemas[0] === LIST_URN && fb.itemsPerPage === 100 && fb.totalResults >= d.sizes.users, 'import walk', first.body);
  recordProbe(target, 'GET /Users?startIndex&count=100', first);
  // warm-up: the first pages once, unmeasured, so that the RSS samples see the walk and not the
  // process's first-touch growth (JIT, caches, pool connections)
  for (let i = 0; i < Math.min(pages, 100); i++) await c.expect(200, 'GET', page(i), target.scim);
  const sampler = new RssSampler(target.pid, 50);
  const cpu = meter(target);
  const latencies: number[] = [];
  const started = Date.now();
  for (let i = 0; i < pages; i++) {
    const a = await c.expect(200, 'GET', page(i), target.scim);
    latencies.push(a.ms);
  }
  const totalSeconds = (Date.now() - started) / 1000;
  const cpuMs = cpu.read() / pages;
  sampler.stop();
  const repeat = async (i: number) => {
    const ms: number[] = [];
    for (let k = 0; k < t.pageRepeats; k++) ms.push((await c.expect(200, 'GET', page(i), target.scim)).ms);
    return percentile(ms, 50);
  };
  const firstPage = await repeat(0);
  const lastPage = await repeat(pages - 1);
  c.close();
  // samples of the walk only (the sampler stopped before the repeats), split by time into quarters
  const s = sampler.samples;
  const span = s[s.length - 1].t - s[0].t;
  const early = s.filter((x) => x.t - s[0].t <= span / 4);
  const late = s.filter((x) => x.t - s[0].t >= (3 * span) / 4);
  const avg = (xs: { rss: number }[]) => xs.reduce((a, x) => a + x.rss, 0) / xs.length;
  return {
    pages,
    totalSeconds,
    pageP50: percentile(latencies, 50),
    pageP99: percentile(latencies, 99),
    firstPage,
    lastPage,
    pageLatencies: latencies.map((x) => Math.round(x * 100) / 100),
    cpuMs,
    rss: { start: s[0].rss, peak: sampler.peak, end: s[s.length - 1].rss, earlyPeak: Math.max(...early.map((x) => x.rss)), lateAvg: avg(late), samples: s },
  };
}

function sequential(latencies: number[], failures = 0, extra?: Record<string, number>, cpuMs?: number): Measure {
  const total = latencies.reduce((a, b) => a + b, 0);
  return { rps: latencies.length / (total / 1000), p50: percentile(latencies, 50), p99: percentile(latencies, 99), requests: latencies.length, failures, extra, cpuMs, samples: latencies };
}

/**
 * Okta's custom-app group push: a full PUT /Groups/{id} carrying the whole member list (as Okta
 * sends it, value and display) with one member swapped. An even number of PUTs, so the stored
 * membership ends as it began.
 */
export async function putGroup(target: Target, d: Seeded, t: Timing): Promise<Measure> {
  const g = d.groups.put;
  const member = (n: number) => `{"value":"${d.userId(n)}","display":"${d.userName(n)}"}`;
  const kept: string[] = [];
  for (let n = 1; n < g.members; n++) kept.push(member(n));
  const head = `{"schemas":["${GROUP_URN}"],"id":"${g.id}","displayName":"${g.displayName}","members":[${kept.join(',')},`;
  // round i swaps the last member: even rounds send user P+1 instead of user P, odd rounds put P back
  const bodies = [head + member(g.members + 1) + ']}', head + member(g.members) + ']}'];
  const c = new Client(target.base);
  const headers = { ...target.scim, 'content-type': SCIM_JSON };
  const rounds = 2 + 2 * Math.ceil(t.putRounds / 2);
  const latencies: number[] = [];
  let cpu: CpuMeter | undefined;
  const until = Date.now() + t.putBudget * 1000;
  // always an even number of PUTs: stop only after a pair, when the rounds or the time budget are used up
  for (let i = 0; i < rounds && (i < 4 || i % 2 === 1 || Date.now() < until); i++) {
    if (i === 2) cpu = meter(target);
    const a = await c.expect(200, 'PUT', `/scim/v2/Groups/${g.id}`, headers, bodies[i % 2]);
    if (i === 0) {
      const b = JSON.parse(a.body) as { members?: unknown[] };
      check(b.members?.length === g.members, 'PUT /Groups', a.body);
      recordProbe(target, 'PUT /Groups/{id}', a);
    }
    if (i >= 2) latencies.push(a.ms); // the first pair warms up
  }
  const cpuMs = cpu!.read() / latencies.length;
  c.close();
  return sequential(latencies, 0, { bodyBytes: Buffer.byteLength(bodies[0]), rounds: latencies.length }, cpuMs);
}

/**
 * Unmeasured rounds of a sequential write scenario before its measured ones: at least three, and
 * for `t.sequentialWarmup` seconds, before every block. Three rounds alone measured a write path
 * that had barely run: Roster's is far more code than the floor's handler, and neither the
 * process warm-up (lookups) nor a block of the other server's keeps it hot. In one back-to-back
 * pair of runs, 3 against 400 unmeasured rounds per block moved Roster's PATCH from 0.47–0.53 to
 * 0.78–0.84 of the floor, the floor's own latency unchanged (2026-12-02). An IdP's push of
 * thousands of changes runs warm: that is what the figure is for.
 */
async function warmRounds(t: Timing, round: (i: number) => Promise<unknown>): Promise<number> {
  const until = performance.now() + 1000 * t.sequentialWarmup;
  let i = 0;
  while (i < 3 || performance.now() < until) await round(i++);
  return i;
}

/** PATCH add one member (then remove it) to the big group and to the small group, alternating. */
export async function patchMembers(target: Target, d: Seeded, t: Timing): Promise<{ big: Measure; small: Measure; bigRemove: Measure; smallRemove: Measure }> {
  const c = new Client(target.base);
  const headers = { ...target.scim, 'content-type': SCIM_JSON };
  const who = d.spareId(1);
  const add = JSON.stringify({ schemas: [PATCH_URN], Operations: [{ op: 'add', path: 'members', value: [{ value: who }] }] });
  const remove = JSON.stringify({ schemas: [PATCH_URN], Operations: [{ op: 'remove', path: `members[value eq "${who}"]` }] });
  const lat = { big: [] as number[], small: [] as number[], bigRemove: [] as number[], smallRemove: [] as number[] };
  // CPU of each request, read between requests (outside the timed part)
  const cpuOf = { big: 0, small: 0, bigRemove: 0, smallRemove: 0 };
  const cpu = meter(target);
  let mark = 0;
  const since = () => {
    const now = cpu.read();
    const used = now - mark;
    mark = now;
    return used;
  };
  // One round: add then remove, in each group; measured rounds keep latency and CPU per request.
  const round = async (i: number, measured: boolean) => {
    for (const size of ['big', 'small'] as const) {
      const path = `/scim/v2/Groups/${d.groups[size].id}`;
      since();
      const a = await c.expect(204, 'PATCH', path, headers, add);
      const addCpu = since();
      const r = await c.expect(204, 'PATCH', path, headers, remove);
      const removeCpu = since();
      if (i === 0 && size === 'small') {
        recordProbe(target, 'PATCH /Groups/{id} add member', a);
        recordProbe(target, 'PATCH /Groups/{id} remove member', r);
      }
      if (!measured) continue;
      const rm = size === 'big' ? 'bigRemove' : 'smallRemove';
      lat[size].push(a.ms);
      lat[rm].push(r.ms);
      cpuOf[size] += addCpu;
      cpuOf[rm] += removeCpu;
    }
  };
  const warm = await warmRounds(t, (i) => round(i, false));
  for (let i = warm; i < warm + t.patchRounds; i++) await round(i, true);
  c.close();
  const n = t.patchRounds;
  return {
    big: sequential(lat.big, 0, undefined, cpuOf.big / n),
    small: sequential(lat.small, 0, undefined, cpuOf.small / n),
    bigRemove: sequential(lat.bigRemove, 0, undefined, cpuOf.bigRemove / n),
    smallRemove: sequential(lat.smallRemove, 0, undefined, cpuOf.smallRemove / n),
  };
}

let created = 0;

/** create: POST /Users with unique userNames, `connections` in flight; with Okta's placeholder password or without one. */
export async function createUsers(target: Target, t: Timing, withPassword: boolean): Promise<Measure> {
  const headers = { ...target.scim, 'content-type': SCIM_JSON };
  const run = `${target.kind}-${process.pid}-${withPassword ? 'p' : 'n'}`;
  const body = () => {
    const n = ++created;
    const userName = `bench-create-${run}-${n}@example.com`;
    return JSON.stringify({
      schemas: [USER_URN],
      userName,
      name: { givenName: `Given${n}`, familyName: `Family${n}` },
      emails: [{ primary: true, value: userName, type: 'work' }],
      displayName: `Given${n} Family${n}`,
      locale: 'en-US',
      externalId: `00ub${String(n).padStart(16, '0')}`,
      groups: [],
      ...(withPassword ? { password: 'Placeholder-Pa55word!' } : {}),
      active: true,
    });
  };
  const c = new Client(target.base);
  const probe = await c.expect(201, 'POST', '/scim/v2/Users', headers, body());
  check((JSON.parse(probe.body) as { userName?: string }).userName?.startsWith('bench-create-') === true, 'create', probe.body);
  recordProbe(target, `POST /Users${withPassword ? ' with password' : ''}`, probe);
  c.close();
  return closedLoop(target, t, 'POST', headers, (req) => ({ ...req, path: '/scim/v2/Users', body: body() }));
}

/** GET /Users/{id} for random seeded users, `connections` in flight. */
export async function getUser(target: Target, d: Seeded, t: Timing): Promise<Measure> {
  const c = new Client(target.base);
  const probe = await c.expect(200, 'GET', `/scim/v2/Users/${d.userId(7)}`, target.scim);
  check((JSON.parse(probe.body) as { id?: string }).id === d.userId(7), 'GET /Users/{id}', probe.body);
  recordProbe(target, 'GET /Users/{id}', probe);
  c.close();
  return closedLoop(target, t, 'GET', target.scim, (req) => ({ ...req, path: `/scim/v2/Users/${d.userId(randomUser(d))}` }));
}

let pushed = 0;

/**
 * Okta's profile push: PUT /Users/{id} with the whole user as Okta holds it (the seeded attributes,
 * emails as Okta sends them) and one attribute changed (title, a new value each time).
 */
export function profilePush(d: Seeded, n: number): string {
  const userName = d.userName(n);
  return JSON.stringify({
    schemas: [USER_URN],
    id: d.userId(n),
    externalId: `00u${String(n).padStart(17, '0')}`,
    userName,
    name: { formatted: `Given${n} Family${n}`, familyName: `Family${n}`, givenName: `Given${n}` },
    displayName: `Given${n} Family${n}`,
    emails: [{ primary: true, value: userName, type: 'work' }],
    title: `Engineer ${++pushed}`,
    active: true,
  });
}

/** PUT /Users/{id} (Okta's profile push, one attribute changed) for random seeded users, `connections` in flight. */
export async function putUsers(target: Target, d: Seeded, t: Timing): Promise<Measure> {
  const headers = { ...target.scim, 'content-type': SCIM_JSON };
  const c = new Client(target.base);
  const probe = await c.expect(200, 'PUT', `/scim/v2/Users/${d.userId(101)}`, headers, profilePush(d, 101));
  check((JSON.parse(probe.body) as { title?: string }).title === `Engineer ${pushed}`, 'PUT /Users', probe.body);
  recordProbe(target, 'PUT /Users/{id}', probe);
  c.close();
  return closedLoop(target, t, 'PUT', headers, (req) => {
    const n = randomWritable(d);
    return { ...req, path: `/scim/v2/Users/${d.userId(n)}`, body: profilePush(d, n) };
  });
}

/**
 * Deactivation as Okta sends it (PATCH replace active false), then reactivation, sequential, on a
 * different user each round (the directory's last users): both timed, reported apart.
 */
export async function deactivate(target: Target, d: Seeded, t: Timing): Promise<{ deactivate: Measure; reactivate: Measure }> {
  const c = new Client(target.base);
  const headers = { ...target.scim, 'content-type': SCIM_JSON };
  const op = (active: boolean) => JSON.stringify({ schemas: [PATCH_URN], Operations: [{ op: 'replace', value: { active } }] });
  const [off, on] = [op(false), op(true)];
  const lat = { deactivate: [] as number[], reactivate: [] as number[] };
  const cpuOf = { deactivate: 0, reactivate: 0 };
  const cpu = meter(target);
  let mark = 0;
  const since = () => {
    const now = cpu.read();
    const used = now - mark;
    mark = now;
    return used;
  };
  // One round: deactivate a user, then reactivate it; measured rounds keep latency and CPU per request.
  const round = async (i: number, measured: boolean) => {
    const path = `/scim/v2/Users/${d.userId(d.sizes.users - (i % 1000))}`;
    since();
    const a = await c.expect(204, 'PATCH', path, headers, off);
    const offCpu = since();
    const b = await c.expect(204, 'PATCH', path, headers, on);
    const onCpu = since();
    if (i === 0) recordProbe(target, 'PATCH /Users/{id} active false', a);
    if (!measured) return;
    lat.deactivate.push(a.ms);
    lat.reactivate.push(b.ms);
    cpuOf.deactivate += offCpu;
    cpuOf.reactivate += onCpu;
  };
  const warm = await warmRounds(t, (i) => round(i, false));
  for (let i = warm; i < warm + t.deactivateRounds; i++) await round(i, true);
  c.close();
  const n = t.deactivateRounds;
  return { deactivate: sequential(lat.deactivate, 0, undefined, cpuOf.deactivate / n), reactivate: sequential(lat.reactivate, 0, undefined, cpuOf.reactivate / n) };
}

/**
 * A real push, mixed (issue point 4): 70 % userName lookups, 20 % PUT /Users (profile push), 10 %
 * group PATCH (add or remove one member of the mix group), `connections` in flight. Each request
 * picks its kind at random; the group PATCHes cycle through the spare users (add them all, then
 * remove them all, …), so that a remove mostly finds its member (one that does not is a no-op, 204,
 * on both servers). Answers are counted by kind and status: any 409 or 5xx fails the issue's check.
 */
export async function mixed(target: Target, d: Seeded, t: Timing): Promise<Measure> {
  const scim = { ...target.scim, 'content-type': SCIM_JSON };
  const g = d.groups.mix;
  const spares = d.sizes.spare - 1; // spare 1 is the PATCH scenario's
  let k = 0;
  const statuses: Record<string, number> = {};
  // each kind's latency, from the request's setup to its answer (autocannon reports them all together)
  const latencies: Record<string, number[]> = {};
  const setup = (req: Parameters<Setup>[0], context: Record<string, unknown>) => {
    context.sentAt = performance.now();
    const x = Math.random();
    if (x < 0.7) {
      context.kind = 'lookup';
      return { ...req, method: 'GET', path: lookupPath(d.userName(randomUser(d))), headers: target.scim };
    }
    if (x < 0.9) {
      context.kind = 'PUT /Users';
      const n = randomWritable(d);
      return { ...req, method: 'PUT', path: `/scim/v2/Users/${d.userId(n)}`, headers: scim, body: profilePush(d, n) };
    }
    context.kind = 'PATCH /Groups';
    const i = k++;
    const who = d.spareId(2 + (i % spares));
    const body =
      Math.floor(i / spares) % 2 === 0
        ? JSON.stringify({ schemas: [PATCH_URN], Operations: [{ op: 'add', path: 'members', value: [{ value: who }] }] })
        : JSON.stringify({ schemas: [PATCH_URN], Operations: [{ op: 'remove', path: `members[value eq "${who}"]` }] });
    return { ...req, method: 'PATCH', path: `/scim/v2/Groups/${g.id}`, headers: scim, body };
  };
  const m = await closedLoop(target, t, 'GET', target.scim, setup as never, (status, _body, context) => {
    const key = `${String(context.kind)} ${status}`;
    statuses[key] = (statuses[key] ?? 0) + 1;
    (latencies[String(context.kind)] ??= []).push(performance.now() - Number(context.sentAt));
  });
  const extra: Record<string, number> = {};
  for (const [kind, ms] of Object.entries(latencies)) {
    extra[`${kind} p50`] = percentile(ms, 50);
    extra[`${kind} p99`] = percentile(ms, 99);
  }
  return { ...m, statuses, extra };
}

/** startIndex of the directory's last page of 100. */
const lastStart = (d: Seeded) => 1 + 100 * (Math.ceil(d.sizes.users / 100) - 1);

/** One request for the last import page: the latency of a process's first request, when sent first (right after /readyz answers 200). */
export async function firstLastPage(target: Target, d: Seeded): Promise<number> {
  const c = new Client(target.base);
  try {
    return (await c.expect(200, 'GET', `/scim/v2/Users?startIndex=${lastStart(d)}&count=100`, target.scim)).ms;
  } finally {
    c.close();
  }
}

/**
 * The last import page, sequential, after three unmeasured: latency and CPU per page. Before them,
 * pages asked for out of the blue (`extra.coldMs`, the median of three: the last page, then pages at
 * 3/4 and 5/8 of the directory, none near a page this process read before), each started from the
 * anchor before it (src/persistence/list-anchors.ts), or walked to its offset when there is none;
 * one sample alone moved by 3× with a stray pause of the machine. Then 20 jumps (`extra.jumpP50`,
 * `extra.jumpP99`): pages of the second half of the directory, each far from the one before. The
 * measured ones start from the position the first one left, as each page of a walk starts from the
 * previous page's.
 */
export async function lastPage(target: Target, d: Seeded, repeats: number): Promise<Measure> {
  const c = new Client(target.base);
  const path = `/scim/v2/Users?startIndex=${lastStart(d)}&count=100`;
  const pages = Math.ceil(d.sizes.users / 100);
  const blue: number[] = [];
  for (const page of [pages - 1, Math.floor((pages * 3) / 4), Math.floor((pages * 5) / 8)]) {
    blue.push((await c.expect(200, 'GET', `/scim/v2/Users?startIndex=${1 + 100 * page}&count=100`, target.scim)).ms);
  }
  const coldMs = percentile(blue, 50);
  const jumps: number[] = [];
  for (let i = 0; i < 20; i++) {
    // 7,919 is prime: the pages are spread over the second half and never repeat within 20
    const page = Math.floor(pages / 2) + ((i * 7919) % Math.max(1, Math.floor(pages / 2) - 1));
    jumps.push((await c.expect(200, 'GET', `/scim/v2/Users?startIndex=${1 + 100 * page}&count=100`, target.scim)).ms);
  }
  for (let i = 0; i < 2; i++) await c.expect(200, 'GET', path, target.scim);
  const cpu = meter(target);
  const ms: number[] = [];
  for (let i = 0; i < repeats; i++) ms.push((await c.expect(200, 'GET', path, target.scim)).ms);
  const cpuMs = cpu.read() / repeats;
  c.close();
  return sequential(ms, 0, { coldMs, jumpP50: percentile(jumps, 50), jumpP99: percentile(jumps, 99) }, cpuMs);
}
