/**
 * Remembered positions in the default order of users and groups, so that Okta's import walk
 * (startIndex 1, 101, 201… with no filter) starts each page where the previous one ended instead
 * of walking every earlier row of the (created_at, id) index: that walk is O(startIndex), and a
 * PostgreSQL B-tree cannot answer "the key of row n" any other way. With these, each page of a
 * walk costs about what the first does, at 100,000 users or 1,000,000.
 *
 * A position says: on snapshot S, exactly `before` rows of the table came before the key. It still
 * holds on a later snapshot if no transaction that S did not see added, removed or moved a row at
 * or before the key. The trigger-kept table `row_count_deltas` records, per statement that added,
 * removed or moved rows, the writing transaction and the smallest key it touched, so the database itself answers that question in the
 * same statement that reads the page (see `POSITION_HOLDS`). A fold of that table, or a TRUNCATE,
 * voids every position. The same table gives the exact total of an unfiltered list on the
 * statement's own snapshot, instead of a count(*) of the whole table on every page.
 *
 * Positions live in this process only (a few per table, most recently used kept). Besides those a
 * walk leaves behind, a process keeps anchors (list-anchors.ts): positions every few thousand rows
 * through the whole table, read on one snapshot, so that a jump (a first request, a restarted
 * process, a page far from the last one) skips a few thousand index entries, not startIndex of them.
 */

/** A key of the (created_at, id) order: created_at as PostgreSQL prints it, so that it reads back exactly. */
export interface RowKey {
  createdAt: string;
  id: string;
}

/** On `snapshot`, exactly `before` rows come before `key`. */
export interface Position {
  before: number;
  key: RowKey;
  snapshot: string;
  /** one of a table's anchors (list-anchors.ts), not a position a walk left */
  anchor?: boolean;
}

/** Positions kept per table and database; a walk needs one, a few walks at once a few each. */
const MAX_POSITIONS = 32;

/** Per database (its ORM driver, so that test databases and replicas never share positions) and table. */
const remembered = new WeakMap<object, Map<string, Position[]>>();

/** Anchors per database and table: sorted by `before`, all read on one snapshot. */
const anchored = new WeakMap<object, Map<string, Position[]>>();

/** What positions did in this process, for /metrics. */
export const positionStats = { used: 0, refused: 0, anchorBuilds: 0, anchorsUsed: 0 };

function positionsOf(owner: object, table: string): Position[] {
  let tables = remembered.get(owner);
  if (!tables) remembered.set(owner, (tables = new Map<string, Position[]>()));
  let list = tables.get(table);
  if (!list) tables.set(table, (list = []));
  return list;
}

/** The remembered position or anchor closest before `offset` (the fewest rows left to skip), if any. */
export function nearestPosition(owner: object, table: string, offset: number): Position | undefined {
  let best = nearestAnchor(anchored.get(owner)?.get(table) ?? [], offset);
  for (const p of positionsOf(owner, table)) if (p.before <= offset && (!best || p.before > best.before)) best = p;
  return best;
}

/** The last anchor at or before `offset` (binary search: a table of ten million rows has thousands). */
function nearestAnchor(anchors: Position[], offset: number): Position | undefined {
  let lo = 0;
  let hi = anchors.length - 1;
  let found: Position | undefined;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (anchors[mid].before <= offset) {
      found = anchors[mid];
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return found;
}

/** Replaces a table's anchors (read on one snapshot, in any order). */
export function setAnchors(owner: object, table: string, anchors: Position[]): void {
  let tables = anchored.get(owner);
  if (!tables) anchored.set(owner, (tables = new Map<string, Position[]>()));
  tables.set(
    table,
    [...anchors].sort((a, b) => a.before - b.before),
  );
}

/** How many anchors a table has in this process. */
export function anchorCount(owner: object, table: string): number {
  return anchored.get(owner)?.get(table)?.length ?? 0;
}

/** Remembers positions read on one snapshot; the oldest are dropped past MAX_POSITIONS. */
export function rememberPositions(owner: object, table: string, found: Position[]): void {
  const list = positionsOf(owner, table);
  for (const p of found) {
    const same = list.findIndex((q) => q.before === p.before);
    if (same >= 0) list.splice(same, 1);
    list.push(p);
  }
  if (list.length > MAX_POSITIONS) list.splice(0, list.length - MAX_POSITIONS);
}

/**
 * Forgets every position and anchor of a table (one was refused: the others are most likely void
 * too; anchors share the snapshot, so a change before one of them voids all those after it).
 */
export function forgetPositions(owner: object, table: string): void {
  positionsOf(owner, table).length = 0;
  anchored.get(owner)?.delete(table);
}

/**
 * SQL that is true when a position still holds on the statement's snapshot; its values come from
 * positionHoldsValues. Three conditions:
 * - every transaction the remembered snapshot saw is seen now (a replica behind the one that served
 *   the remembered page, or a failover, would break this);
 * - no change that snapshot did not see touched a key at or before the remembered key;
 * - no fold since (a fold deletes the rows the second check reads).
 */
export const POSITION_HOLDS =
  `(pg_snapshot_xmax(?::pg_snapshot) <= pg_snapshot_xmax(pg_current_snapshot())` +
  ` and not exists (select 1 from pg_snapshot_xip(pg_current_snapshot()) x where pg_visible_in_snapshot(x, ?::pg_snapshot))` +
  ` and not exists (select 1 from row_count_deltas d where d.resource = ? and d.txid >= pg_snapshot_xmin(?::pg_snapshot)` +
  ` and not pg_visible_in_snapshot(d.txid, ?::pg_snapshot) and (d.folded or (d.first_created_at, d.first_id) <= (?::timestamptz, ?::uuid))))`;

/** Values for POSITION_HOLDS, in its order. */
export const positionHoldsValues = (table: string, p: Position): unknown[] => [p.snapshot, p.snapshot, table, p.snapshot, p.snapshot, p.key.createdAt, p.key.id];

/** SQL for the exact number of rows of an unfiltered table on the statement's snapshot; one value, the table. */
export const ROW_TOTAL = `(select coalesce(sum(d.change), 0) from row_count_deltas d where d.resource = ?)::int`;
