import { ChildProcess, spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';

/**
 * Everything the bench must undo, even when it fails or is interrupted: child processes, temp
 * folders, and async steps (dropping the Postgres database).
 */
class Cleanup {
  private readonly children = new Set<ChildProcess>();
  private readonly dirs = new Set<string>();
  private readonly tasks: { name: string; run: () => Promise<void> }[] = [];

  child(c: ChildProcess): void {
    this.children.add(c);
    c.once('exit', () => this.children.delete(c));
  }

  dir(path: string): () => void {
    this.dirs.add(path);
    return () => {
      rmSync(path, { recursive: true, force: true });
      this.dirs.delete(path);
    };
  }

  task(name: string, run: () => Promise<void>): () => Promise<void> {
    const t = { name, run };
    this.tasks.push(t);
    return async () => {
      const i = this.tasks.indexOf(t);
      if (i >= 0) this.tasks.splice(i, 1);
      await run();
    };
  }

  /** Synchronous part: kills children (by their own pid) and removes folders. Safe in an 'exit' handler. */
  sync(): void {
    for (const c of this.children) {
      if (c.exitCode === null && c.pid) {
        try {
          process.kill(c.pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
    }
    this.children.clear();
    for (const d of this.dirs) rmSync(d, { recursive: true, force: true });
    this.dirs.clear();
  }

  /** Everything: children first (they hold the database), then the async tasks, then folders. */
  async all(): Promise<void> {
    await Promise.all([...this.children].map((c) => stopChild(c, 5_000)));
    for (const t of this.tasks.splice(0).reverse()) {
      try {
        await t.run();
      } catch (err) {
        process.stderr.write(`cleanup "${t.name}" failed: ${(err as Error).message}\n`);
      }
    }
    this.sync();
  }
}

export const cleanup = new Cleanup();

/** A server started as a child process (Roster or the floor). */
export interface Server {
  name: string;
  child: ChildProcess;
  pid: number;
  port: number;
  base: string;
  alive(): boolean;
  /** the last lines the process wrote, for error messages */
  output(): string;
  /** SIGTERM, then SIGKILL after `graceMs`; resolves with the exit code */
  stop(graceMs?: number): Promise<number | null>;
}

/** A free TCP port on 127.0.0.1. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

function stopChild(c: ChildProcess, graceMs: number): Promise<number | null> {
  if (c.exitCode !== null || c.signalCode !== null) return Promise.resolve(c.exitCode);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      if (c.pid) {
        try {
          process.kill(c.pid, 'SIGKILL');
        } catch {
          /* gone */
        }
      }
    }, graceMs);
    c.once('exit', (code) => {
      clearTimeout(timer);
      resolve(code);
    });
    if (c.pid) c.kill('SIGTERM');
  });
}

/** Starts `node [nodeArgs] script` with `env` added to this process's environment. */
export function startServer(name: string, script: string, port: number, env: Record<string, string>, nodeArgs: string[] = []): Server {
  const child = spawn(process.execPath, [...nodeArgs, script], {
    env: { ...process.env, ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  cleanup.child(child);
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    if (lines.length > 60) lines.splice(0, lines.length - 60);
  };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  if (!child.pid) throw new Error(`could not start ${name}`);
  return {
    name,
    child,
    pid: child.pid,
    port,
    base: `http://127.0.0.1:${port}`,
    alive: () => child.exitCode === null && child.signalCode === null,
    output: () => lines.join('\n'),
    stop: (graceMs = 20_000) => stopChild(child, graceMs),
  };
}

/** Resident set size of a process in bytes (VmRSS), or NaN when it is gone. */
export function rssOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : NaN;
  } catch {
    return NaN;
  }
}

/** Samples a process's RSS every `everyMs` until stopped. */
export class RssSampler {
  readonly samples: { t: number; rss: number }[] = [];
  private timer?: NodeJS.Timeout;
  private readonly t0 = Date.now();

  constructor(
    private readonly pid: number,
    everyMs = 50,
  ) {
    this.take();
    this.timer = setInterval(() => this.take(), everyMs);
    this.timer.unref();
  }

  take(): number {
    const rss = rssOf(this.pid);
    if (!Number.isNaN(rss)) this.samples.push({ t: Date.now() - this.t0, rss });
    return rss;
  }

  stop(): void {
    this.take();
    clearInterval(this.timer);
  }

  get peak(): number {
    return Math.max(...this.samples.map((s) => s.rss));
  }
}

/** Clock ticks per second of /proc/<pid>/stat (USER_HZ: 100 on Linux). */
const TICK_MS = 1000 / 100;

/** CPU time (user + system) a process has used, in clock ticks, or undefined when it is gone. */
function cpuTicksOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // fields after "(comm)": state is the 3rd field of the line, utime the 14th, stime the 15th
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(f[11]) + Number(f[12]);
  } catch {
    return undefined;
  }
}

/**
 * CPU time a server spends: its own process (Roster or the floor, PGlite included when embedded)
 * plus, on Postgres, the backends serving its database (found by their process title,
 * "postgres: … <user> <database> <host> …", when the server runs on this machine). Unlike
 * throughput, CPU per request hardly moves when other work shares the machine, so the ratio of
 * the two servers' CPU per request is the steadier figure on a busy machine.
 */
export class CpuMeter {
  /** ticks at first sight: 0 for a backend that started after the meter */
  private readonly base = new Map<number, number>();
  private readonly last = new Map<number, number>();
  private readonly title: RegExp | undefined;
  private started = false;

  constructor(
    private readonly pid: number,
    database?: string,
  ) {
    this.title = database ? new RegExp(`^postgres: .*\\b${database.replace(/[^A-Za-z0-9_]/g, '')} `) : undefined;
    this.read();
    this.started = true;
  }

  private pids(): number[] {
    const out = [this.pid];
    if (!this.title) return out;
    for (const e of readdirSync('/proc')) {
      if (!/^\d+$/.test(e)) continue;
      const pid = Number(e);
      if (this.last.has(pid)) {
        out.push(pid);
        continue;
      }
      try {
        if (this.title.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'))) out.push(pid);
      } catch {
        /* gone, or not ours to read */
      }
    }
    return out;
  }

  /** ms of CPU used since the meter was created (a process that exited counts what it had used when last seen) */
  read(): number {
    for (const pid of this.pids()) {
      const t = cpuTicksOf(pid);
      if (t === undefined) continue;
      if (!this.base.has(pid)) this.base.set(pid, this.started ? 0 : t);
      this.last.set(pid, t);
    }
    let ticks = 0;
    for (const [pid, t] of this.last) ticks += t - this.base.get(pid)!;
    return ticks * TICK_MS;
  }
}
