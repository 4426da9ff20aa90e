import type { TwoProcessResult } from './two-process.js';
import type { Measure, Probe, Walk } from './scenarios.js';

export type Db = 'embedded' | 'postgres';

/** One line of the table: the same scenario on Roster and on the floor. */
export interface Row {
  /** which scenario (for the checks): lookup, graphql, get, walk, put, patch-add-big, … */
  key?: string;
  scenario: string;
  db: Db;
  roster: Measure;
  floor?: Measure;
  /** Roster's speed as a fraction of the floor's (throughput ratio; for sequential runs, floor latency ÷ Roster latency) */
  ratio?: number;
  /** the same by CPU: floor CPU per request ÷ Roster CPU per request (1.00 = as cheap) */
  cpuRatio?: number;
  note?: string;
}

/** A target of DESIGN.md §7 (or of the issue), checked. */
export interface Check {
  db: Db | 'postgres, scale';
  target: string;
  measured: string;
  met: boolean;
}

/** Everything measured on one database. */
export interface DbResult {
  db: Db;
  /** how Roster and the floor shared the database */
  arrangement: string;
  seedSeconds: number;
  rows: Row[];
  walks: { roster?: Walk; floor?: Walk };
  checks: Check[];
  /** the issue "Performance, round two" targets */
  issueChecks?: Check[];
  /** the floor's answers compared with Roster's, per request */
  shapes?: ShapeComparison[];
  /** the mixed scenario's answers by kind and status */
  mixedStatuses?: { roster?: Record<string, number>; floor?: Record<string, number> };
  profiles?: string[];
  /** the floor's CPU profiles (with --profile) */
  floorProfiles?: string[];
  /** seconds each server took from SIGTERM to exit */
  shutdown?: { roster?: number; floor?: number };
  /** lookups on two Roster processes vs one (Postgres only) */
  twoProcess?: TwoProcessResult;
}

const f = (n: number | undefined, digits = 1): string => {
  if (n === undefined || Number.isNaN(n)) return '–';
  if (Math.abs(n) >= 100) return Math.round(n).toLocaleString('en-US');
  return n.toFixed(digits);
};
const mb = (b: number) => `${Math.round(b / (1024 * 1024))} MB`;

export function ratioOf(roster: Measure, floor?: Measure): number | undefined {
  return floor && floor.rps > 0 ? roster.rps / floor.rps : undefined;
}

export function cpuRatioOf(roster: Measure, floor?: Measure): number | undefined {
  return floor?.cpuMs && roster.cpuMs ? floor.cpuMs / roster.cpuMs : undefined;
}

/** Rows for one database, checks included. */
export function tableRows(results: DbResult[]): string[][] {
  const out: string[][] = [];
  for (const r of results) {
    for (const row of r.rows) {
      const fail = row.roster.failures || row.floor?.failures ? ` (${row.roster.failures}/${row.floor?.failures ?? 0} failed)` : '';
      out.push([
        row.scenario + fail,
        row.db,
        f(row.roster.rps),
        f(row.roster.p50),
        f(row.roster.p99),
        f(row.floor?.rps),
        f(row.floor?.p50),
        f(row.floor?.p99),
        row.ratio === undefined ? '–' : row.ratio.toFixed(2),
        f(row.roster.cpuMs, 2),
        f(row.floor?.cpuMs, 2),
        row.cpuRatio === undefined ? '–' : row.cpuRatio.toFixed(2),
      ]);
    }
  }
  return out;
}

const HEAD = ['scenario', 'db', 'Roster req/s', 'p50 ms', 'p99 ms', 'floor req/s', 'p50 ms', 'p99 ms', 'Roster/floor', 'Roster CPU ms/req', 'floor CPU ms/req', 'Roster/floor by CPU'];

/** Plain-text table for stdout. */
export function textTable(results: DbResult[]): string {
  const rows = [HEAD, ...tableRows(results)];
  const widths = HEAD.map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]) => r.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(rows[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.slice(1).map(line)].join('\n');
}

