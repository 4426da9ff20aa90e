import type { SqlEntityManager } from '@mikro-orm/sql';
import { frag } from '../sql/fragment.js';
import { runSql } from '../sql/run.js';

/** One SCIM request of an IdP's token, as recorded. */
export interface ScimRequestRecord {
  id: string;
  idp: string;
  /** when the request arrived */
  at: Date;
  method: string;
  /** path and query string */
  path: string;
  status: number;
  durationMs: number;
}

type Row = Record<string, unknown>;
const date = (v: unknown): Date => (v instanceof Date ? v : new Date(String(v)));

const toRecord = (r: Row): ScimRequestRecord => ({
  id: String(r.id),
  idp: String(r.idp),
  at: date(r.at),
  method: String(r.method),
  path: String(r.path),
  status: Number(r.status),
  durationMs: Number(r.duration_ms),
});

/** The recent SCIM requests per IdP (table scim_requests). */
export class ScimRequestStore {
  constructor(private readonly em: SqlEntityManager) {}

  /**
   * Inserts a batch and prunes each IdP of the batch to its newest `keep` rows, in ONE statement:
   * the rows travel as one JSON parameter. A data-modifying CTE does not see its own inserts, so
   * the old rows of an IdP are cut to `keep` minus the rows it has in the batch; the batch must
   * hold at most `keep` rows per IdP (the caller trims it) and be newer than what is stored.
   */
  async append(rows: readonly ScimRequestRecord[], keep: number): Promise<void> {
    if (rows.length === 0) return;
    const json = rows.map((r) => ({ id: r.id, idp: r.idp, at: r.at.toISOString(), method: r.method, path: r.path, status: r.status, duration_ms: r.durationMs }));
    await runSql(
      this.em,
      frag(
        `with batch as (
           select * from jsonb_to_recordset(?::jsonb) as x(id uuid, idp text, at timestamptz, method text, path text, status int, duration_ms int)
         ), inserted as (
           insert into scim_requests (id, idp, at, method, path, status, duration_ms)
           select id, idp, at, method, path, status, duration_ms from batch
         ), counts as (
           select idp, count(*) as n from batch group by idp
         ), ranked as (
           select s.id, s.idp, row_number() over (partition by s.idp order by s.at desc, s.id desc) as rn
           from scim_requests s where s.idp in (select idp from counts)
         )
         delete from scim_requests d using ranked r, counts c
         where d.id = r.id and c.idp = r.idp and r.rn > ?::int - c.n`,
        [json, keep],
      ),
    );
  }

  /** The newest `first` requests of one IdP, newest first. */
  async recent(idp: string, first: number): Promise<ScimRequestRecord[]> {
    const rows = await runSql(this.em, frag('select id, idp, at, method, path, status, duration_ms from scim_requests where idp = ? order by at desc, id desc limit ?', [idp, first]));
    return rows.map(toRecord);
  }

  /** When each of these IdPs last made a recorded request (absent: none recorded), in one statement. */
  async lastAt(idps: readonly string[]): Promise<Map<string, Date>> {
    if (idps.length === 0) return new Map();
    const rows = await runSql(this.em, frag('select idp, max(at) as at from scim_requests where idp in (select jsonb_array_elements_text(?::jsonb)) group by idp', [idps]));
    return new Map(rows.map((r) => [String(r.idp), date(r.at)]));
  }
}
