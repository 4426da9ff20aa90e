import type { SqlEntityManager } from '@mikro-orm/sql';
import { anchorCount, positionStats, setAnchors, type Position } from './list-positions.js';
import { frag, type SqlFragment } from './sql/fragment.js';
import { runSql } from './sql/run.js';

/**
 * Anchors: a position every `step` rows of a table's default order, all read on one snapshot, kept
 * in this process with the walk's own positions (list-positions.ts) and checked the same way before
 * each use. A page far from every remembered position (a restarted process's first page of a walk,
 * a client jumping to the last page) then starts from the anchor before it and skips fewer than
 * `step` index entries, instead of walking the index from its start: O(startIndex) becomes
 * O(step), at any size of the table.
 *
 * Building them walks the whole index once (a recursive statement that seeks from one anchor to
 * the next: about 80 ms for 1,000,000 rows on PostgreSQL, about the cost of ONE jump to the end
 * without them). A process builds them when it starts (`prewarmAnchors`), and again when a jump
 * finds none because a change before them voided them: in the background, never twice at once, at
 * most once per `rebuildAfterMs` per table (a run of deletes of old users voids them on every
 * delete; the walk's own positions still serve the pages in between).
 */
export const anchorSettings = {
  /** rows between two anchors: the most a jump skips in the index */
  step: 2000,
  /** least time between two builds of one table's anchors */
  rebuildAfterMs: 10_000,
  /** hears a build that failed (the pages go on without anchors); the server logs it */
  onError: (_err: unknown): void => {},
};

interface BuildState {
  running?: Promise<void>;
  startedAt: number;
}

const builds = new WeakMap<object, Map<string, BuildState>>();

function stateOf(owner: object, table: string): BuildState {
  let tables = builds.get(owner);
  if (!tables) builds.set(owner, (tables = new Map<string, BuildState>()));
  let s = tables.get(table);
  if (!s) tables.set(table, (s = { startedAt: -Infinity }));
  return s;
}

/**
 * Every `step`-th key of the (created_at, id) order with its row number, on the statement's one
 * snapshot: each step seeks from the previous anchor and skips `step` entries of the index.
 */
function anchorsQuery(table: string, step: number): SqlFragment {
  return frag(
    `with recursive a (before, created_at, id) as (` +
      `(select 0::bigint, k.created_at, k.id from ${table} k order by k.created_at, k.id limit 1) ` +
      `union all select a.before + ?, n.created_at, n.id from a cross join lateral ` +
      `(select k.created_at, k.id from ${table} k where (k.created_at, k.id) >= (a.created_at, a.id) order by k.created_at, k.id offset ? limit 1) n) ` +
      `select a.before, a.created_at::text as created_at, a.id, (select pg_current_snapshot()::text) as snapshot from a where a.before > 0`,
    [step, step],
  );
}

/** Reads a table's anchors and keeps them; answers how many there are. */
export async function buildAnchors(em: SqlEntityManager, table: string): Promise<number> {
  const rows = await runSql<{ before: string | number; created_at: string; id: string; snapshot: string }>(em, anchorsQuery(table, anchorSettings.step));
  const anchors: Position[] = rows.map((r) => ({ before: Number(r.before), key: { createdAt: String(r.created_at), id: String(r.id) }, snapshot: String(r.snapshot), anchor: true }));
  setAnchors(em.getDriver(), table, anchors);
  positionStats.anchorBuilds++;
  return anchors.length;
}

/** The build of a table's anchors under way in this process, if any. */
export function anchorsBuilding(owner: object, table: string): Promise<void> | undefined {
  return builds.get(owner)?.get(table)?.running;
}

/**
 * Starts a build of a table's anchors unless one is under way, the table has some, or the last
 * started less than `rebuildAfterMs` ago. `em` should be a unit of work of its own (the build may
 * outlive the request that asked for it). Never rejects: a failed build is reported to `onError`
 * and the pages go on walking the index as they would without anchors.
 */
export function requestAnchors(em: SqlEntityManager, table: string, onError: (err: unknown) => void = () => {}): Promise<void> | undefined {
  const owner = em.getDriver();
  const s = stateOf(owner, table);
  if (s.running) return s.running;
  if (anchorCount(owner, table) > 0 || Date.now() - s.startedAt < anchorSettings.rebuildAfterMs) return undefined;
  s.startedAt = Date.now();
  const running = buildAnchors(em, table).then(
    () => undefined,
    (err: unknown) => onError(err),
  );
  s.running = running.finally(() => {
    s.running = undefined;
  });
  return s.running;
}

/** Builds the anchors of every listed table at a process's start, so that its first jump is already cheap. */
export function prewarmAnchors(fork: () => SqlEntityManager, tables: string[], onError: (err: unknown) => void): Promise<void> {
  return Promise.all(tables.map((t) => requestAnchors(fork(), t, onError) ?? Promise.resolve())).then(() => undefined);
}