/** Markdown table (for the README's Performance section). */
export function markdownTable(results: DbResult[]): string {
  const rows = tableRows(results);
  const md = (r: string[]) => `| ${r.join(' | ')} |`;
  return [md(HEAD), md(HEAD.map((_, i) => (i < 2 ? '---' : '---:'))), ...rows.map(md)].join('\n');
}

/** The checks as lines: DESIGN.md §7's, or the issue's (with the scale study's). */
export function checksText(results: DbResult[], markdown = false, which: 'design' | 'issue' = 'design', scale?: ScaleResult): string {
  const lines: string[] = [];
  const all = which === 'design' ? results.flatMap((r) => r.checks) : [...results.flatMap((r) => r.issueChecks ?? []), ...(scale?.checks ?? [])];
  for (const c of all) lines.push(`${markdown ? '- ' : '  '}${c.met ? '✔' : '✘'} [${c.db}] ${c.target}: ${c.measured}`);
  if (which === 'issue' && !scale) lines.push(`${markdown ? '- ' : '  '}– issue point 3 (scale) not measured: run with --scale (or --only=scale)`);
  return lines.join('\n');
}

/** Roster's and the floor's first answer to one request, compared. */
export interface ShapeComparison {
  request: string;
  same: boolean;
  differences: string[];
}

/** Compares the probes of the two phases: the same status and shape, request by request. */
export function compareShapes(roster: Probe[], floor: Probe[]): ShapeComparison[] {
  const out: ShapeComparison[] = [];
  for (const r of roster) {
    const f = floor.find((x) => x.request === r.request);
    if (!f) continue;
    const differences: string[] = [];
    if (r.status !== f.status) differences.push(`status ${r.status} vs ${f.status}`);
    const onlyRoster = r.shape.filter((x) => !f.shape.includes(x));
    const onlyFloor = f.shape.filter((x) => !r.shape.includes(x));
    if (onlyRoster.length) differences.push(`only Roster: ${onlyRoster.join(', ')}`);
    if (onlyFloor.length) differences.push(`only the floor: ${onlyFloor.join(', ')}`);
    out.push({ request: r.request, same: !differences.length, differences });
  }
  return out;
}

export function shapesText(results: DbResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    for (const x of r.shapes ?? []) lines.push(`  ${x.same ? '=' : '≠'} [${r.db}] ${x.request}${x.same ? '' : `: ${x.differences.join('; ')}`}`);
  }
  return lines.join('\n');
}

