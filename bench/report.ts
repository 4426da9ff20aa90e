import type { Measure, Walk } from './scenarios.js';

export type Db = 'embedded' | 'postgres';

/** One line of the table: the same scenario on Roster and on the floor. */
export interface Row {
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

/** A target of DESIGN.md §7, checked. */
export interface Check {
  db: Db;
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
  profiles?: string[];
  /** seconds each server took from SIGTERM to exit */
  shutdown?: { roster?: number; floor?: number };
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

export function checksText(results: DbResult[], markdown = false): string {
  const lines: string[] = [];
  for (const r of results) {
    for (const c of r.checks) lines.push(`${markdown ? '- ' : '  '}${c.met ? '✔' : '✘'} [${c.db}] ${c.target}: ${c.measured}`);
  }
  return lines.join('\n');
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
