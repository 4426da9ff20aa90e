/**
 * Top self-time functions of a V8 .cpuprofile (as written by `node --cpu-prof`).
 * Usage: node dist/bench/profile-top.js <file.cpuprofile> [count]
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface Hot {
  fn: string;
  where: string;
  selfMs: number;
  selfPct: number;
  /** time in this function and everything it called */
  totalMs: number;
}

const short = (url: string) => {
  if (!url) return '(native)';
  const u = url.replace(/^file:\/\//, '');
  const nm = u.lastIndexOf('node_modules/');
  if (nm >= 0) return u.slice(nm + 'node_modules/'.length);
  const d = u.indexOf('/dist/');
  return d >= 0 ? u.slice(d + 1) : path.basename(u);
};

/** Self and total time per function (by name and file), busiest first; idle and GC kept as V8 names them. */
export function hotFunctions(file: string): { hot: Hot[]; byPackage: { pkg: string; selfMs: number; selfPct: number }[]; totalMs: number; idleMs: number } {
  const p = JSON.parse(readFileSync(file, 'utf8')) as Profile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<number, number>();
  p.samples.forEach((id, i) => self.set(id, (self.get(id) ?? 0) + (p.timeDeltas[i] ?? 0) / 1000));
  const key = (n: ProfileNode) => `${n.callFrame.functionName || '(anonymous)'}\u0000${short(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
  const selfBy = new Map<string, number>();
  const totalBy = new Map<string, number>();
  const pkgBy = new Map<string, number>();
  let total = 0;
  let idle = 0;
  for (const [id, ms] of self) {
    const n = byId.get(id)!;
    total += ms;
    if (n.callFrame.functionName === '(idle)') idle += ms;
    selfBy.set(key(n), (selfBy.get(key(n)) ?? 0) + ms);
    const s = short(n.callFrame.url);
    const pkg = n.callFrame.functionName.startsWith('wasm-function')
      ? 'wasm (PGlite: Postgres compiled to WebAssembly)'
      : n.callFrame.url.includes('node_modules/')
        ? s
            .split('/')
            .slice(0, s.startsWith('@') ? 2 : 1)
            .join('/')
        : n.callFrame.url.includes('/dist/')
          ? s.split('/').slice(0, 3).join('/')
          : n.callFrame.url
            ? 'node (http, streams, timers…)'
            : n.callFrame.functionName;
    pkgBy.set(pkg, (pkgBy.get(pkg) ?? 0) + ms);
    // total time: every distinct function on the stack gets the sample once
    const seen = new Set<string>();
    for (let cur: number | undefined = id; cur !== undefined; cur = parent.get(cur)) {
      const k = key(byId.get(cur)!);
      if (seen.has(k)) continue;
      seen.add(k);
      totalBy.set(k, (totalBy.get(k) ?? 0) + ms);
    }
  }
  const busy = total - idle;
  const hot = [...selfBy.entries()]
    .map(([k, ms]) => {
      const [fn, where] = k.split('\u0000');
      return { fn, where, selfMs: ms, selfPct: (100 * ms) / busy, totalMs: totalBy.get(k) ?? ms };
    })
    .filter((h) => h.fn !== '(idle)')
    .sort((a, b) => b.selfMs - a.selfMs);
  const byPackage = [...pkgBy.entries()]
    .filter(([k]) => k !== '(idle)')
    .map(([pkg, ms]) => ({ pkg, selfMs: ms, selfPct: (100 * ms) / busy }))
    .sort((a, b) => b.selfMs - a.selfMs);
  return { hot, byPackage, totalMs: total, idleMs: idle };
}

/** A printable summary. */
export function summarize(file: string, count = 25): string {
  const { hot, byPackage, totalMs, idleMs } = hotFunctions(file);
  const lines = [`${file}: ${(totalMs / 1000).toFixed(1)} s sampled, ${(100 - (100 * idleMs) / totalMs).toFixed(0)} % busy`, '  self ms   self%   total ms  function (file:line)'];
  for (const h of hot.slice(0, count)) {
    lines.push(`  ${h.selfMs.toFixed(0).padStart(7)}  ${h.selfPct.toFixed(1).padStart(5)}%  ${h.totalMs.toFixed(0).padStart(8)}  ${h.fn} (${h.where})`);
  }
  lines.push('  by package / folder (self time):');
  for (const p of byPackage.slice(0, 15)) lines.push(`  ${p.selfMs.toFixed(0).padStart(7)}  ${p.selfPct.toFixed(1).padStart(5)}%  ${p.pkg}`);
  return lines.join('\n');
}

if (import.meta.filename === process.argv[1]) {
  const file = process.argv[2];
  if (!file) {
    process.stderr.write('usage: node dist/bench/profile-top.js <file.cpuprofile> [count]\n');
    process.exit(2);
  }
  process.stdout.write(`${summarize(file, Number(process.argv[3] ?? 25))}\n`);
}
