/**
 * Where a request's CPU goes, by layer (parse, auth, GraphQL execution, SQL, mapping,
 * serialisation…), from a V8 .cpuprofile written by `node --cpu-prof` (`npm run bench -- --profile`).
 *
 * Every sample is given to ONE layer: its stack is walked from the leaf (the function on the CPU)
 * up, and the first frame that a layer rule claims decides. So time counts where it is really
 * spent: JSON.parse called by the SCIM body parser is "parse", pg's protocol code is "SQL & driver"
 * whoever called the query, and a GraphQL resolver's own code is "GraphQL execution" only for the
 * part it does not hand to the mappers or the database.
 *
 * Three kinds of rule (RULES below, in order; the first rule that matches a frame classifies it):
 * - own: the frame belongs to that layer; the walk stops.
 * - io: node's sockets and streams. They are the HTTP transport unless the first owned frame above
 *   them is the database driver (pg writes its queries through node:net too).
 * - skip: helpers anyone calls (Buffer, events, native builtins, microtask plumbing): the sample goes
 *   to the nearest caller a rule owns.
 * A stack that no `own` rule claims is "other" (its top frames are listed, to show missing rules).
 *
 * Usage: node dist/bench/profile-layers.js <file.cpuprofile> [--markdown]
 * In `npm run bench -- --profile`, bench/run.ts marks each scenario's measured window (same
 * monotonic clock as the profile's timestamps) and its request count, so each scenario gets its
 * own table with CPU ms per request.
 */
import { readFileSync } from 'node:fs';

export const LAYERS = {
  http: 'HTTP & Koa',
  parse: 'parse',
  auth: 'auth',
  graphql: 'GraphQL execution',
  sql: 'SQL & driver',
  pglite: 'database (PGlite, in process)',
  pgliteJs: "PGlite's JS (protocol, results, FS glue)",
  mapping: 'mapping',
  serialisation: 'serialisation',
  floorHandler: "the floor's handler (its parsing, SQL parameters and answer)",
  startup: 'startup (module loading)',
  gc: 'GC',
  program: '(program): V8 native, unattributed',
  other: 'other',
  idle: 'idle',
} as const;
export type Layer = (typeof LAYERS)[keyof typeof LAYERS];

/** Display order of the tables. */
const ORDER: Layer[] = [
  LAYERS.http,
  LAYERS.parse,
  LAYERS.auth,
  LAYERS.graphql,
  LAYERS.sql,
  LAYERS.pglite,
  LAYERS.pgliteJs,
  LAYERS.mapping,
  LAYERS.serialisation,
  LAYERS.floorHandler,
  LAYERS.startup,
  LAYERS.gc,
  LAYERS.program,
  LAYERS.other,
  LAYERS.idle,
];

/** A stack frame as the rules see it. */
export interface Frame {
  fn: string;
  /** the raw url ('' for native code and builtins, 'node:…' for node's own modules) */
  url: string;
  /** path inside node_modules ('pg-protocol/dist/parser.js'), '' when not in a package */
  pkg: string;
  /** path from Roster's src/ without extension ('src/scim/request'), '' when not in src */
  src: string;
}

interface Rule {
  kind: 'own' | 'io' | 'skip';
  layer?: Layer;
  test: (f: Frame) => boolean;
  /** which code it matches, and why it belongs there */
  why: string;
}

const inPkg = (...names: string[]) => {
  const set = new Set(names);
  return (f: Frame) => {
    if (!f.pkg) return false;
    const parts = f.pkg.split('/');
    return set.has(parts[0]) || set.has(`${parts[0]}/${parts[1]}`) || (parts[0].startsWith('@') && set.has(`${parts[0]}/*`));
  };
};
const inSrc =
  (...prefixes: string[]) =>
  (f: Frame) =>
    !!f.src && prefixes.some((p) => f.src === p || f.src.startsWith(p.endsWith('/') ? p : `${p}/`));
const node =
  (...prefixes: string[]) =>
  (f: Frame) =>
    prefixes.some((p) => f.url === p || f.url.startsWith(p));

