import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { waitUntilUp } from './http.js';
import { CpuMeter, freePort, startServer, type Server } from './procs.js';
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
/** A lookup measure with the Roster processes' own share of the server CPU (the rest is Postgres). */
export type Split = Measure & { rosterCpuMs: number };

export interface TwoProcessResult {
  one: Split;
  /** one process with half the requests in flight: what each of the two processes sees */
  oneHalf: Split;
  two: Split;
  /** two processes counting every request in the shared Postgres rate-limit table */
  twoLimited: Split;
  /** the same with Redis as the store, when a Redis answers at BENCH_REDIS_URL (default the local one) */
  twoRedis?: Split;
  /** requests in flight in all */
  connections: number;
  /** per round: two processes' CPU per request ÷ one process's, measured back to back */
  cpuRatios: number[];
  /** the same comparison at a paced load of half one process's throughput (spare CPU on both sides) */
  paced: { rate: number; one: Split; two: Split; cpuRatios: number[] };
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
async function spread(a: Target, b: Target, d: Seeded, t: Timing): Promise<Split> {
  const half = { ...t, connections: Math.max(1, Math.floor(t.connections / 2)), rate: t.rate ? t.rate / 2 : undefined };
  const [na, nb] = [new CpuMeter(a.pid), new CpuMeter(b.pid)];
  // A's meter counts A's process and every backend of the database (B's included); B's only B's process.
  const [ma, mb] = await Promise.all([lookup(a, d, half), lookup({ ...b, database: undefined }, d, half)]);
  const roster = na.read() + nb.read();
  const requests = ma.requests + mb.requests;
  const cpu = (ma.cpuMs ?? 0) * ma.requests + (mb.cpuMs ?? 0) * mb.requests;
  const failures = ma.failures + mb.failures;
  // latency: the slower half's percentiles (a request's latency does not depend on which process took it)
  return { rps: ma.rps + mb.rps, p50: Math.max(ma.p50, mb.p50), p99: Math.max(ma.p99, mb.p99), requests, failures, cpuMs: cpu / Math.max(1, requests), rosterCpuMs: roster / Math.max(1, requests) };
}

/** A lookup measure on one process, with its own share of the CPU. */
async function alone(target: Target, d: Seeded, t: Timing): Promise<Split> {
  const n = new CpuMeter(target.pid);
  const m = await lookup(target, d, t);
  return { ...m, rosterCpuMs: n.read() / Math.max(1, m.requests) };
}

/** Seconds of lookups each process gets before it is measured, even in a quick run: a cold process would make the first configuration look worse. */
const MIN_WARMUP_S = 12;

/** Rounds of one-process and two-process measures, alternated: load on a shared machine drifts, and alternation spreads it over both. */
const ROUNDS = 5;

const median = (xs: number[]): number => {
  const s = [...xs].sort((x, y) => x - y);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** The median of each figure over the rounds. */
function medianOf(ms: Split[]): Split {
  const m = (f: (x: Split) => number) => median(ms.map(f));
  return {
    rps: m((x) => x.rps),
    p50: m((x) => x.p50),
    p99: m((x) => x.p99),
    requests: ms.reduce((n, x) => n + x.requests, 0),
    failures: ms.reduce((n, x) => n + x.failures, 0),
    cpuMs: m((x) => x.cpuMs ?? NaN),
    rosterCpuMs: m((x) => x.rosterCpuMs),
  };
}

export async function twoProcessStudy(main: string, dbEnv: Record<string, string>, d: Seeded, timing: Timing, log: Log): Promise<TwoProcessResult> {
  // No warm-up inside the measures (the processes are warm): the Roster-only CPU meters then cover the measured window alone.
  const t = { ...timing, processWarmup: Math.max(timing.processWarmup, MIN_WARMUP_S), warmup: 0 };
  const show = (m: Split) =>
    `${m.rps.toFixed(0)} req/s, ${m.cpuMs?.toFixed(2)} ms CPU/request (Roster ${m.rosterCpuMs.toFixed(2)}), p99 ${m.p99.toFixed(1)} ms${m.failures ? `, ${m.failures} FAILED` : ''}`;
  const half = { ...t, connections: Math.max(1, Math.floor(t.connections / 2)) };
  const start = async (extra: Record<string, string>) => {
    const a = await startRoster(main, dbEnv, extra);
    const b = await startRoster(main, dbEnv, extra);
    await Promise.all([warmUp(a.target, d, half), warmUp(b.target, d, half)]);
    await warmUp(a.target, d, { ...t, processWarmup: 3 });
    return { a, b, stop: () => Promise.all([a.server.stop(), b.server.stop()]) };
  };

  // The same two warm processes serve both figures: "one process" is A alone with every request,
  // "two processes" is A and B with half each, in alternating rounds.
  const ones: Split[] = [];
  const twos: Split[] = [];
  const pacedOnes: Split[] = [];
  const pacedTwos: Split[] = [];
  let oneHalf: Split;
  let pacedRate: number;
  {
    const { a, b, stop } = await start({});
    try {
      for (let round = 0; round < ROUNDS; round++) {
        const measureOne = async () => ones.push(await alone(a.target, d, t));
        const measureTwo = async () => twos.push(await spread(a.target, b.target, d, t));
        if (round % 2) await measureTwo().then(measureOne);
        else await measureOne().then(measureTwo);
        log(`[postgres] two-process study, round ${round + 1}: one process ${show(ones.at(-1)!)}; two processes ${show(twos.at(-1)!)}`);
      }
      oneHalf = await alone(a.target, d, half);
      // At full speed two Node processes, Postgres and the load generator oversubscribe 2 cores, and
      // CPU per request then measures the contention as much as the work. At half of one process's
      // throughput, offered at the same rate to one process or split over two, neither side runs
      // out of CPU: what is left is the work per request.
      const rate = Math.round(median(ones.map((x) => x.rps)) / 2);
      for (let round = 0; round < ROUNDS; round++) {
        const paced = { ...t, rate };
        const measureOne = async () => pacedOnes.push(await alone(a.target, d, paced));
        const measureTwo = async () => pacedTwos.push(await spread(a.target, b.target, d, paced));
        if (round % 2) await measureTwo().then(measureOne);
        else await measureOne().then(measureTwo);
        log(`[postgres] two-process study, paced at ${rate} req/s, round ${round + 1}: one process ${show(pacedOnes.at(-1)!)}; two processes ${show(pacedTwos.at(-1)!)}`);
      }
      pacedRate = rate;
    } finally {
      await stop();
    }
  }
  const one = medianOf(ones);
  const two = medianOf(twos);
  const ratiosOf = (xs: Split[], ys: Split[]) => xs.map((x, i) => (x.cpuMs ?? NaN) / (ys[i]!.cpuMs ?? NaN));
  const cpuRatios = ratiosOf(twos, ones);
  const paced = { rate: pacedRate, one: medianOf(pacedOnes), two: medianOf(pacedTwos), cpuRatios: ratiosOf(pacedTwos, pacedOnes) };
  const pair = async (extra: Record<string, string>) => {
    const { a, b, stop } = await start(extra);
    try {
      return await spread(a.target, b.target, d, t);
    } finally {
      await stop();
    }
  };
  // a limit never reached, so that every request is counted and none refused
  const twoLimited = await pair({ RATE_LIMIT_PER_MINUTE: String(Number.MAX_SAFE_INTEGER), RATE_LIMIT_STORE: 'postgres' });
  log(`[postgres] two-process study: two processes, shared Postgres rate limit: ${show(twoLimited)}`);
  const redisUrl = process.env.BENCH_REDIS_URL ?? 'redis://127.0.0.1:6379';
  let twoRedis: Split | undefined;
  if (await answers(redisUrl)) {
    twoRedis = await pair({ RATE_LIMIT_PER_MINUTE: String(Number.MAX_SAFE_INTEGER), RATE_LIMIT_STORE: 'redis', REDIS_URL: redisUrl });
    log(`[postgres] two-process study: two processes, shared Redis rate limit: ${show(twoRedis)}`);
  } else {
    log(`[postgres] two-process study: no Redis at ${redisUrl}; the Redis rate-limit store is not measured`);
  }
  return { one, oneHalf, two, twoLimited, twoRedis, connections: 2 * half.connections, cpuRatios, paced };
}

/** Whether something accepts connections at a redis:// URL (else Roster would count in memory, and the figure would mislead). */
function answers(url: string): Promise<boolean> {
  const u = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: u.hostname, port: Number(u.port || 6379) }, () => {
      socket.end();
      resolve(true);
    });
    socket.setTimeout(1000, () => {
      socket.destroy();
      resolve(false);
    });
    socket.on('error', () => resolve(false));
  });
}