/** Issue "Performance, round two", points 1, 2, 4 and 6, for one database. */
export function issueChecks(db: Db, rows: Row[], shapes: ShapeComparison[]): Check[] {
  const checks: Check[] = [];
  const by = (key: string) => rows.find((r) => r.key === key);
  const ratio = (key: string, label: string, min: number) => {
    const r = by(key);
    if (r?.ratio === undefined) return;
    checks.push({
      db,
      target: `issue: ${label} ≥ ${min} × the floor`,
      measured: `${r.ratio.toFixed(2)} (by CPU ${r.cpuRatio?.toFixed(2) ?? '–'})${r.roster.failures ? `; ${r.roster.failures} failed` : ''}`,
      met: r.ratio >= min && !r.roster.failures,
    });
  };
  ratio('lookup', 'SCIM userName eq lookup', 0.8);
  ratio('graphql', 'the same lookup in GraphQL, with variables', 0.8);
  ratio('get', 'GET /Users/{id}', 0.8);
  const walk = by('walk');
  if (walk?.ratio !== undefined) {
    checks.push({
      db,
      target: `issue: import walk (${walk.roster.requests} pages of 100), total time ≥ 0.7 × the floor (floor s ÷ Roster s)`,
      measured: `${walk.floor?.extra?.totalSeconds?.toFixed(1)} s ÷ ${walk.roster.extra?.totalSeconds?.toFixed(1)} s = ${walk.ratio.toFixed(2)} (by CPU ${walk.cpuRatio?.toFixed(2) ?? '–'})`,
      met: walk.ratio >= 0.7,
    });
  }
  ratio('create', 'POST /Users', 0.5);
  ratio('patch-add-big', 'PATCH add member (big group)', 0.5);
  ratio('patch-add-small', 'PATCH add member (group of 10)', 0.5);
  ratio('patch-remove-big', 'PATCH remove member (big group)', 0.5);
  ratio('patch-remove-small', 'PATCH remove member (group of 10)', 0.5);
  ratio('put', 'PUT /Groups, 10k members (quick: users ÷ 10), one changed', 0.5);
  ratio('putuser', 'PUT /Users (Okta profile push)', 0.5);
  ratio('deactivate', 'deactivate (PATCH active false)', 0.5);
  const mixed = by('mixed');
  if (mixed) {
    const st = mixed.roster.statuses ?? {};
    const bad = Object.entries(st).filter(([key]) => / (409|5\d\d)$/.test(key));
    const non2xx = Object.entries(st).filter(([key]) => !/ 2\d\d$/.test(key));
    checks.push({
      db,
      target: 'issue: mixed push (70/20/10, 16 in flight): no 409 and no 5xx; p50/p99 reported',
      measured: `p50 ${f(mixed.roster.p50)} ms, p99 ${f(mixed.roster.p99)} ms (floor ${f(mixed.floor?.p50)} / ${f(mixed.floor?.p99)} ms), ${mixed.roster.requests} requests, Roster/floor ${mixed.ratio?.toFixed(2) ?? '–'}; non-2xx: ${non2xx.length ? non2xx.map(([key, n]) => `${key}: ${n}`).join(', ') : 'none'}`,
      met: !bad.length && mixed.roster.requests > 0,
    });
  }
  if (shapes.length) {
    const differ = shapes.filter((x) => !x.same);
    checks.push({
      db,
      target: 'issue: honest floors: the floor answers with Roster’s status and response shape',
      measured: differ.length ? `${differ.length} of ${shapes.length} differ: ${differ.map((x) => x.request).join(', ')}` : `${shapes.length} of ${shapes.length} requests alike`,
      met: !differ.length,
    });
  }
  return checks;
}

/** What the scale study measured at one directory size. */
export interface ScaleAt {
  users: number;
  lookup: Measure;
  lastPage: Measure;
  addMember: Measure;
  removeMember: Measure;
  walk?: Walk;
  /** ms from the process's spawn to its first 200 from /readyz (which waits for the anchors read at start) */
  readyMs?: number;
}

/** Issue point 3: Roster on Postgres at N and at 10 × N users. */
export interface ScaleResult {
  seedSeconds: number;
  growSeconds: number;
  postgres: string;
  at: ScaleAt[];
  checks: Check[];
}

const k = (n: number) => (n >= 1_000_000 && n % 1_000_000 === 0 ? `${n / 1_000_000}M` : n >= 1000 && n % 1000 === 0 ? `${n / 1000}k` : String(n));