/** The rules, in order: the first one that matches a frame classifies it. */
export const RULES: Rule[] = [
  // V8's pseudo-frames (children of the root, never above other code)
  { kind: 'own', layer: LAYERS.idle, test: (f) => !f.url && f.fn === '(idle)', why: 'V8: the thread waited for I/O' },
  { kind: 'own', layer: LAYERS.gc, test: (f) => !f.url && f.fn === '(garbage collector)', why: 'V8: garbage collection' },
  { kind: 'own', layer: LAYERS.program, test: (f) => !f.url && f.fn === '(program)', why: 'V8: native code (compiler, runtime, embedder) with no JS frame' },

  // PGlite (embedded database), on the main thread: Postgres compiled to WebAssembly (the engine), and
  // its JS: a copy of pg-protocol, result and type parsing (chunk-*.js), Emscripten's runtime and
  // emulated file system (index.js). pglite-v03 / pglite-tools-v02: older versions, for upgrading data folders.
  { kind: 'own', layer: LAYERS.pglite, test: (f) => f.url.startsWith('wasm://') || f.fn.startsWith('wasm-function'), why: 'the Postgres engine (WASM)' },
  { kind: 'own', layer: LAYERS.pgliteJs, test: inPkg('@electric-sql/pglite', 'pglite-v03', 'pglite-tools-v02'), why: "PGlite's JS glue around the engine" },

  // serialisation: Koa's respond() runs JSON.stringify(ctx.body) inline (V8 books the builtin to its caller);
  // the SCIM facade's send()/jsonBody() (src/scim/http) write the response; Apollo stringifies its own answers
  { kind: 'own', layer: LAYERS.serialisation, test: (f) => f.pkg === 'koa/lib/application.js' && f.fn === 'respond', why: "Koa's respond(): JSON.stringify of ctx.body" },
  { kind: 'own', layer: LAYERS.serialisation, test: (f) => inPkg('@apollo/server')(f) && f.fn === 'prettyJSONStringify', why: "Apollo's JSON.stringify of a GraphQL answer" },
  { kind: 'own', layer: LAYERS.serialisation, test: inSrc('src/scim/http'), why: 'the SCIM response writer (send, ETag)' },
  { kind: 'own', layer: LAYERS.serialisation, test: (f) => !f.url && f.fn === 'stringify', why: 'JSON.stringify, when V8 shows it as a frame' },

  // parse: the SCIM request (body parser and its JSON.parse, query string, filter lexer/parser,
  // list parameters) and GraphQL documents (graphql-js language parser)
  { kind: 'own', layer: LAYERS.parse, test: inSrc('src/scim/request'), why: 'SCIM body parser (UTF-8 check, JSON.parse with reviver, size limit) and query check' },
  { kind: 'own', layer: LAYERS.mapping, test: inSrc('src/scim/filter/evaluate'), why: 'in-memory filter matching (PATCH value paths): not parsing' },
  { kind: 'own', layer: LAYERS.parse, test: inSrc('src/scim/filter', 'src/domain/filter'), why: 'SCIM filter lexer, parser, AST → filter tree' },
  { kind: 'own', layer: LAYERS.parse, test: inSrc('src/scim/resources/list-params'), why: 'SCIM list parameters (filter, startIndex, count, attributes, sortBy)' },
  {
    kind: 'own',
    layer: LAYERS.parse,
    test: (f) => /^graphql\/language\/(parser|lexer|source|blockString|characterClasses|tokenKind)\.m?js$/.test(f.pkg),
    why: 'graphql-js parser and lexer (a GraphQL request document)',
  },

  // auth: bearer token → credential (cache, hash, store), role checks, rate limiting
  { kind: 'own', layer: LAYERS.auth, test: inSrc('src/auth', 'src/domain/credentials', 'src/persistence/credentials'), why: 'authentication, credential lookup and cache, role checks' },
  { kind: 'own', layer: LAYERS.auth, test: inSrc('src/http/rate-limit'), why: 'rate limiter middleware' },
  { kind: 'own', layer: LAYERS.auth, test: inPkg('rate-limiter-flexible', 'koa-ratelimit'), why: 'rate limiter libraries' },

  // mapping: GraphQL views, SCIM resources ↔ GraphQL shapes, SCIM schema (validation, projection), PATCH, domain services
  { kind: 'own', layer: LAYERS.mapping, test: inSrc('src/graphql/mappers'), why: 'domain records → GraphQL profile views' },
  {
    kind: 'own',
    layer: LAYERS.mapping,
    test: inSrc('src/scim/resources', 'src/scim/schema', 'src/scim/patch', 'src/scim/discovery', 'src/domain'),
    why: 'SCIM route handlers and mappers, schema validation/projection, PATCH, domain services and records',
  },

  // GraphQL execution: graphql-js (execution, validation, types), graphql-jit, type-graphql, Apollo,
  // complexity, DataLoader, Roster's schema/resolvers/context, and the SCIM facade's GraphQL gateway
  {
    kind: 'own',
    layer: LAYERS.graphql,
    test: inPkg('graphql', 'graphql-jit', 'type-graphql', '@apollo/*', 'graphql-query-complexity', 'graphql-scalars', 'dataloader', 'generate-function', 'lodash.memoize', 'lodash.merge'),
    why: 'GraphQL libraries',
  },
  { kind: 'own', layer: LAYERS.graphql, test: inSrc('src/graphql', 'src/scim/gateway', 'src/scim/operations'), why: "Roster's resolvers, context/loaders, Apollo glue, the SCIM → GraphQL gateway" },

  // SQL & driver: ORM, query builder, pg client and its parsers, Roster's persistence layer
  {
    kind: 'own',
    layer: LAYERS.sql,
    test: inPkg(
      '@mikro-orm/*',
      'kysely',
      'pg',
      'pg-pool',
      'pg-protocol',
      'pg-types',
      'pg-int8',
      'pg-cursor',
      'pgpass',
      'pg-connection-string',
      'postgres-array',
      'postgres-bytea',
      'postgres-date',
      'postgres-interval',
    ),
    why: 'MikroORM, Kysely, node-postgres and its type parsers',
  },
  { kind: 'own', layer: LAYERS.sql, test: inSrc('src/persistence'), why: "Roster's stores, SQL fragments, row mapping, PGlite/pg setup" },

  // HTTP & Koa: the transport and the middleware around every request
  {
    kind: 'own',
    layer: LAYERS.http,
    test: inPkg(
      'koa',
      '@koa/*',
      'koa-compose',
      'raw-body',
      'parseurl',
      'co-body',
      'delegates',
      'http-errors',
      'on-finished',
      'ee-first',
      'statuses',
      'type-is',
      'content-type',
      'mime-types',
      'mime-db',
      'media-typer',
      'vary',
      'accepts',
      'negotiator',
      'fresh',
      'cookies',
      'keygrip',
      'depd',
      'encodeurl',
      'escape-html',
      'destroy',
      'unpipe',
      'bytes',
      'iconv-lite',
      'path-to-regexp',
      'only',
      'http-assert',
      'content-disposition',
      'cache-content-type',
      'prom-client',
      'pino',
      'sonic-boom',
      'thread-stream',
      '@pinojs/*',
      'fast-redact',
    ),
    why: 'Koa, its router and helpers, body reading, the metrics histogram and the logger',
  },
  {
    kind: 'own',
    layer: LAYERS.http,
    test: inSrc('src/app', 'src/main', 'src/http', 'src/scim/router', 'src/scim/errors'),
    why: "Roster's middleware chain, request id, access/request log, metrics, SCIM router and error boundary",
  },
  // the floor (bench/floor.ts) is one function per request: its own code is one layer, the Koa, pg
  // and node code it calls fall to the rules above like Roster's
  { kind: 'own', layer: LAYERS.floorHandler, test: (f) => /\/bench\/floor\.[jt]s$/.test(f.url), why: 'the floor: bench/floor.ts' },
  { kind: 'own', layer: LAYERS.startup, test: node('node:internal/modules/', 'node:internal/bootstrap/', 'node:internal/main/'), why: 'module loading (before the first request)' },
  {
    kind: 'io',
    layer: LAYERS.http,
    test: node('node:http', 'node:_http_', 'node:net', 'node:stream', 'node:internal/streams/', 'node:internal/stream_base_commons', 'node:internal/http', 'node:internal/js_stream_socket'),
    why: "sockets and streams: HTTP unless pg's socket",
  },

  // helpers: the sample goes to the nearest owned caller
  { kind: 'skip', test: (f) => !f.url, why: 'native functions and builtins (JSON.parse, writev, runMicrotasks), code from new Function (graphql-jit)' },
  { kind: 'skip', test: (f) => f.url.startsWith('node:'), why: "node's other modules: buffer, events, crypto, timers, url, util, task queues" },
  { kind: 'skip', test: inPkg('reflect-metadata', 'tslib', '@opentelemetry/*', 'debug'), why: 'decorator metadata, tracing hooks and debug logging used by the layers above' },
];

