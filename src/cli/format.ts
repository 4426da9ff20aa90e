/** A date as people read it in a terminal: UTC, to the minute. */
export function shortDate(d: Date | null | undefined): string {
  return d ? `${d.toISOString().slice(0, 16).replace('T', ' ')}Z` : '-';
}

/** Lays rows out in left-aligned columns under a header. */
export function table(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join('  ');
  return [line(header), ...rows.map(line)];
}