/** Issue point 3's checks: lookup (CPU per request under load), last page and membership change (p50), each ≤ 1.2 × at N; RSS flat in the walk. */
export function scaleChecks(s: ScaleResult): Check[] {
  const [a, b] = s.at;
  const checks: Check[] = [];
  const db = 'postgres, scale' as const;
  const within = (label: string, x: number | undefined, y: number | undefined, unit: string, extra = '') => {
    if (x === undefined || y === undefined) return;
    checks.push({ db, target: `issue: ${label} at ${k(b.users)} ≤ 1.2 × at ${k(a.users)}`, measured: `${f(x, 2)} → ${f(y, 2)} ${unit} = ×${(y / x).toFixed(2)}${extra}`, met: y <= 1.2 * x });
  };
  within('lookup, server CPU per request (16 in flight)', a.lookup.cpuMs, b.lookup.cpuMs, 'ms', `; p50 ${f(a.lookup.p50)} → ${f(b.lookup.p50)} ms`);
  within('last import page, reached from the page before it (as in a walk), p50', a.lastPage.p50, b.lastPage.p50, 'ms', `; CPU ${f(a.lastPage.cpuMs, 2)} → ${f(b.lastPage.cpuMs, 2)} ms`);
  within(
    "last import page as a process's first request once /readyz answers 200 (readiness waits for the anchors read at start), one sample",
    a.lastPage.extra?.firstMs,
    b.lastPage.extra?.firstMs,
    'ms',
    `; spawn to ready ${f(a.readyMs, 0)} → ${f(b.readyMs, 0)} ms`,
  );
  within('pages asked for out of the blue (no page of the process near them: the last, at 3/4, at 5/8), median of three', a.lastPage.extra?.coldMs, b.lastPage.extra?.coldMs, 'ms');
  within(
    'jumps: 20 pages of the second half, each far from the one before, p50',
    a.lastPage.extra?.jumpP50,
    b.lastPage.extra?.jumpP50,
    'ms',
    `; p99 ${f(a.lastPage.extra?.jumpP99)} → ${f(b.lastPage.extra?.jumpP99)} ms`,
  );
  if (a.walk && b.walk) within('import walk, page p50', a.walk.pageP50, b.walk.pageP50, 'ms', `; p99 ${f(a.walk.pageP99)} → ${f(b.walk.pageP99)} ms`);
  within(`one membership change (PATCH add) in the group of all users, p50`, a.addMember.p50, b.addMember.p50, 'ms', `; remove ${f(a.removeMember.p50)} → ${f(b.removeMember.p50)} ms`);
  if (b.walk) {
    const w = b.walk;
    checks.push({
      db,
      target: `issue: RSS flat through the walk at ${k(b.users)} (${w.pages} pages; last-quarter mean ≤ 1.1 × first-quarter peak)`,
      measured: `first-quarter peak ${mb(w.rss.earlyPeak)}, last-quarter mean ${mb(w.rss.lateAvg)}, peak ${mb(w.rss.peak)}`,
      met: w.rss.lateAvg <= 1.1 * w.rss.earlyPeak,
    });
  }
  return checks;
}

/** The scale study as lines (or a markdown table). */
export function scaleText(s: ScaleResult, markdown = false): string {
  const head = [
    'users',
    'spawn → ready ms',
    'lookup req/s',
    'lookup p50 ms',
    'lookup CPU ms/req',
    'last page p50 ms',
    'last page CPU ms',
    'last page first / cold ms',
    'jump p50 / p99 ms',
    'PATCH add p50 ms',
    'PATCH remove p50 ms',
    'walk s',
    'walk page p50 / p99 ms',
    'walk RSS start / peak / end',
  ];
  const rows = s.at.map((x) => [
    k(x.users),
    f(x.readyMs, 0),
    f(x.lookup.rps),
    f(x.lookup.p50),
    f(x.lookup.cpuMs, 2),
    f(x.lastPage.p50),
    f(x.lastPage.cpuMs, 2),
    `${f(x.lastPage.extra?.firstMs)} / ${f(x.lastPage.extra?.coldMs)}`,
    `${f(x.lastPage.extra?.jumpP50)} / ${f(x.lastPage.extra?.jumpP99)}`,
    f(x.addMember.p50),
    f(x.removeMember.p50),
    x.walk ? x.walk.totalSeconds.toFixed(1) : '–',
    x.walk ? `${f(x.walk.pageP50)} / ${f(x.walk.pageP99)}` : '–',
    x.walk ? `${mb(x.walk.rss.start)} / ${mb(x.walk.rss.peak)} / ${mb(x.walk.rss.end)}` : '–',
  ]);
  const title = `Scale (Postgres, Roster alone; seeded ${k(s.at[0].users)} in ${s.seedSeconds.toFixed(1)} s, grown to ${k(s.at[1].users)} users and a group of ${k(s.at[1].users)} members in ${s.growSeconds.toFixed(1)} s):`;
  if (markdown) {
    const md = (r: string[]) => `| ${r.join(' | ')} |`;
    return [title, '', md(head), md(head.map((_, i) => (i === 0 ? '---' : '---:'))), ...rows.map(md)].join('\n');
  }
  const all = [head, ...rows];
  const widths = head.map((_, i) => Math.max(...all.map((r) => r[i].length)));
  return [title, ...all.map((r) => `  ${r.map((c, i) => c.padStart(widths[i])).join('  ')}`)].join('\n');
}