/** The rule-facing view of a profile node's call frame. */
export function frameOf(callFrame: { functionName: string; url: string }): Frame {
  const url = callFrame.url ?? '';
  const p = url.replace(/^file:\/\//, '');
  const nm = p.lastIndexOf('node_modules/');
  const pkg = nm >= 0 ? p.slice(nm + 'node_modules/'.length) : '';
  let src = '';
  if (!pkg && !url.startsWith('node:')) {
    const m = /(?:^|\/)(src\/.*)\.[cm]?[jt]s$/.exec(p);
    if (m) src = m[1];
  }
  return { fn: callFrame.functionName ?? '', url, pkg, src };
}

/** The layer of a stack, leaf first. */
export function layerOfStack(stack: Frame[]): Layer {
  let io: Layer | undefined;
  for (const f of stack) {
    const rule = RULES.find((r) => r.test(f));
    if (!rule || rule.kind === 'skip') {
      // an unknown package or file is "other" as soon as it is on the CPU (a missing rule shows)
      if (!rule && f.url && !f.url.startsWith('node:')) return LAYERS.other;
      continue;
    }
    if (rule.kind === 'io') {
      io ??= rule.layer;
      continue;
    }
    if (io && rule.layer !== LAYERS.sql && rule.layer !== LAYERS.pglite && rule.layer !== LAYERS.pgliteJs) return io;
    return rule.layer!;
  }
  return io ?? LAYERS.other;
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber?: number };
  children?: number[];
}
/** A V8 CPU profile (the .cpuprofile JSON). Times in microseconds on the monotonic clock. */
export interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface LayerRow {
  layer: string;
  ms: number;
  /** share of the CPU time (every layer except idle); idle: share of the window */
  pct: number;
  perRequestMs?: number;
}

