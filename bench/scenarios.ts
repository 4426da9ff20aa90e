import autocannon from 'autocannon';
import { Client, percentile } from './http.js';
import { CpuMeter, RssSampler } from './procs.js';
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
}

/** Load shape of one run. */
export interface Timing {
  /** seconds of measured load per closed-loop scenario */
  duration: number;
  /** seconds of warm-up load before it (not measured) */
  warmup: number;
  /**
   * seconds of lookup load on a fresh server before any scenario: Roster needs 10–15 s of load to
   * reach its steady state (JIT, pool connections, heap sizing); the figures are for a warm server
   */
  processWarmup: number;
  connections: number;
  /** sequential PUT /Groups per target (fewer when `putBudget` runs out first, at least two) */
  putRounds: number;
  /** seconds the PUT scenario may take on one target */
  putBudget: number;
  /** sequential PATCH add+remove pairs per group size */
  patchRounds: number;
  /** repeats of the first and last import page */
  pageRepeats: number;
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
}

const SCIM_JSON = 'application/scim+json; charset=utf-8';
const LIST_URN = 'urn:ietf:params:scim:api:messages:2.0:ListResponse';
const PATCH_URN = 'urn:ietf:params:scim:api:messages:2.0:PatchOp';
const USER_URN = 'urn:ietf:params:scim:schemas:core:2.0:User';
const GROUP_URN = 'urn:ietf:params:scim:schemas:core:2.0:Group';

const randomUser = (d: Seeded) => 1 + Math.floor(Math.random() * d.sizes.users);
const lookupPath = (userName: string) => `/scim/v2/Users?filter=${encodeURIComponent(`userName eq "${userName}"`)}`;

/** The GraphQL form of the lookup (issue: the same lookup as a GraphQL query over HTTP). */
export const GRAPHQL_LOOKUP = 'query Lookup($u: FilterValue) { users(filter: {compare: {path: "userName", op: EQ, value: $u}}, limit: 1) { nodes { id userName } } }';

type Setup = (req: { method?: string; path?: string; body?: string | Buffer; headers?: Record<string, string> }) => typeof req;

const meter = (target: Target) => new CpuMeter(target.pid, target.database);

/** Closed-loop load: `connections` requests in flight for `duration` seconds, after a warm-up. */
async function closedLoop(target: Target, t: Timing, method: string, headers: Record<string, string>, setup: Setup): Promise<Measure> {
  const run = (duration: number) =>
    autocannon({
      url: target.base,
      connections: t.connections,
      duration,
      method: method as autocannon.Request['method'],
      headers,
      requests: [{ method: method as autocannon.Request['method'], setupRequest: setup as never }],
    });
  if (t.warmup > 0) await run(t.warmup);
  const cpu = meter(target);
  const r = await run(t.duration);
  const cpuMs = cpu.read() / Math.max(1, r.requests.total);
  const failures = r.non2xx + r.errors + r.timeouts;
  return { rps: r.requests.total / (r.duration || t.duration), p50: r.latency.p50, p99: r.latency.p99, requests: r.requests.total, failures, cpuMs };
}

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
  c.close();
  return closedLoop(target, t, 'GET', target.scim, (req) => ({ ...req, path: lookupPath(d.userName(randomUser(d))) }));
}

/** GraphQL: the same lookup as a GraphQL query over HTTP, with the admin API key. */
export async function graphqlLookup(target: Target, d: Seeded, t: Timing): Promise<Measure> {
  const headers = { ...target.graphql, 'content-type': 'application/json' };
  const body = (u: string) => JSON.stringify({ query: GRAPHQL_LOOKUP, variables: { u } });
  const c = new Client(target.base);
  const probe = await c.expect(200, 'POST', '/graphql', headers, body(d.userName(7)));
  const data = JSON.parse(probe.body) as { data?: { users: { nodes: { userName: string }[] } } };
  check(data.data?.users.nodes[0]?.userName === d.userName(7), 'graphql lookup', probe.body);
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
  return { rps: latencies.length / (total / 1000), p50: percentile(latencies, 50), p99: percentile(latencies, 99), requests: latencies.length, failures, extra, cpuMs };
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
    }
    if (i >= 2) latencies.push(a.ms); // the first pair warms up
  }
  const cpuMs = cpu!.read() / latencies.length;
  c.close();
  return sequential(latencies, 0, { bodyBytes: Buffer.byteLength(bodies[0]), rounds: latencies.length }, cpuMs);
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
  const rounds = t.patchRounds + 3;
  for (let i = 0; i < rounds; i++) {
    for (const size of ['big', 'small'] as const) {
      const path = `/scim/v2/Groups/${d.groups[size].id}`;
      since();
      const a = await c.expect(204, 'PATCH', path, headers, add);
      const addCpu = since();
      const r = await c.expect(204, 'PATCH', path, headers, remove);
      const removeCpu = since();
      if (i >= 3) {
        const rm = size === 'big' ? 'bigRemove' : 'smallRemove';
        lat[size].push(a.ms);
        lat[rm].push(r.ms);
        cpuOf[size] += addCpu;
        cpuOf[rm] += removeCpu;
      }
    }
  }
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
  c.close();
  return closedLoop(target, t, 'POST', headers, (req) => ({ ...req, path: '/scim/v2/Users', body: body() }));
}