/** The study's lines for the summary. */
export function twoProcessText(r: TwoProcessResult, markdown = false): string {
  const ratio = (x: Measure) => (x.rps / r.one.rps).toFixed(2);
  const cpu = (x: Measure) => ((x.cpuMs ?? NaN) / (r.one.cpuMs ?? NaN)).toFixed(2);
  const rows: string[][] = [
    [
      `Postgres lookups, ${r.connections} in flight (medians of rounds for the first three rows)`,
      'req/s',
      'CPU ms/request (Roster + Postgres)',
      'p99 ms',
      'throughput ÷ one process',
      'CPU per request ÷ one process',
    ],
    ...(
      [
        ['one process', r.one],
        [`one process, ${r.connections / 2} in flight (what each of two sees)`, r.oneHalf],
        [`two processes (${r.connections / 2} + ${r.connections / 2} in flight)`, r.two],
        [`one process, paced at ${r.paced.rate} req/s (medians of rounds)`, r.paced.one],
        [`two processes, paced at ${r.paced.rate / 2} + ${r.paced.rate / 2} req/s (medians of rounds)`, r.paced.two],
        ['two processes, shared Postgres rate limit', r.twoLimited],
        ...(r.twoRedis ? [['two processes, shared Redis rate limit', r.twoRedis] as const] : []),
      ] as const
    ).map(([name, m]) => [
      name,
      m.rps.toFixed(0),
      `${m.cpuMs?.toFixed(2) ?? '–'} (${m.rosterCpuMs.toFixed(2)} + ${((m.cpuMs ?? NaN) - m.rosterCpuMs).toFixed(2)})`,
      m.p99.toFixed(1),
      ratio(m),
      cpu(m),
    ]),
  ];
  const failures = r.one.failures + r.oneHalf.failures + r.two.failures + r.paced.one.failures + r.paced.two.failures + r.twoLimited.failures + (r.twoRedis?.failures ?? 0);
  const spreadOf = (xs: number[]) => {
    const sorted = [...xs].sort((x, y) => x - y);
    return `${median(sorted).toFixed(2)}× (median of ${sorted.length} alternating rounds; ${sorted[0]!.toFixed(2)}–${sorted.at(-1)!.toFixed(2)})`;
  };
  const pacedMid = median(r.paced.cpuRatios);
  const verdict = [
    `${pacedMid <= 1.1 ? '✔' : '✘'} two processes cost no more CPU per request than one at the same offered load (${r.paced.rate} req/s, ≤ 1.10×): ${spreadOf(r.paced.cpuRatios)}${failures ? `; ${failures} FAILED requests` : ''}`,
    `  at full speed (each configuration as fast as it answers; two processes then contend with Postgres and the load generator for 2 cores): ${spreadOf(r.cpuRatios)}`,
  ].join('\n');
  if (markdown) return [`| ${rows[0]!.join(' | ')} |`, `| ${rows[0]!.map(() => '---').join(' | ')} |`, ...rows.slice(1).map((x) => `| ${x.join(' | ')} |`), '', verdict].join('\n');
  return ['Two processes on one Postgres (issue "Scale-out"):', ...rows.map((x) => `  ${x.join('  ')}`), verdict].join('\n');
}
