import { newTimeOrderedId } from '../domain/ids.js';
import type Koa from 'koa';
import type { Logger } from 'pino';
import type { Principal } from '../auth/principal.js';
import type { ScimRequestRecord } from '../persistence/scim-requests/scim-request-store.js';
import type { Store } from '../persistence/store.js';

/** Rows kept per IdP: the newest. */
export const SCIM_REQUESTS_PER_IDP = 100;
/** How often at most the buffer is written. */
export const SCIM_REQUEST_FLUSH_MS = 1000;
/** Most entries buffered between flushes: beyond, the oldest are dropped (only the newest 100 per IdP are kept anyway). */
const MAX_BUFFERED = 10_000;
const MAX_PATH = 512;

/** One SCIM request, as the recorder reports it. */
export interface ScimRequestEntry {
  idp: string;
  /** when the request arrived */
  at: Date;
  method: string;
  /** path and query string */
  path: string;
  status: number;
  durationMs: number;
}

/** Text the database takes whatever the client sent: no NUL, no lone surrogate (jsonb refuses both), at most `max` characters. */
const clean = (s: string, max: number): string => s.replaceAll('\u0000', '').slice(0, max).toWellFormed();

/** The last `keep` entries of each IdP, in their order. */
function newestPerIdp<T extends { idp: string }>(entries: T[], keep: number): T[] {
  const seen = new Map<string, number>();
  const kept: T[] = [];
  for (let i = entries.length - 1; i >= 0; i--) {
    const n = seen.get(entries[i].idp) ?? 0;
    if (n >= keep) continue;
    seen.set(entries[i].idp, n + 1);
    kept.push(entries[i]);
  }
  return kept.reverse();
}

/**
 * The recent SCIM requests of each IdP, for the admin console ("did Okta's test reach Roster?").
 * Entries are buffered in memory and written in ONE multi-row statement at most once a second (and
 * on close), which also prunes each IdP to its newest SCIM_REQUESTS_PER_IDP rows: the SCIM hot path
 * gets no statement of its own. A batch that fails is logged and dropped: these rows are
 * diagnostics, and losing some is better than failing (or crashing) anything that serves IdPs.
 */
export class ScimRequestLog {
  private static readonly open = new WeakMap<object, ScimRequestLog>();

  /** The open log writing through `source` (a Database): how tests reach the app's log to flush it. */
  static of(source: object): ScimRequestLog | undefined {
    return ScimRequestLog.open.get(source);
  }

  /** entries without their ids: an id is made at the flush, for the entries it keeps (the newest 100 per IdP) */
  private buffer: Omit<ScimRequestRecord, 'id'>[] = [];
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(
    private readonly source: { store(): Store },
    private readonly logger: Logger,
    private readonly intervalMs = SCIM_REQUEST_FLUSH_MS,
  ) {
    ScimRequestLog.open.set(source, this);
  }

  /** Buffers one request; a flush follows within intervalMs. Never throws, never waits. */
  record(e: ScimRequestEntry): void {
    if (this.closed) return;
    // Made storable at the flush, for the entries it keeps; cut here only to bound the buffer.
    this.buffer.push({ idp: e.idp, at: e.at, method: e.method, path: e.path.length > 4 * MAX_PATH ? e.path.slice(0, 4 * MAX_PATH) : e.path, status: e.status, durationMs: e.durationMs });
    // Trimmed in one go once it holds twice the cap: trimming one entry per request moved the
    // whole array on every request of a busy second (1.4 % of a lookup's CPU).
    if (this.buffer.length >= 2 * MAX_BUFFERED) this.buffer.splice(0, this.buffer.length - MAX_BUFFERED);
    if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.flush();
      }, this.intervalMs);
      // A pending flush never keeps the process alive; close() writes what is left.
      this.timer.unref();
    }
  }

  /** Writes what is buffered now (after any write under way). Resolves even when the write fails. */
  flush(): Promise<void> {
    this.writing = this.writing.then(() => this.write());
    return this.writing;
  }

  /** Stops recording and writes what is left. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
    if (ScimRequestLog.open.get(this.source) === this) ScimRequestLog.open.delete(this.source);
  }

  /** Never rejects: flush() is also called from a timer, where a rejection would end the process. */
  private async write(): Promise<void> {
    const taken = this.buffer.splice(0);
    if (taken.length === 0) return;
    try {
      // Ids in the buffer's order (the order requests finished), from each one's arrival time.
      const kept = newestPerIdp(taken, SCIM_REQUESTS_PER_IDP).map((e) => ({
        id: newTimeOrderedId(e.at.getTime()),
        idp: clean(e.idp, 64),
        at: e.at,
        method: clean(e.method, 8),
        path: clean(e.path, MAX_PATH),
        status: Math.trunc(e.status),
        durationMs: Math.max(0, Math.round(e.durationMs)),
      }));
      await this.source.store().scimRequests.append(kept, SCIM_REQUESTS_PER_IDP);
    } catch (err) {
      // Dropped on purpose: a diagnostic row is not worth a retry queue, and never worth a crash.
      try {
        this.logger.warn({ err, dropped: taken.length }, 'could not record recent SCIM requests; this batch is dropped');
      } catch {
        // nothing more to do
      }
    }
  }
}

/**
 * Records every SCIM request that an IdP's token made (ctx.state.scimPrincipal, set by the SCIM
 * facade's authenticate). Refused credentials (401) name no IdP and are not recorded; nor are the
 * console's read-only calls, whose principal serves no IdP. Given to the SCIM facade as its `around` middleware.
 */
export function scimRequestRecorder(log: ScimRequestLog): Koa.Middleware {
  return async (ctx, next) => {
    const at = new Date();
    const start = performance.now();
    let thrown: number | undefined;
    try {
      await next();
    } catch (err) {
      thrown = (err as { status?: number }).status ?? 500;
      throw err;
    } finally {
      const idp = (ctx.state.scimPrincipal as Principal | undefined)?.idp;
      if (idp) log.record({ idp, at, method: ctx.method, path: ctx.originalUrl, status: thrown ?? ctx.status, durationMs: performance.now() - start });
    }
  };
}