/** Part of a profile: a time window (µs, the profile's monotonic clock) and the requests served in it. */
export interface LayerOptions {
  window?: { startUs: number; endUs: number };
  requests?: number;
  /** receives the leaf frames of samples that fell to "other" (to find missing rules) */
  onOther?: (leaf: string, ms: number) => void;
}

const readProfile = (file: string | CpuProfile): CpuProfile => (typeof file === 'string' ? (JSON.parse(readFileSync(file, 'utf8')) as CpuProfile) : file);

/** CPU time by layer, in ORDER, layers with no time left out. */
export function profileLayers(file: string | CpuProfile, opts: LayerOptions = {}): LayerRow[] {
  const p = readProfile(file);
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const layerOfNode = new Map<number, Layer>();
  const layerOf = (id: number): Layer => {
    let l = layerOfNode.get(id);
    if (l === undefined) {
      const stack: Frame[] = [];
      for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) stack.push(frameOf(byId.get(cur)!.callFrame));
      l = layerOfStack(stack);
      layerOfNode.set(id, l);
    }
    return l;
  };
  const ms = new Map<Layer, number>();
  let t = p.startTime;
  for (let i = 0; i < p.samples.length; i++) {
    const dt = p.timeDeltas[i] ?? 0;
    t += dt;
    if (opts.window && (t < opts.window.startUs || t >= opts.window.endUs)) continue;
    const id = p.samples[i];
    const l = layerOf(id);
    ms.set(l, (ms.get(l) ?? 0) + dt / 1000);
    if (l === LAYERS.other && opts.onOther) {
      const cf = byId.get(id)!.callFrame;
      opts.onOther(`${cf.functionName || '(anonymous)'} ${frameOf(cf).pkg || frameOf(cf).src || cf.url}`, dt / 1000);
    }
  }
  const idle = ms.get(LAYERS.idle) ?? 0;
  let all = 0;
  for (const v of ms.values()) all += v;
  const busy = all - idle;
  return ORDER.filter((l) => (ms.get(l) ?? 0) > 0).map((layer) => {
    const v = ms.get(layer)!;
    const row: LayerRow = { layer, ms: v, pct: layer === LAYERS.idle ? (100 * v) / all : busy > 0 ? (100 * v) / busy : 0 };
    if (opts.requests && layer !== LAYERS.idle) row.perRequestMs = v / opts.requests;
    return row;
  });
}