export function walkText(results: DbResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    for (const [who, w] of Object.entries(r.walks)) {
      if (!w) continue;
      lines.push(
        `  [${r.db}] ${who}: ${w.pages} pages in ${w.totalSeconds.toFixed(1)} s; page p50 ${f(w.pageP50)} ms, p99 ${f(w.pageP99)} ms; ` +
          `first page ${f(w.firstPage)} ms, last page ${f(w.lastPage)} ms (×${(w.lastPage / w.firstPage).toFixed(2)}); ` +
          `RSS start ${mb(w.rss.start)}, peak ${mb(w.rss.peak)}, end ${mb(w.rss.end)}`,
      );
    }
  }
  return lines.join('\n');
}

/** The DESIGN.md §7 checks for one database. */
export function designChecks(db: Db, rows: Row[], walk?: Walk): Check[] {
  const checks: Check[] = [];
  const row = (s: string) => rows.find((r) => r.scenario.startsWith(s));
  const lookup = row('lookup');
  if (lookup?.ratio !== undefined) {
    checks.push({
      db,
      target: 'SCIM lookup ≥ 0.5 × the floor’s throughput',
      measured: `${f(lookup.roster.rps)} vs ${f(lookup.floor!.rps)} req/s = ${lookup.ratio.toFixed(2)}`,
      met: lookup.ratio >= 0.5,
    });
  }
  if (walk) {
    const x = walk.lastPage / walk.firstPage;
    checks.push({ db, target: 'last import page ≤ 2 × the first', measured: `${f(walk.firstPage)} → ${f(walk.lastPage)} ms = ×${x.toFixed(2)}`, met: x <= 2 });
    const growth = walk.rss.lateAvg - walk.rss.earlyPeak;
    checks.push({
      db,
      target: 'RSS flat during the import walk (mean of the last quarter ≤ 1.1 × the peak of the first quarter)',
      measured: `first-quarter peak ${mb(walk.rss.earlyPeak)}, last-quarter mean ${mb(walk.rss.lateAvg)} (${growth >= 0 ? '+' : ''}${mb(growth)}), peak ${mb(walk.rss.peak)}`,
      met: walk.rss.lateAvg <= 1.1 * walk.rss.earlyPeak,
    });
  }
  const big = row('PATCH add member, group of');
  const small = rows.filter((r) => r.scenario.startsWith('PATCH add member, group of'))[1];
  if (big && small) {
    const x = big.roster.p50 / small.roster.p50;
    checks.push({
      db,
      target: 'a membership change costs the same in a big group as in a group of 10 (p50 within ×1.5)',
      measured: `${f(big.roster.p50)} vs ${f(small.roster.p50)} ms = ×${x.toFixed(2)}`,
      met: x <= 1.5,
    });
  }
  return checks;
}

/** The import walk and memory as a markdown table. */
export function walkMarkdown(results: DbResult[]): string {
  const head = ['db', 'pages of 100', 'Roster total s', 'floor total s', 'Roster first page ms', 'Roster last page ms', 'last/first', 'floor first/last ms', 'Roster RSS start / peak / end'];
  const rows = results
    .filter((r) => r.walks.roster)
    .map((r) => {
      const w = r.walks.roster!;
      const fl = r.walks.floor;
      return [
        r.db,
        String(w.pages),
        w.totalSeconds.toFixed(1),
        fl ? fl.totalSeconds.toFixed(1) : '–',
        f(w.firstPage),
        f(w.lastPage),
        (w.lastPage / w.firstPage).toFixed(2),
        fl ? `${f(fl.firstPage)} / ${f(fl.lastPage)}` : '–',
        `${mb(w.rss.start)} / ${mb(w.rss.peak)} / ${mb(w.rss.end)}`,
      ];
    });
  const md = (r: string[]) => `| ${r.join(' | ')} |`;
  return [md(head), md(head.map((_, i) => (i === 0 ? '---' : '---:'))), ...rows.map(md)].join('\n');
}
