/**
 * `npm run bench`: seeds a directory, then measures Roster and the floor (bench/floor.ts: bare Koa
 * + one hand-written SQL statement per request) on the same database, one after the other, and
 * prints Roster's speed as a fraction of the floor's, by throughput and by server CPU per request
 * (bench/procs.ts CpuMeter: steadier when other work shares the machine). See `node dist/bench/run.js --help`.
 */
import 'reflect-metadata';
import { twoProcessStudy, twoProcessText } from './two-process.js';
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client as PgClient } from 'pg';
import type { SqlEntityManager } from '@mikro-orm/sql';
import { openDatabase } from '../src/persistence/database.js';
import { frag } from '../src/persistence/sql/fragment.js';
import { runSql } from '../src/persistence/sql/run.js';
import { waitUntilUp } from './http.js';
import { cleanup, freePort, startServer } from './procs.js';
import {
  checksText,
  compareShapes,
  cpuRatioOf,
  Db,
  DbResult,
  designChecks,
  issueChecks,
  markdownTable,
  ratioOf,
  Row,
  ScaleResult,
  scaleChecks,
  scaleText,
  shapesText,
  textTable,
  walkMarkdown,
  walkText,
} from './report.js';
import {
  createUsers,
  deactivate,
  firstLastPage,
  getUser,
  graphqlLookup,
  importWalk,
  lastPage,
  lookup,
  Measure,
  mergeMeasures,
  mixed,
  patchMembers,
  putGroup,
  putUsers,
  Target,
  Timing,
  Walk,
  warmUp,
} from './scenarios.js';
import { growStatements, Seeded, seededDirectory, seedStatements, Sizes } from './seed.js';
import { summarize } from './profile-top.js';
import { comparisonText, layersComparison, layersReport, markedSpans, markScenario } from './profile-layers.js';

/** The key under which the floor's scenarios are marked in its profile (Roster's are marked under the database's name). */
const floorSpansOf = (db: string) => `${db} floor`;

const ROOT = path.resolve(import.meta.dirname, '..', '..');
const RESULTS = path.join(ROOT, 'bench', 'results');
const ROSTER_MAIN = path.join(ROOT, 'dist', 'src', 'main.js');
const ROSTER_CLI = path.join(ROOT, 'dist', 'src', 'cli', 'main.js');
const FLOOR_MAIN = path.join(import.meta.dirname, 'floor.js');

const SCENARIOS = ['lookup', 'lookup1', 'graphql', 'get', 'walk', 'put', 'patch', 'putuser', 'deactivate', 'mixed', 'create', 'twoproc', 'scale'] as const;
type Scenario = (typeof SCENARIOS)[number];
/** what runs without --only: everything but the scale study (--scale adds it) */
const DEFAULT_SCENARIOS = SCENARIOS.filter((x) => x !== 'scale');

const HELP = `npm run bench -- [options]
  (no option)        full run: 100k users, embedded database then Postgres
  --quick            smoke run (10k users, short loads, about 2 minutes), both databases; with
                     --quick, an unreachable Postgres server is skipped with a warning
  --embedded-only    only the embedded database (PGlite)
  --postgres-only    only Postgres (alias: --postgres)
  --pg-url=URL       Postgres server to create the bench database on
                     (default $BENCH_PG_URL or postgres://postgres@127.0.0.1:5432/postgres)
  --users=N          directory size (default 100000, quick 10000)
  --duration=S       seconds of measured load per closed-loop scenario (default 10, quick 1.5)
  --connections=N    requests in flight for the closed-loop scenarios (default 16)
  --only=a,b         scenarios: ${SCENARIOS.join(', ')}
                     (default: all but scale; --only=scale runs the scale study alone;
                     twoproc: lookups on two Roster processes vs one, Postgres only)
  --scale            also run the scale study (Postgres only, Roster alone): seed N users
                     (--users, default 100k; quick 10k), measure lookup, last import page and one
                     membership change of the all-users group, grow the same database to 10 × N
                     users (set-based SQL), measure again, then walk every page for memory
  --sequential       run the floor, then Roster, one server at a time on one database (as --profile
                     does), instead of side by side in alternating blocks
  --profile          run Roster and the floor with node --cpu-prof: Roster's hottest functions, its CPU by layer, and each layer beside the floor's
  --markdown         also print the results as markdown (for the README's Performance section)`;

interface Options {
  quick: boolean;
  dbs: Db[];
  /** the databases were named on the command line (then an unreachable one is an error even with --quick) */
  explicitDbs: boolean;
  pgUrl: string;
  sizes: Sizes;
  timing: Timing;
  only: Set<Scenario>;
  profile: boolean;
  /** one server at a time (the floor, then Roster) on one database; --profile implies it */
  sequential: boolean;
  markdown: boolean;
}