/** One scenario's stretch of a profiled run. */
export interface ScenarioSpan {
  db: string;
  scenario: string;
  startUs: number;
  endUs: number;
  requests?: number;
}

const spans: ScenarioSpan[] = [];
const nowUs = () => Number(process.hrtime.bigint() / 1000n);

/**
 * Call when a scenario starts (the profiled server's clock is the same: CLOCK_MONOTONIC); call the
 * returned function with its result. A closed-loop result (`requests`, `rps`) narrows the window to
 * its measured part, the last `requests / rps` seconds (the warm-up and probe before it are left out).
 */
export function markScenario(db: string, scenario: string): (result: unknown) => void {
  const startUs = nowUs();
  return (result) => {
    const endUs = nowUs();
    const r = (result ?? {}) as { requests?: unknown; rps?: unknown; pages?: unknown; totalSeconds?: unknown };
    if (typeof r.requests === 'number' && typeof r.rps === 'number' && r.rps > 0 && r.requests > 1) {
      spans.push({ db, scenario, startUs: Math.max(startUs, endUs - (r.requests / r.rps) * 1e6), endUs, requests: r.requests });
    } else if (typeof r.pages === 'number' && typeof r.totalSeconds === 'number') {
      // the import walk: pages then a few repeats of the first and last; the whole stretch, per page walked
      spans.push({ db, scenario, startUs, endUs, requests: r.pages });
    } else if (measuresIn(result) > 0) {
      // sequential scenarios made of several measures (PATCH add and remove, deactivate and reactivate): the whole stretch
      spans.push({ db, scenario, startUs, endUs, requests: measuresIn(result) });
    } else spans.push({ db, scenario, startUs, endUs });
  };
}

/** Requests counted by the measures a result is made of (0: it is not made of measures). */
function measuresIn(result: unknown): number {
  if (typeof result !== 'object' || result === null) return 0;
  let n = 0;
  for (const v of Object.values(result)) if (typeof v === 'object' && v !== null && typeof (v as { requests?: unknown }).requests === 'number') n += (v as { requests: number }).requests;
  return n;
}

/** The scenarios marked for one database (tests and callers that keep their own). */
export const markedSpans = (db: string): ScenarioSpan[] => spans.filter((s) => s.db === db);

const f1 = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
const f3 = (x?: number) => (x === undefined ? '–' : x >= 10 ? x.toFixed(1) : x.toFixed(3));

/** A text table of one breakdown. */
export function layersText(title: string, rows: LayerRow[]): string {
  const lines = [title, '  layer                                  ms    % CPU   ms/request'];
  for (const r of rows) lines.push(`  ${r.layer.padEnd(34)} ${f1(r.ms).padStart(7)}  ${r.pct.toFixed(1).padStart(6)}%  ${f3(r.perRequestMs).padStart(10)}`);
  return lines.join('\n');
}

/** A markdown table of one breakdown. */
export function layersMarkdown(title: string, rows: LayerRow[]): string {
  const lines = [`**${title}**`, '', '| layer | CPU ms | % of CPU | CPU ms per request |', '| --- | ---: | ---: | ---: |'];
  for (const r of rows) lines.push(`| ${r.layer} | ${f1(r.ms)} | ${r.layer === LAYERS.idle ? `(${r.pct.toFixed(0)} % of the time)` : `${r.pct.toFixed(1)} %`} | ${f3(r.perRequestMs)} |`);
  return lines.join('\n');
}

/**
 * The breakdown of each marked scenario of `db` that this profile covers (the whole profile when
 * none is marked), as text or markdown. "other" lists its hottest leaves, to show missing rules.
 */
export function layersReport(file: string, db: string, markdown = false, marked: ScenarioSpan[] = markedSpans(db)): string {
  const p = readProfile(file);
  const covered = marked.filter((s) => s.endUs > p.startTime && s.startUs < p.endTime);
  const parts: { title: string; opts: LayerOptions }[] = covered.length
    ? covered.map((s) => ({
        title: `${s.scenario} [${db}]: ${((s.endUs - s.startUs) / 1e6).toFixed(1)} s${s.requests ? `, ${s.requests} requests` : ''}`,
        opts: { window: { startUs: s.startUs, endUs: s.endUs }, requests: s.requests },
      }))
    : [{ title: `whole profile [${db}] (no scenario marked)`, opts: {} }];
  const out: string[] = [];
  for (const part of parts) {
    const other = new Map<string, number>();
    const rows = profileLayers(p, { ...part.opts, onOther: (leaf, ms) => other.set(leaf, (other.get(leaf) ?? 0) + ms) });
    out.push(markdown ? layersMarkdown(part.title, rows) : layersText(`CPU by layer, ${part.title}`, rows));
    const top = [...other.entries()].sort((a, b) => b[1] - a[1]).slice(0, 5);
    if (top.length) out.push(`${markdown ? '\n' : ''}  other, hottest leaves: ${top.map(([k, v]) => `${k} ${f1(v)} ms`).join('; ')}`);
    out.push('');
  }
  return `\n${out.join('\n')}`;
}

