import { randomBytes } from 'node:crypto';
import { waitUntilUp } from './http.js';
import { freePort, startServer, type Server } from './procs.js';
import { lookup, warmUp, type Measure, type Target, type Timing } from './scenarios.js';
import type { Seeded } from './seed.js';

/**
 * Issue "Scale-out", point 7: SCIM lookups spread over two Roster processes on the same Postgres,
 * against the same load on one process. On a 2-core machine two processes cannot be faster (the
 * load generator, both processes and Postgres share the cores); what this shows is that a second
 * process costs nothing per request: the server CPU per request (both processes plus every
 * Postgres backend of the database) stays where it is. A third measure adds the shared rate limit
 * (Postgres store: one more round trip per request) to show what sharing limits costs.
 */
export interface TwoProcessResult {
  one: Measure;
  two: Measure;
  /** two processes counting every request in the shared Postgres rate-limit table */
  twoLimited: Measure;
}

type Log = (msg: string) => void;

async function startRoster(main: string, dbEnv: Record<string, string>, extra: Record<string, string>): Promise<{ server: Server; target: Target }> {
  const port = await freePort();
  const scimToken = `rs_bench_${randomBytes(24).toString('base64url')}`;
  const server = startServer('roster', main, port, {
    ...dbEnv,
    HOST: '127.0.0.1',
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    RATE_LIMIT_PER_MINUTE: '0',
    ROSTER_BOOTSTRAP_SCIM_TOKEN: scimToken,
    ROSTER_BOOTSTRAP_IDP: 'okta',
    ...extra,
  });
  await waitUntilUp(`${server.base}/readyz`, server.alive).catch((err: Error) => {
    throw new Error(`${err.message}\n--- roster output ---\n${server.output()}`);
  });
  const database = new URL(dbEnv.DATABASE_URL!).pathname.slice(1);
  return { server, target: { kind: 'roster', base: server.base, pid: server.pid, database, scim: { authorization: `Bearer ${scimToken}` }, graphql: {} } };
}

/** Both halves' load at once: each process gets half the connections; CPU counted once per process and once for all backends. */
async function spread(a: Target, b: Target, d: Seeded, t: Timing): Promise<Measure> {
  const half = { ...t, connections: Math.max(1, Math.floor(t.connections / 2)) };
  // A's meter counts A's process and every backend of the database (B's included); B's only B's process.
  const [ma, mb] = await Promise.all([lookup(a, d, half), lookup({ ...b, database: undefined }, d, half)]);
  const requests = ma.requests + mb.requests;
  const cpu = (ma.cpuMs ?? 0) * ma.requests + (mb.cpuMs ?? 0) * mb.requests;
  const failures = ma.failures + mb.failures;
  // latency: the slower half's percentiles (a request's latency does not depend on which process took it)
  return { rps: ma.rps + mb.rps, p50: Math.max(ma.p50, mb.p50), p99: Math.max(ma.p99, mb.p99), requests, failures, cpuMs: cpu / Math.max(1, requests) };
}

/** Seconds of lookups each process gets before it is measured, even in a quick run: a cold process would make the first configuration look worse. */
const MIN_WARMUP_S = 5;

export async function twoProcessStudy(main: string, dbEnv: Record<string, string>, d: Seeded, timing: Timing, log: Log): Promise<TwoProcessResult> {
  const t = { ...timing, processWarmup: Math.max(timing.processWarmup, MIN_WARMUP_S) };
  const show = (m: Measure) => `${m.rps.toFixed(0)} req/s, ${m.cpuMs?.toFixed(2)} ms CPU/request, p99 ${m.p99.toFixed(1)} ms${m.failures ? `, ${m.failures} FAILED` : ''}`;
  const one = await (async () => {
    const { server, target } = await startRoster(main, dbEnv, {});
    try {
      await warmUp(target, d, t);
      return await lookup(target, d, t);
    } finally {
      await server.stop();
    }
  })();
  log(`[postgres] two-process study: one process: ${show(one)}`);
  const pair = async (extra: Record<string, string>) => {
    const a = await startRoster(main, dbEnv, extra);
    const b = await startRoster(main, dbEnv, extra);
    try {
      await Promise.all([warmUp(a.target, d, { ...t, connections: Math.max(1, t.connections / 2) }), warmUp(b.target, d, { ...t, connections: Math.max(1, t.connections / 2) })]);
      return await spread(a.target, b.target, d, t);
    } finally {
      await Promise.all([a.server.stop(), b.server.stop()]);
    }
  };
  const two = await pair({});
  log(`[postgres] two-process study: two processes: ${show(two)}`);
  // a limit never reached, so that every request is counted and none refused
  const twoLimited = await pair({ RATE_LIMIT_PER_MINUTE: String(Number.MAX_SAFE_INTEGER), RATE_LIMIT_STORE: 'postgres' });
  log(`[postgres] two-process study: two processes, shared Postgres rate limit: ${show(twoLimited)}`);
  return { one, two, twoLimited };
}

/** The study's lines for the summary. */
export function twoProcessText(r: TwoProcessResult, markdown = false): string {
  const ratio = (x: Measure) => (x.rps / r.one.rps).toFixed(2);
  const cpu = (x: Measure) => ((x.cpuMs ?? NaN) / (r.one.cpuMs ?? NaN)).toFixed(2);
  const rows: string[][] = [
    ['Postgres lookups, 16 in flight', 'req/s', 'CPU ms/request', 'p99 ms', 'throughput ÷ one process', 'CPU per request ÷ one process'],
    ['one process', r.one.rps.toFixed(0), r.one.cpuMs?.toFixed(2) ?? '–', r.one.p99.toFixed(1), '1.00', '1.00'],
    ['two processes (8 + 8 in flight)', r.two.rps.toFixed(0), r.two.cpuMs?.toFixed(2) ?? '–', r.two.p99.toFixed(1), ratio(r.two), cpu(r.two)],
    ['two processes, shared Postgres rate limit', r.twoLimited.rps.toFixed(0), r.twoLimited.cpuMs?.toFixed(2) ?? '–', r.twoLimited.p99.toFixed(1), ratio(r.twoLimited), cpu(r.twoLimited)],
  ];
  const failures = r.one.failures + r.two.failures + r.twoLimited.failures;
  const verdict = `${Number(cpu(r.two)) <= 1.1 ? '✔' : '✘'} two processes cost no more CPU per request than one (≤ 1.10×): ${cpu(r.two)}×${failures ? `; ${failures} FAILED requests` : ''}`;
  if (markdown) return [`| ${rows[0]!.join(' | ')} |`, `| ${rows[0]!.map(() => '---').join(' | ')} |`, ...rows.slice(1).map((x) => `| ${x.join(' | ')} |`), '', verdict].join('\n');
  return ['Two processes on one Postgres (issue "Scale-out"):', ...rows.map((x) => `  ${x.join('  ')}`), verdict].join('\n');
}