function parseArgs(argv: string[]): Options {
  const flags = new Map<string, string | true>();
  for (const a of argv) {
    const m = /^--([a-z-]+)(?:=(.*))?$/.exec(a);
    if (!m) throw new Error(`unknown argument ${a}\n${HELP}`);
    flags.set(m[1], m[2] ?? true);
  }
  if (flags.has('help')) {
    process.stdout.write(`${HELP}\n`);
    process.exit(0);
  }
  const known = ['quick', 'embedded-only', 'embedded', 'postgres-only', 'postgres', 'pg-url', 'users', 'duration', 'only', 'profile', 'markdown', 'scale', 'connections', 'sequential'];
  for (const k of flags.keys()) if (!known.includes(k)) throw new Error(`unknown option --${k}\n${HELP}`);
  const quick = flags.has('quick');
  const pgOnly = flags.has('postgres-only') || flags.has('postgres');
  const embOnly = flags.has('embedded-only') || flags.has('embedded');
  if (pgOnly && embOnly) throw new Error('--embedded-only and --postgres-only exclude each other');
  const dbs: Db[] = pgOnly ? ['postgres'] : embOnly ? ['embedded'] : ['embedded', 'postgres'];
  const users = flags.has('users') ? Number(flags.get('users')) : quick ? 10_000 : 100_000;
  if (!Number.isInteger(users) || users < 1000) throw new Error('--users must be an integer ≥ 1000');
  const duration = flags.has('duration') ? Number(flags.get('duration')) : quick ? 1.5 : 10;
  const connections = flags.has('connections') ? Number(flags.get('connections')) : 16;
  if (!Number.isInteger(connections) || connections < 2) throw new Error('--connections must be an integer ≥ 2');
  const only = flags.has('only') ? String(flags.get('only')).split(',') : [...DEFAULT_SCENARIOS, ...(flags.has('scale') ? ['scale'] : [])];
  for (const s of only) if (!SCENARIOS.includes(s as Scenario)) throw new Error(`unknown scenario ${s}; known: ${SCENARIOS.join(', ')}`);
  return {
    quick,
    dbs,
    explicitDbs: pgOnly || embOnly,
    pgUrl: String(flags.get('pg-url') ?? process.env.BENCH_PG_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'),
    sizes: { users, putGroup: Math.round(users / 10), bigGroup: users, smallGroup: 10, spare: 200, mixGroup: Math.min(1000, users) },
    timing: {
      duration,
      warmup: quick ? 0.3 : 3,
      sequentialWarmup: quick ? 0.3 : 3,
      processWarmup: quick ? 0 : 15,
      connections,
      putRounds: quick ? 6 : 30,
      putBudget: quick ? 10 : 60,
      patchRounds: quick ? 20 : 200,
      pageRepeats: quick ? 3 : 5,
      deactivateRounds: quick ? 20 : 200,
    },
    only: new Set(only as Scenario[]),
    profile: flags.has('profile'),
    sequential: flags.has('sequential') || flags.has('profile'),
    markdown: flags.has('markdown'),
  };
}

const log = (msg: string) => process.stderr.write(`${new Date().toISOString().slice(11, 19)} ${msg}\n`);
const k = (n: number) => (n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(n));
const secret = () => randomBytes(32).toString('base64url');

/** What one phase (Roster or the floor) measured. */
interface PhaseResult {
  lookup?: Measure;
  /** the lookup one request at a time (no two requests' reads can share a statement) */
  lookupAlone?: Measure;
  graphql?: Measure;
  walk?: Walk;
  put?: Measure;
  patch?: Awaited<ReturnType<typeof patchMembers>>;
  create?: Measure;
  createWithPassword?: Measure;
  get?: Measure;
  putUser?: Measure;
  deactivate?: Awaited<ReturnType<typeof deactivate>>;
  mixed?: Measure;
  probes?: Target['probes'];
  profiles?: string[];
  /** seconds from SIGTERM to exit */
  stopSeconds?: number;
}

/** One server of a run, started and answering. */
interface Running {
  kind: 'roster' | 'floor';
  tag: string;
  target: Target;
  server: ReturnType<typeof startServer>;
  profileDir?: string;
}

/** Starts Roster or the floor on a database and waits until it answers. */
async function startOne(kind: 'roster' | 'floor', db: Db, dbEnv: Record<string, string>, profileDir?: string): Promise<Running> {
  const port = await freePort();
  const adminToken = `rk_bench_${secret()}`;
  const scimToken = `rs_bench_${secret()}`;
  const env: Record<string, string> =
    kind === 'roster'
      ? {
          ...dbEnv,
          HOST: '127.0.0.1',
          NODE_ENV: 'production',
          LOG_LEVEL: 'warn',
          RATE_LIMIT_PER_MINUTE: '0',
          ROSTER_BOOTSTRAP_ADMIN_TOKEN: adminToken,
          ROSTER_BOOTSTRAP_SCIM_TOKEN: scimToken,
          ROSTER_BOOTSTRAP_IDP: 'okta',
        }
      : { ...dbEnv, NODE_ENV: 'production' };
  const nodeArgs = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const server = startServer(kind, kind === 'roster' ? ROSTER_MAIN : FLOOR_MAIN, port, env, nodeArgs);
  const running: Running = {
    kind,
    tag: `[${db}] ${kind}`,
    server,
    profileDir,
    target: {
      kind,
      base: server.base,
      pid: server.pid,
      database: dbEnv.DATABASE_URL ? new URL(dbEnv.DATABASE_URL).pathname.slice(1) : undefined,
      scim: kind === 'roster' ? { authorization: `Bearer ${scimToken}` } : {},
      graphql: kind === 'roster' ? { authorization: `Bearer ${adminToken}` } : {},
    },
  };
  try {
    await waitUntilUp(`${server.base}${kind === 'roster' ? '/readyz' : '/healthz'}`, server.alive);
  } catch (err) {
    await server.stop(10_000);
    throw new Error(`${(err as Error).message}\n--- ${kind} output ---\n${server.output()}`, { cause: err });
  }
  return running;
}

/** Stops a server (SIGTERM, then kill after a grace) and keeps what its stop tells. */
async function stopOne(r: Running, out: PhaseResult): Promise<void> {
  // A CPU profile is written only when the process exits by itself: give it time then.
  const grace = r.profileDir ? 90_000 : 10_000;
  const stopping = Date.now();
  const code = await r.server.stop(grace);
  out.stopSeconds = (Date.now() - stopping) / 1000;
  if (code === null) log(`${r.tag} did not exit within ${grace / 1000} s of SIGTERM and was killed`);
  else if (code !== 0) log(`${r.tag} exited with code ${code}\n${r.server.output()}`);
  else if (out.stopSeconds > 2) log(`${r.tag} took ${out.stopSeconds.toFixed(1)} s to exit after SIGTERM`);
  if (r.profileDir && existsSync(r.profileDir)) {
    out.profiles = readdirSync(r.profileDir)
      .filter((f) => f.endsWith('.cpuprofile'))
      .map((f) => path.join(r.profileDir!, f));
  }
}

/** One scenario of a phase: what it runs on a server, for a given share of the timing. */
interface Step {
  name: Scenario;
  what: string;
  key: Exclude<keyof PhaseResult, 'probes' | 'profiles' | 'stopSeconds'>;
  run: (target: Target, t: Timing) => Promise<unknown>;
  show: (r: never) => string;
  /** measured in blocks that alternate between the two servers (the walk is one pass on each) */
  split: boolean;
}

const rps = (m: Measure) => `${m.rps.toFixed(0)} req/s, p50 ${m.p50.toFixed(1)} ms, p99 ${m.p99.toFixed(1)} ms${m.failures ? `, ${m.failures} FAILED` : ''}`;

function stepsOf(d: Seeded, o: Options): Step[] {
  const steps: Step[] = [
    { name: 'lookup', what: 'lookup', key: 'lookup', run: (x, t) => lookup(x, d, t), show: rps, split: true },
    { name: 'lookup1', what: 'lookup, one at a time', key: 'lookupAlone', run: (x, t) => lookup(x, d, { ...t, connections: 1 }), show: rps, split: true },
    // the floor answers the same POST /graphql with the same body (bench/floor.ts knows that one document)
    { name: 'graphql', what: 'GraphQL lookup', key: 'graphql', run: (x, t) => graphqlLookup(x, d, t), show: rps, split: true },
    { name: 'get', what: 'GET /Users/{id}', key: 'get', run: (x, t) => getUser(x, d, t), show: rps, split: true },
    {
      name: 'walk',
      what: 'import walk',
      key: 'walk',
      run: (x, t) => importWalk(x, d, t),
      show: (w: Walk) => `${w.pages} pages in ${w.totalSeconds.toFixed(1)} s, first ${w.firstPage.toFixed(1)} ms, last ${w.lastPage.toFixed(1)} ms, peak RSS ${(w.rss.peak / 2 ** 20).toFixed(0)} MB`,
      split: false,
    },
    { name: 'put', what: 'PUT /Groups', key: 'put', run: (x, t) => putGroup(x, d, t), show: rps, split: true },
    {
      name: 'patch',
      what: 'PATCH members',
      key: 'patch',
      run: (x, t) => patchMembers(x, d, t),
      show: (p: NonNullable<PhaseResult['patch']>) =>
        `add p50 ${p.big.p50.toFixed(1)} ms (big) vs ${p.small.p50.toFixed(1)} ms (small); remove ${p.bigRemove.p50.toFixed(1)} vs ${p.smallRemove.p50.toFixed(1)} ms`,
      split: true,
    },
    { name: 'putuser', what: 'PUT /Users', key: 'putUser', run: (x, t) => putUsers(x, d, t), show: rps, split: true },
    {
      name: 'deactivate',
      what: 'deactivate',
      key: 'deactivate',
      run: (x, t) => deactivate(x, d, t),
      show: (x: NonNullable<PhaseResult['deactivate']>) => `deactivate p50 ${x.deactivate.p50.toFixed(1)} ms, reactivate p50 ${x.reactivate.p50.toFixed(1)} ms`,
      split: true,
    },
    {
      name: 'mixed',
      what: 'mixed push',
      key: 'mixed',
      run: (x, t) => mixed(x, d, t),
      show: (m: Measure) =>
        `${rps(m)}; ${statusText(m.statuses)}; p50 / p99 by kind: ${Object.keys(m.extra ?? {})
          .filter((key) => key.endsWith(' p50'))
          .map((key) => `${key.slice(0, -4)} ${m.extra![key].toFixed(1)} / ${m.extra![`${key.slice(0, -4)} p99`].toFixed(1)} ms`)
          .join(', ')}`,
      split: true,
    },
    { name: 'create', what: 'create', key: 'create', run: (x, t) => createUsers(x, t, false), show: rps, split: true },
  ];
  if (!o.quick) steps.push({ name: 'create', what: 'create with password', key: 'createWithPassword', run: (x, t) => createUsers(x, t, true), show: rps, split: true });
  return steps.filter((s) => o.only.has(s.name));
}

/** Block `b` of `blocks`: a share of the measured load, with a shorter warm-up after the first. */
function blockTiming(t: Timing, b: number, blocks: number): Timing {
  const share = (n: number) => Math.max(1, Math.round(n / blocks));
  return {
    ...t,
    duration: t.duration / blocks,
    warmup: b === 0 ? t.warmup : Math.min(t.warmup, 1),
    putRounds: Math.max(2, share(t.putRounds)),
    putBudget: t.putBudget / blocks,
    patchRounds: share(t.patchRounds),
    deactivateRounds: share(t.deactivateRounds),
  };
}

/** Several measures of one scenario as one (scenarios.ts mergeMeasures), key by key for a scenario made of several. */
function mergeParts(parts: unknown[]): unknown {
  if (parts.length === 1) return parts[0];
  if (isMeasure(parts[0])) return mergeMeasures(parts as Measure[]);
  const first = parts[0] as Record<string, unknown>;
  return Object.fromEntries(Object.keys(first).map((key) => [key, mergeParts(parts.map((p) => (p as Record<string, unknown>)[key]))]));
}

/** A step's failure, with the output of the server that failed it. */
const stepFailed = (r: Running, step: Step, err: unknown) => new Error(`${r.tag} ${step.what} failed: ${(err as Error).message}\n--- ${r.kind} output ---\n${r.server.output()}`, { cause: err });

/**
 * Roster's reads by a unique key that shared a statement (read-batches.ts) between two readings of
 * its counters, warm-up included: kept in the result's extras and shown in its log line.
 */
function noteSharedReads(r: Running, step: Step, result: unknown, shared: number | undefined, took = ''): void {
  if (shared !== undefined && isMeasure(result)) result.extra = { ...result.extra, 'reads per statement': shared };
  log(`${r.tag} ${step.what}: ${step.show(result as never)}${shared !== undefined ? `, ${shared.toFixed(1)} reads per statement` : ''}${took}`);
}

/** Runs one step on one server, with its log line, profile mark and (Roster) reads per statement. */
async function runStep(r: Running, step: Step, db: Db, t: Timing): Promise<unknown> {
  const started = Date.now();
  const mark = r.profileDir ? markScenario(r.kind === 'floor' ? floorSpansOf(db) : db, step.what) : undefined; // bench/profile-layers.ts: this scenario's part of the profile
  try {
    const batches = r.kind === 'roster' ? await readBatchCounts(r.target.base) : undefined;
    const result = await step.run(r.target, t);
    mark?.(result);
    noteSharedReads(r, step, result, batches && readsPerStatement(batches, await readBatchCounts(r.target.base)), ` (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    return result;
  } catch (err) {
    throw stepFailed(r, step, err);
  }
}

/**
 * Roster and the floor, each on its own identical copy of the seeded database, both running. Each
 * scenario is measured in `blocks` blocks that alternate between them in the order R F F R R F F R
 * (the walk: one pass on each, Roster first), so both see the same machine: a neighbour's load or a
 * slow minute falls on both sides, not on whichever phase happened to run then.
 */
async function sideBySide(db: Db, rosterEnv: Record<string, string>, floorEnv: Record<string, string>, d: Seeded, o: Options, blocks: number): Promise<{ roster: PhaseResult; floor: PhaseResult }> {
  const out = { roster: {} as PhaseResult, floor: {} as PhaseResult };
  const servers: Running[] = [];
  try {
    servers.push(await startOne('roster', db, rosterEnv), await startOne('floor', db, floorEnv));
    const [roster, floor] = servers;
    if (o.timing.processWarmup > 0) {
      for (const r of servers) await warmUp(r.target, d, o.timing);
      log(`[${db}] both servers warmed up with ${o.timing.processWarmup} s of lookups each`);
    }
    for (const step of stepsOf(d, o)) {
      const parts = new Map<Running, unknown[]>(servers.map((r) => [r, []]));
      const batches = await readBatchCounts(roster.target.base);
      const started = Date.now();
      for (let b = 0; b < (step.split ? blocks : 1); b++) {
        const t = step.split ? blockTiming(o.timing, b, blocks) : o.timing;
        for (const r of b % 2 === 0 ? [roster, floor] : [floor, roster]) {
          parts.get(r)!.push(await step.run(r.target, t).catch((err: unknown) => Promise.reject(stepFailed(r, step, err))));
        }
      }
      const shared = batches && readsPerStatement(batches, await readBatchCounts(roster.target.base));
      for (const r of servers) {
        const result = mergeParts(parts.get(r)!);
        (out[r.kind] as Record<string, unknown>)[step.key] = result;
        noteSharedReads(r, step, result, r === roster ? shared : undefined);
      }
      log(`[${db}] ${step.what}: ${step.split ? `${blocks} blocks each, alternating` : 'one pass each'} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
    }
    out.roster.probes = roster.target.probes;
    out.floor.probes = floor.target.probes;
  } finally {
    for (const r of servers) await stopOne(r, out[r.kind]);
  }
  return out;
}

/** Starts one server, runs the selected scenarios on it, stops it (--profile: each server profiled alone). */
async function phase(kind: 'roster' | 'floor', db: Db, dbEnv: Record<string, string>, d: Seeded, o: Options, profileDir?: string): Promise<PhaseResult> {
  const out: PhaseResult = {};
  const r = await startOne(kind, db, dbEnv, profileDir);
  try {
    if (o.timing.processWarmup > 0) {
      await warmUp(r.target, d, o.timing);
      log(`${r.tag} warmed up with ${o.timing.processWarmup} s of lookups`);
    }
    for (const step of stepsOf(d, o)) {
      (out as Record<string, unknown>)[step.key] = await runStep(r, step, db, o.timing);
    }
    out.probes = r.target.probes;
  } finally {
    await stopOne(r, out);
  }
  return out;
}

/** Roster's counters of reads that went through a shared statement, from /metrics (open in the bench). */
async function readBatchCounts(base: string): Promise<{ reads: number; statements: number } | undefined> {
  const text = await fetch(`${base}/metrics`)
    .then((r) => (r.ok ? r.text() : ''))
    .catch(() => '');
  const value = (name: string) => Number(new RegExp(`^${name} (\\d+)`, 'm').exec(text)?.[1] ?? NaN);
  const counts = { reads: value('roster_read_batch_reads_total'), statements: value('roster_read_batch_statements_total') };
  return Number.isNaN(counts.reads) || Number.isNaN(counts.statements) ? undefined : counts;
}

/** Reads per statement between two readings; undefined when none went through a batch. */
function readsPerStatement(before?: { reads: number; statements: number }, after?: { reads: number; statements: number }): number | undefined {
  if (!before || !after || after.statements === before.statements) return undefined;
  return (after.reads - before.reads) / (after.statements - before.statements);
}

const isMeasure = (r: unknown): r is Measure => typeof r === 'object' && r !== null && 'rps' in r && 'p50' in r;

/** Answers by status, shortest first: "lookup 200: 1234, PUT /Users 200: 345". */
const statusText = (st?: Record<string, number>) =>
  st
    ? Object.entries(st)
        .sort((x, y) => y[1] - x[1])
        .map(([key, n]) => `${key}: ${n}`)
        .join(', ')
    : '';

/** Rows of the table for one database; `key` names the scenario for the target checks. */
function rowsOf(db: Db, d: Seeded, c: number, roster: PhaseResult, floor: PhaseResult): Row[] {
  const s = d.sizes;
  const rows: Row[] = [];
  const add = (key: string, scenario: string, r?: Measure, fl?: Measure, note?: string) => {
    if (r) rows.push({ key, scenario, db, roster: r, floor: fl, ratio: ratioOf(r, fl), cpuRatio: cpuRatioOf(r, fl), note });
  };
  add('lookup', `lookup userName eq (${k(s.users)} users, ${c} in flight)`, roster.lookup, floor.lookup);
  add('lookup1', 'lookup userName eq, one request at a time', roster.lookupAlone, floor.lookupAlone);
  add('graphql', `GraphQL lookup over HTTP, with variables (${c} in flight)`, roster.graphql, floor.graphql);
  add('get', `GET /Users/{id} (${c} in flight)`, roster.get, floor.get);
  const page = (w?: Walk): Measure | undefined =>
    w && { rps: w.pages / w.totalSeconds, p50: w.pageP50, p99: w.pageP99, requests: w.pages, failures: 0, cpuMs: w.cpuMs, extra: { totalSeconds: w.totalSeconds } };
  // one figure (the median of a few repeats): shown as p50, with req/s = 1000 / ms
  const at = (ms: number): Measure => ({ rps: 1000 / ms, p50: ms, p99: NaN, requests: 1, failures: 0 });
  if (roster.walk) {
    add(
      'walk',
      `import walk, ${roster.walk.pages} pages of 100 (total ${roster.walk.totalSeconds.toFixed(1)} s vs ${floor.walk?.totalSeconds.toFixed(1) ?? '–'} s)`,
      page(roster.walk),
      page(floor.walk),
    );
    add('walk-first', 'import walk: first page (median)', at(roster.walk.firstPage), floor.walk && at(floor.walk.firstPage));
    add('walk-last', `import walk: last page, startIndex ${1 + 100 * (roster.walk.pages - 1)} (median)`, at(roster.walk.lastPage), floor.walk && at(floor.walk.lastPage));
  }
  add('put', `PUT /Groups, ${k(s.putGroup)} members, one changed (sequential)`, roster.put, floor.put);
  if (roster.patch) {
    add('patch-add-big', `PATCH add member, group of ${k(s.bigGroup)} (sequential)`, roster.patch.big, floor.patch?.big);
    add('patch-add-small', `PATCH add member, group of ${k(s.smallGroup)} (sequential)`, roster.patch.small, floor.patch?.small);
    add('patch-remove-big', `PATCH remove member, group of ${k(s.bigGroup)} (sequential)`, roster.patch.bigRemove, floor.patch?.bigRemove);
    add('patch-remove-small', `PATCH remove member, group of ${k(s.smallGroup)} (sequential)`, roster.patch.smallRemove, floor.patch?.smallRemove);
  }
  add('putuser', `PUT /Users, Okta profile push, one attribute changed (${c} in flight)`, roster.putUser, floor.putUser);
  if (roster.deactivate) {
    add('deactivate', 'deactivate: PATCH active false (sequential)', roster.deactivate.deactivate, floor.deactivate?.deactivate);
    add('reactivate', 'reactivate: PATCH active true (sequential)', roster.deactivate.reactivate, floor.deactivate?.reactivate);
  }
  add('mixed', `mixed push: 70 % lookup, 20 % PUT /Users, 10 % group PATCH (${c} in flight)`, roster.mixed, floor.mixed);
  add('create', `create POST /Users (${c} in flight)`, roster.create, floor.create);
  add('create-password', `create POST /Users with Okta's password (scrypt on both; ${c} in flight)`, roster.createWithPassword, floor.createWithPassword);
  return rows;
}

/**
 * Seeds through Roster's own openDatabase (so Roster's migrations made the tables), one statement per
 * table, sent by the persistence layer's one raw-SQL runner (runSql: `$n` parameters, outside any
 * transaction, so `vacuum` may run) on a fresh unit of work.
 */
async function seed(target: { dataDir: string } | { url: string }, d: Seeded, migrate: boolean): Promise<number> {
  const started = Date.now();
  const db = await openDatabase(target, { migrate });
  try {
    const em = db.orm.em.fork() as SqlEntityManager;
    for (const sql of seedStatements(d)) await runSql(em, frag(sql));
    await runSql(em, frag('vacuum analyze'));
  } finally {
    await db.close();
  }
  return (Date.now() - started) / 1000;
}

/** Runs Roster's migrations on Postgres: with the CLI when it exists, else through openDatabase. */
async function migratePostgres(url: string): Promise<string> {
  if (existsSync(ROSTER_CLI)) {
    const r = spawnSync(process.execPath, [ROSTER_CLI, 'migrate'], { env: { ...process.env, DATABASE_URL: url, LOG_LEVEL: 'warn' }, encoding: 'utf8', timeout: 120_000 });
    if (r.status === 0) return 'node dist/src/cli/main.js migrate';
    log(`the migrate CLI failed (${r.status}): ${(r.stderr || r.stdout).slice(0, 300)}; migrating through openDatabase instead`);
  }
  const db = await openDatabase({ url }, { migrate: true });
  await db.close();
  return 'openDatabase({ url }, { migrate: true })';
}

async function runDb(db: Db, o: Options, stamp: string, facts: Record<string, unknown>): Promise<DbResult> {
  const d = seededDirectory(o.sizes);
  let dbEnv: Record<string, string>;
  let arrangement: string;
  let seedSeconds: number;
  let dropDb: (() => Promise<void>) | undefined;
  let removeDir: (() => void) | undefined;
  let dropCopy: (() => Promise<void>) | undefined;
  let removeCopy: (() => void) | undefined;
  let floorEnv: Record<string, string> | undefined;
  const blocks = o.quick ? 2 : 4;
  if (db === 'embedded') {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'roster-bench-'));
    removeDir = cleanup.dir(dir);
    log(`[embedded] seeding ${o.sizes.users} users in ${dir}`);
    seedSeconds = await seed({ dataDir: dir }, d, true);
    dbEnv = { DATA_DIR: dir, DATABASE_URL: '' };
    if (o.sequential) arrangement = 'PGlite allows one process per data folder: the floor ran first on the folder, then Roster on the same folder (--sequential or --profile)';
    else {
      // PGlite allows one process per folder: the floor gets an exact copy of the seeded one
      const copy = mkdtempSync(path.join(os.tmpdir(), 'roster-bench-floor-'));
      removeCopy = cleanup.dir(copy);
      cpSync(dir, copy, { recursive: true });
      floorEnv = { DATA_DIR: copy, DATABASE_URL: '' };
      arrangement = `side by side: Roster on the seeded data folder, the floor on a copy of it, both running; each scenario in ${blocks} blocks alternating R F F R…`;
    }
  } else {
    const name = `roster_bench_${process.pid}`;
    const admin = new PgClient({ connectionString: o.pgUrl });
    await admin.connect();
    try {
      facts.postgres = (await admin.query<{ v: string }>('select version() as v')).rows[0].v;
      await admin.query(`drop database if exists ${name} with (force)`);
      await admin.query(`create database ${name}`);
    } finally {
      await admin.end();
    }
    dropDb = cleanup.task(`drop database ${name}`, async () => {
      const c = new PgClient({ connectionString: o.pgUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    });
    const u = new URL(o.pgUrl);
    u.pathname = `/${name}`;
    const url = u.toString();
    const how = await migratePostgres(url);
    log(`[postgres] migrated ${name} with ${how}; seeding ${o.sizes.users} users`);
    seedSeconds = await seed({ url }, d, false);
    dbEnv = { DATABASE_URL: url };
    if (o.sequential) arrangement = `one Postgres database (${name}); the floor (pg Pool of 10, Roster's pool size) ran first, then Roster (--sequential or --profile)`;
    else {
      // the floor's own copy (CREATE DATABASE … TEMPLATE copies the files): each side's writes stay its own
      const copy = await createPgDatabase(o, `${name}_floor`, name);
      dropCopy = copy.drop;
      floorEnv = { DATABASE_URL: copy.url };
      arrangement = `side by side: Roster on ${name}, the floor (pg Pool of 10, Roster's pool size) on ${name}_floor, a copy made after seeding, both running; each scenario in ${blocks} blocks alternating R F F R…`;
    }
  }
  log(`[${db}] seeded in ${seedSeconds.toFixed(1)} s`);
  try {
    // --profile profiles both servers: the floor's layers beside Roster's show which layer holds the difference
    const profileDir = (kind: string) => (o.profile ? path.join(RESULTS, `profiles-${stamp}`, db, kind) : undefined);
    for (const kind of ['floor', 'roster']) if (profileDir(kind)) mkdirSync(profileDir(kind)!, { recursive: true });
    let floor: PhaseResult;
    let roster: PhaseResult;
    if (floorEnv) ({ roster, floor } = await sideBySide(db, dbEnv, floorEnv, d, o, blocks));
    else {
      floor = await phase('floor', db, dbEnv, d, o, profileDir('floor'));
      roster = await phase('roster', db, dbEnv, d, o, profileDir('roster'));
    }
    const rows = rowsOf(db, d, o.timing.connections, roster, floor);
    const twoProcess = db === 'postgres' && o.only.has('twoproc') ? await twoProcessStudy(ROSTER_MAIN, dbEnv, d, o.timing, log) : undefined;
    const shapes = compareShapes(roster.probes ?? [], floor.probes ?? []);
    for (const x of shapes.filter((y) => !y.same)) log(`[${db}] the floor's answer differs from Roster's: ${x.request}: ${x.differences.join('; ')}`);
    return {
      db,
      arrangement,
      seedSeconds,
      rows,
      walks: { roster: roster.walk, floor: floor.walk },
      shutdown: { roster: roster.stopSeconds, floor: floor.stopSeconds },
      checks: designChecks(db, rows, roster.walk),
      issueChecks: issueChecks(db, rows, shapes),
      shapes,
      mixedStatuses: { roster: roster.mixed?.statuses, floor: floor.mixed?.statuses },
      profiles: roster.profiles,
      floorProfiles: floor.profiles,
      twoProcess,
    };
  } finally {
    await dropCopy?.();
    await dropDb?.();
    removeCopy?.();
    removeDir?.();
  }
}

/** A fresh Postgres database for the bench, dropped by the returned function (and on exit). */
async function createPgDatabase(o: Options, name: string, template?: string): Promise<{ url: string; drop: () => Promise<void>; version: string }> {
  const admin = new PgClient({ connectionString: o.pgUrl });
  await admin.connect();
  let version: string;
  try {
    version = (await admin.query<{ v: string }>('select version() as v')).rows[0].v;
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.query(`create database ${name}${template ? ` template ${template}` : ''}`);
  } finally {
    await admin.end();
  }
  const drop = cleanup.task(`drop database ${name}`, async () => {
    const c = new PgClient({ connectionString: o.pgUrl });
    await c.connect();
    await c.query(`drop database if exists ${name} with (force)`);
    await c.end();
  });
  const u = new URL(o.pgUrl);
  u.pathname = `/${name}`;
  return { url: u.toString(), drop, version };
}

/** Runs set-based SQL on a Postgres database (the scale study's growth), then vacuum analyze. */
async function runStatements(url: string, statements: string[]): Promise<number> {
  const started = Date.now();
  const c = new PgClient({ connectionString: url });
  await c.connect();
  try {
    for (const sql of statements) await c.query(sql);
    await c.query('vacuum analyze');
  } finally {
    await c.end();
  }
  return (Date.now() - started) / 1000;
}

/** Roster alone on a Postgres database: lookup, last import page, one membership change, and (when `walk`) the whole import walk. */
async function scalePhase(url: string, d: Seeded, o: Options, walk: boolean): Promise<ScaleResult['at'][number]> {
  const port = await freePort();
  const adminToken = `rk_bench_${secret()}`;
  const scimToken = `rs_bench_${secret()}`;
  const env = {
    DATABASE_URL: url,
    HOST: '127.0.0.1',
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    RATE_LIMIT_PER_MINUTE: '0',
    ROSTER_BOOTSTRAP_ADMIN_TOKEN: adminToken,
    ROSTER_BOOTSTRAP_SCIM_TOKEN: scimToken,
    ROSTER_BOOTSTRAP_IDP: 'okta',
  };
  const spawned = Date.now();
  const server = startServer('roster', ROSTER_MAIN, port, env);
  const tag = `[scale ${k(d.sizes.users)}] roster`;
  try {
    // polled often: the anchors read at start are part of this time, and at 1M take tens of ms
    await waitUntilUp(`${server.base}/readyz`, server.alive, 120_000, 5);
    const readyMs = Date.now() - spawned;
    log(`${tag} ready ${readyMs} ms after spawn`);
    const target: Target = {
      kind: 'roster',
      base: server.base,
      pid: server.pid,
      database: new URL(url).pathname.slice(1),
      scim: { authorization: `Bearer ${scimToken}` },
      graphql: { authorization: `Bearer ${adminToken}` },
    };
    // The process's first request once ready: /readyz waited for the anchors it reads at start.
    const firstMs = await firstLastPage(target, d);
    log(`${tag} last page as the first request: ${firstMs.toFixed(1)} ms`);
    const t = o.timing;
    if (t.processWarmup > 0) await warmUp(target, d, t);
    const lk = await lookup(target, d, t);
    log(`${tag} lookup: ${lk.rps.toFixed(0)} req/s, p50 ${lk.p50.toFixed(1)} ms, CPU ${lk.cpuMs?.toFixed(2)} ms/req`);
    const last = await lastPage(target, d, o.quick ? 10 : 30);
    last.extra = { ...last.extra, firstMs };
    log(`${tag} last page: p50 ${last.p50.toFixed(1)} ms, CPU ${last.cpuMs?.toFixed(2)} ms/req; out of the blue ${last.extra.coldMs.toFixed(1)} ms; jumps p50 ${last.extra.jumpP50.toFixed(1)} ms`);
    const patch = await patchMembers(target, d, t);
    log(`${tag} PATCH add member, group of ${k(d.groups.big.members)}: p50 ${patch.big.p50.toFixed(1)} ms; remove ${patch.bigRemove.p50.toFixed(1)} ms`);
    let w: Walk | undefined;
    if (walk) {
      w = await importWalk(target, d, t);
      log(
        `${tag} import walk: ${w.pages} pages in ${w.totalSeconds.toFixed(1)} s, RSS start ${(w.rss.start / 2 ** 20).toFixed(0)} MB, peak ${(w.rss.peak / 2 ** 20).toFixed(0)} MB, end ${(w.rss.end / 2 ** 20).toFixed(0)} MB`,
      );
    }
    return { users: d.sizes.users, lookup: lk, lastPage: last, addMember: patch.big, removeMember: patch.bigRemove, walk: w, readyMs };
  } catch (err) {
    throw new Error(`${tag} failed: ${(err as Error).message}\n--- roster output ---\n${server.output()}`, { cause: err });
  } finally {
    const code = await server.stop(10_000);
    if (code !== 0) log(`${tag} exited with code ${code}`);
  }
}

/**
 * Issue point 3: the same Postgres database seeded with N users (the all-users group has N members),
 * Roster measured, the database grown to 10 × N users (and members) with set-based SQL, Roster
 * measured again (a fresh process each time), then walked page by page for memory. One run, two
 * seeds of the same database; Roster alone (the floor's scaling is not the question).
 */
async function runScale(o: Options): Promise<ScaleResult> {
  const base = o.sizes.users;
  const large = base * 10;
  const sizes: Sizes = { users: base, putGroup: 10, bigGroup: base, smallGroup: 10, spare: 200, mixGroup: 10 };
  const small = seededDirectory(sizes);
  const big = seededDirectory({ ...sizes, users: large, bigGroup: large });
  const db = await createPgDatabase(o, `roster_bench_scale_${process.pid}`);
  try {
    await migratePostgres(db.url);
    log(`[scale] seeding ${k(base)} users`);
    const seedSeconds = await seed({ url: db.url }, small, false);
    log(`[scale] seeded ${k(base)} users in ${seedSeconds.toFixed(1)} s`);
    const atBase = await scalePhase(db.url, small, o, true);
    log(`[scale] growing to ${k(large)} users and a group of ${k(large)} members`);
    const growSeconds = await runStatements(db.url, growStatements(small, large));
    log(`[scale] grown in ${growSeconds.toFixed(1)} s`);
    const atLarge = await scalePhase(db.url, big, o, true);
    return { seedSeconds, growSeconds, postgres: db.version, at: [atBase, atLarge], checks: [] };
  } finally {
    await db.drop();
  }
}

/** Which code was measured: the commit, and the files changed since (others edit the tree concurrently). */
function codeState(): Record<string, unknown> {
  const git = (...args: string[]) => spawnSync('git', args, { cwd: ROOT, encoding: 'utf8' }).stdout?.trim() ?? '';
  const dirty = git('status', '--porcelain', '--', 'src', 'migrations').split('\n').filter(Boolean);
  return { commit: git('rev-parse', '--short', 'HEAD') || 'unknown (no git)', uncommittedSrc: dirty };
}

/** Why the Postgres server cannot be used, or undefined when it answers. */
async function unreachable(url: string): Promise<string | undefined> {
  const c = new PgClient({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await c.connect();
    await c.query('select 1');
    return undefined;
  } catch (err) {
    return (err as Error).message;
  } finally {
    await c.end().catch(() => undefined);
  }
}

function machine(): Record<string, unknown> {
  const cpus = os.cpus();
  let pglite = 'unknown';
  try {
    pglite = (JSON.parse(readFileSync(path.join(ROOT, 'node_modules', '@electric-sql', 'pglite', 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    /* keep unknown */
  }
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    pglite,
    loadAverageAtStart: os.loadavg().map((x) => Math.round(x * 100) / 100),
    loadGenerator: 'autocannon (closed loop) and a keep-alive node:http client (sequential), in the bench process on the same machine',
  };
}

async function main(): Promise<void> {
  const o = parseArgs(process.argv.slice(2));
  if (!existsSync(ROSTER_MAIN)) throw new Error(`${ROSTER_MAIN} is missing: run \`npm run bench\` (it builds first)`);
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const facts = machine();
  const code = codeState();
  const started = Date.now();
  const what = o.only.size === 1 && o.only.has('scale') ? 'scale study (postgres)' : `${o.dbs.join(' + ')}${o.only.has('scale') ? ' + scale study' : ''}`;
  log(`bench ${o.quick ? 'quick' : 'full'}: ${what}, ${o.sizes.users} users, ${facts.cpus} × ${String(facts.cpuModel)}, node ${process.version}`);
  const results: DbResult[] = [];
  const skipped: string[] = [];
  const scaleOnly = o.only.size === 1 && o.only.has('scale');
  for (const db of scaleOnly ? [] : o.dbs) {
    if (db === 'postgres' && o.quick && !o.explicitDbs) {
      const reason = await unreachable(o.pgUrl);
      if (reason) {
        skipped.push(`postgres skipped: ${reason}`);
        log(`WARNING: Postgres at ${o.pgUrl} is unreachable (${reason}): the quick run skips it`);
        continue;
      }
    }
    results.push(await runDb(db, o, stamp, facts));
  }
  let scale: ScaleResult | undefined;
  if (o.only.has('scale')) {
    const reason = await unreachable(o.pgUrl);
    if (reason) {
      if (!o.quick) throw new Error(`the scale study needs Postgres at ${o.pgUrl}: ${reason}`);
      skipped.push(`scale study skipped: ${reason}`);
    } else {
      scale = await runScale(o);
      scale.checks = scaleChecks(scale);
      facts.postgres ??= scale.postgres;
    }
  }
  const seconds = (Date.now() - started) / 1000;

  const warmth = o.timing.processWarmup > 0 ? `each server measured warm (${o.timing.processWarmup} s of lookups after start)` : 'servers measured right after start (quick run: no process warm-up)';
  const summary = [
    '',
    `Roster vs floor (${o.quick ? 'quick' : 'full'} run, ${seconds.toFixed(0)} s): ${facts.cpus} × ${String(facts.cpuModel)}, ${String(facts.memoryGiB)} GiB, ${String(facts.os)}, node ${process.version}, PGlite ${String(facts.pglite)}${facts.postgres ? `, ${String(facts.postgres).split(' on ')[0]}` : ''}`,
    `Code: ${String(code.commit)}${(code.uncommittedSrc as string[]).length ? ` + ${(code.uncommittedSrc as string[]).length} uncommitted files under src/` : ''}; load average at start ${(facts.loadAverageAtStart as number[]).join(' ')}, at end ${os
      .loadavg()
      .map((x) => x.toFixed(2))
      .join(' ')}`,
    'Roster/floor: Roster’s throughput as a fraction of the floor’s (1.00 = as fast; for sequential scenarios, floor latency ÷ Roster latency).',
    'Roster/floor by CPU: floor CPU ms per request ÷ Roster’s (server process, PGlite included, plus its Postgres backends): steadier than throughput when other work shares the machine.',
    'The floor answers each request with one hand-written SQL statement (writes: the change and its audit row in that statement, one transaction) and the same status and body as Roster; it checks no token.',
    `${warmth[0].toUpperCase()}${warmth.slice(1)}, then ${o.timing.warmup} s of warm-up before each closed-loop scenario and ${o.timing.sequentialWarmup} s of unmeasured rounds before each block of a sequential write scenario (PATCH, deactivate)${
      o.sequential
        ? ' (--sequential: the floor ran first, then Roster)'
        : `; both servers running, each on its own copy of the seeded database, every scenario but the walk measured in ${o.quick ? 2 : 4} blocks that alternate between them (R F F R…; a closed-loop block after the first warms up ${Math.min(o.timing.warmup, 1)} s); merged: all requests ÷ all measured time, sequential percentiles exact, closed-loop percentiles the blocks' weighted by requests`
    }.`,
    ...skipped.map((x) => `WARNING: ${x}`),
    ...results.map((r) => `[${r.db}] ${r.arrangement}; seeded in ${r.seedSeconds.toFixed(1)} s; Roster exited ${r.shutdown?.roster?.toFixed(1) ?? '–'} s after SIGTERM`),
    ...results.filter((r) => r.mixedStatuses?.roster).map((r) => `[${r.db}] mixed push answers: Roster ${statusText(r.mixedStatuses!.roster)}; floor ${statusText(r.mixedStatuses!.floor)}`),
    '',
    textTable(results),
    '',
    'Import walk:',
    walkText(results),
    '',
    'The floor’s answers vs Roster’s (status, content type, ETag, Location, JSON shape of the first request of each scenario):',
    shapesText(results),
    '',
    ...(scale ? [scaleText(scale), ''] : []),
    ...results.flatMap((r) => (r.twoProcess ? [twoProcessText(r.twoProcess), ''] : [])),
    ...(results.length ? ['DESIGN.md §7 targets:', checksText(results), ''] : []),
    'Issue “Performance, round two” targets (Roster/floor, same run):',
    checksText(results, false, 'issue', scale),
    '',
  ].join('\n');
  process.stdout.write(summary);

  for (const r of results) {
    for (const p of r.profiles ?? []) process.stdout.write(`\nCPU profile of Roster [${r.db}]:\n${summarize(p, 30)}\n`);
    for (const p of r.profiles ?? []) process.stdout.write(layersReport(p, r.db, o.markdown));
    const [rp, fp] = [r.profiles?.[0], r.floorProfiles?.[0]];
    if (rp && fp) process.stdout.write(comparisonText(r.db, layersComparison(rp, fp, markedSpans(r.db), markedSpans(floorSpansOf(r.db))), o.markdown));
  }

  const md = [
    `Measured ${new Date().toISOString().slice(0, 10)} with \`npm run bench${o.quick ? ' -- --quick' : ''}\` on ${facts.cpus} × ${String(facts.cpuModel)}, ${String(facts.memoryGiB)} GiB RAM, node ${process.version}, PGlite ${String(facts.pglite)}${facts.postgres ? `, ${String(facts.postgres).split(' on ')[0]}` : ''}; load generator on the same machine; ${warmth}. Roster/floor: Roster's throughput as a fraction of the floor's (bare Koa + one hand-written SQL statement per request, on the same database); by CPU: the floor's server CPU per request ÷ Roster's (process, PGlite included, plus its Postgres backends), steadier when other work shares the machine.`,
    '',
    markdownTable(results),
    '',
    'Import walk (`GET /Users?startIndex=…&count=100` through the whole directory, one request at a time) and memory:',
    '',
    walkMarkdown(results),
    '',
    'DESIGN.md §7 targets:',
    '',
    checksText(results, true),
    '',
    ...(scale ? [scaleText(scale, true), ''] : []),
    ...results.flatMap((r) => (r.twoProcess ? ['Two processes on one Postgres:', '', twoProcessText(r.twoProcess, true), ''] : [])),
    'Issue “Performance, round two” targets:',
    '',
    checksText(results, true, 'issue', scale),
    '',
  ].join('\n');
  if (o.markdown) process.stdout.write(`\n${md}`);

  mkdirSync(RESULTS, { recursive: true });
  const file = path.join(RESULTS, `${stamp}${o.quick ? '-quick' : ''}.json`);
  facts.loadAverageAtEnd = os.loadavg().map((x) => Math.round(x * 100) / 100);
  writeFileSync(
    file,
    JSON.stringify({ startedAt: new Date(started).toISOString(), seconds, mode: o.quick ? 'quick' : 'full', skipped, machine: facts, code, sizes: o.sizes, timing: o.timing, results, scale }, null, 1),
  );
  writeFileSync(file.replace(/\.json$/, '.md'), md);
  process.stdout.write(`\nresults: ${path.relative(ROOT, file)} (and .md)\n`);
}

let exiting = false;
const bail = (code: number) => {
  if (exiting) return;
  exiting = true;
  void cleanup.all().finally(() => process.exit(code));
};
process.on('exit', () => cleanup.sync());
process.on('SIGINT', () => bail(130));
process.on('SIGTERM', () => bail(143));

main().then(
  () => bail(0),
  (err: unknown) => {
    process.stderr.write(`bench failed: ${err instanceof Error ? err.message : String(err)}\n`);
    bail(1);
  },
);