/** One layer of a scenario, on both servers: CPU ms per request. */
export interface LayerPair {
  layer: string;
  roster?: number;
  floor?: number;
}

/** Per-request CPU of each layer of one window, keyed by layer (idle left out: it is not CPU). */
function perRequest(p: CpuProfile, s: ScenarioSpan): Map<string, number> {
  const rows = profileLayers(p, { window: { startUs: s.startUs, endUs: s.endUs }, requests: s.requests });
  return new Map(rows.filter((r) => r.perRequestMs !== undefined).map((r) => [r.layer, r.perRequestMs!]));
}

/**
 * Roster's layers beside the floor's for each scenario both profiles cover with a request count:
 * what a request costs in each layer on each side, and so which layer holds the difference.
 */
export function layersComparison(roster: string | CpuProfile, floor: string | CpuProfile, rosterSpans: ScenarioSpan[], floorSpans: ScenarioSpan[]): { scenario: string; rows: LayerPair[] }[] {
  const r = readProfile(roster);
  const f = readProfile(floor);
  const inside = (p: CpuProfile) => (s: ScenarioSpan) => !!s.requests && s.endUs > p.startTime && s.startUs < p.endTime;
  const out: { scenario: string; rows: LayerPair[] }[] = [];
  for (const rs of rosterSpans.filter(inside(r))) {
    const fs = floorSpans.filter(inside(f)).find((x) => x.scenario === rs.scenario);
    if (!fs) continue;
    const a = perRequest(r, rs);
    const b = perRequest(f, fs);
    const rows: LayerPair[] = ORDER.filter((l) => a.has(l) || b.has(l)).map((layer) => ({ layer, roster: a.get(layer), floor: b.get(layer) }));
    const sum = (m: Map<string, number>) => [...m.values()].reduce((x, y) => x + y, 0);
    rows.push({ layer: 'all CPU', roster: sum(a), floor: sum(b) });
    out.push({ scenario: rs.scenario, rows });
  }
  return out;
}

/** The comparison as text (or markdown): layer, Roster, floor, Roster − floor, in CPU ms per request. */
export function comparisonText(db: string, parts: { scenario: string; rows: LayerPair[] }[], markdown = false): string {
  const out: string[] = [];
  const diff = (x: LayerPair) => (x.roster ?? 0) - (x.floor ?? 0);
  for (const part of parts) {
    const title = `CPU ms per request by layer, Roster beside the floor, ${part.scenario} [${db}]`;
    if (markdown) {
      out.push(`**${title}**`, '', '| layer | Roster | floor | Roster − floor |', '| --- | ---: | ---: | ---: |');
      for (const x of part.rows) out.push(`| ${x.layer} | ${f3(x.roster)} | ${f3(x.floor)} | ${diff(x) >= 0 ? '+' : ''}${diff(x).toFixed(3)} |`);
    } else {
      out.push(title, `  ${'layer'.padEnd(58)} ${'Roster'.padStart(8)} ${'floor'.padStart(8)} ${'R − f'.padStart(8)}`);
      for (const x of part.rows) out.push(`  ${x.layer.padEnd(58)} ${f3(x.roster).padStart(8)} ${f3(x.floor).padStart(8)} ${`${diff(x) >= 0 ? '+' : ''}${diff(x).toFixed(3)}`.padStart(8)}`);
    }
    out.push('');
  }
  return out.length ? `\n${out.join('\n')}` : '';
}

if (import.meta.filename === process.argv[1]) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: node dist/bench/profile-layers.js <file.cpuprofile> [--markdown]\n');
    process.exit(2);
  }
  process.stdout.write(layersReport(file, 'profile', process.argv.includes('--markdown'), []));
}
