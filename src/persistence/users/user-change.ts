import type { EntityProperty } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/sql';
import type { UserAnswer } from '../../domain/users/user-record.js';
import type { AuditWrite } from '../audit/audit-log.js';
import { AuditEvent } from '../entities/audit-event.entity.js';
import { User } from '../entities/user.entity.js';
import { sendable } from '../sql/fragment.js';
import { insertParts, type InsertParts } from '../sql/insert.js';
import { runSql } from '../sql/run.js';
import { userColumns, userFromRow, userGroupsColumn } from './user-rows.js';

/** One attribute a write sets (its new value), with the label the audit event names it by when it changes. */
export interface UserTarget {
  /** the entity property */
  prop: string;
  label: string;
  value: unknown;
}

/**
 * One write of a user by its owner, as the domain has checked it: the attributes it sets, in the
 * order the audit event lists them (a replace names every writable one, an update those given).
 */
export interface UserChange {
  id: string;
  /** the source the caller owns: the write applies only to a user with this source */
  owner: string;
  expectedVersion: number | null;
  targets: readonly UserTarget[];
  /** the lower-cased email values, when the emails are a target */
  emailIndex?: string[];
  /** a new password hash; null clears the password; undefined keeps it */
  passwordHash?: string | null;
  /** the reason to end the user's live sessions with when this write deactivates it */
  endSessions?: string;
  /** whether the answer carries the user's groups (read in the same statement) */
  withGroups: boolean;
  /** whether the answer is the user's id and version alone: the statement returns no other column */
  stampOnly: boolean;
  updatedAt: Date;
}

/**
 * What came of it. `refused`: the statement wrote nothing because the user is missing, has another
 * source or another version than expected, or a value cannot be sent at all; the locking path knows
 * which and says so, in its order. `raced`: another write changed the user between this
 * statement's snapshot and its update; nothing was written.
 */
export type UserChangeOutcome = { outcome: 'written' | 'unchanged'; user: UserAnswer } | { outcome: 'refused' | 'raced' };

/** Labels are written into the SQL text: only the domain's own constants, never a caller's string. */
const LABEL = /^[A-Za-z][A-Za-z0-9.]*$/;

/** The column of a property a change may set, and the type its new value is bound as. */
function columnOf(em: SqlEntityManager, prop: string): { column: string; cast: 'text' | 'boolean' | 'jsonb' } {
  const p = em.getMetadata().get(User).properties[prop as never] as EntityProperty | undefined;
  const type = String(p?.columnTypes?.[0] ?? '').toLowerCase();
  if (!p || p.persist === false || p.fieldNames?.length !== 1 || p.primary || p.version) throw new Error(`User.${prop} is not a column a change sets`);
  // citext (userName) is compared as text: a change of case is a change.
  const cast = type.startsWith('json') ? 'jsonb' : type === 'boolean' ? 'boolean' : type === 'text' || type === 'citext' ? 'text' : null;
  if (!cast) throw new Error(`User.${prop} has a column type a change cannot set: ${type}`);
  return { column: p.fieldNames[0], cast };
}

/** A binding's value, taken from the change and its audit row's insert parts. */
type Get = (c: UserChange, audit: InsertParts) => unknown;

/** A statement's text and how to take its bindings, per shape of change. */
interface Compiled {
  sql: string;
  gets: Get[];
}

/** Most statement shapes kept (a push sends a few; GraphQL updates of any subset of attributes could make many). */
const MAX_SHAPES = 256;
const compiled = new Map<string, Compiled>();

/**
 * The change, the version bump, the audit event and (on a deactivation) the end of the user's
 * sessions in ONE statement (data-modifying CTEs: atomic by themselves), answered from its own
 * rows: nothing is read before or after it. Every decision is taken on the statement's snapshot:
 * which attributes differ (`is distinct from`: jsonb compares objects whatever the order of their
 * keys, as the domain's canonical JSON does), whether anything changes at all (a no-op writes
 * nothing and answers with the snapshot). The update holds only if the user still has the
 * snapshot's version and the caller's source: a concurrent writer makes it match no row after
 * waiting for that writer, and then the audit and session CTEs, which join its result, write
 * nothing either.
 */
export async function changeUserWithAudit(em: SqlEntityManager, c: UserChange, audit: Omit<AuditWrite, 'changed'> & { id: string; at: Date }): Promise<UserChangeOutcome> {
  const a = insertParts(em, AuditEvent, { ...audit, changed: undefined });
  const shape = JSON.stringify([
    c.targets.map((t) => `${t.prop}:${t.label}`),
    c.expectedVersion != null,
    c.emailIndex !== undefined,
    c.passwordHash === undefined ? 'keep' : c.passwordHash === null ? 'clear' : 'set',
    c.endSessions !== undefined,
    c.withGroups,
    c.stampOnly,
    a.columns,
  ]);
  let statement = compiled.get(shape);
  if (!statement) {
    statement = compile(em, c, a);
    if (compiled.size < MAX_SHAPES) compiled.set(shape, statement);
  }
  const bindings = statement.gets.map((get) => get(c, a));
  // A value the driver would refuse (U+0000, an unpaired surrogate) is the locking path's to report,
  // after a missing user (404) and another owner's (refusal), as before.
  if (!bindings.every(sendable)) return { outcome: 'refused' };
  // A push's statements are a few texts (a PUT sets every attribute, a deactivation one): prepared
  // once per connection on Postgres, not planned again on every request.
  const rows = await runSql(em, { sql: statement.sql, bindings }, { prepare: true });
  const answer = (row: Record<string, unknown>): UserAnswer => (c.stampOnly ? { id: String(row.id), version: Number(row.version) } : userFromRow(em, row));
  const written = rows.find((r) => r.outcome === 'written');
  if (written) return { outcome: 'written', user: answer(written) };
  const snapshot = rows[0];
  if (!snapshot) return { outcome: 'refused' };
  if (!snapshot.changes) return { outcome: 'unchanged', user: answer(snapshot) };
  return { outcome: 'raced' };
}

/**
 * The statement for changes of this shape: its text, and for each `?` in it the way to take its
 * value from a change (so that the text is built once per shape, and the bindings stay in the
 * order the text names them).
 */
function compile(em: SqlEntityManager, shape: UserChange, audit: InsertParts): Compiled {
  const cols = userColumns(em);
  // What the answer reads of the user: every column, or (a caller that wants only the stamp) its id
  // and version, so that no other column is returned, sent, parsed or mapped.
  const answered = (alias: string) => (shape.stampOnly ? `${alias}.id, ${alias}.version` : cols.select(alias));
  const targets = shape.targets.map((t, i) => {
    if (!LABEL.test(t.label)) throw new Error(`not an attribute label: ${t.label}`);
    return { ...t, ...columnOf(em, t.prop), i, v: `v${i}`, d: `d${i}` };
  });
  const emailsTargeted = shape.emailIndex !== undefined && targets.some((t) => t.prop === 'emails');
  const pinned = shape.expectedVersion != null;
  const password = shape.passwordHash === undefined ? 'keep' : shape.passwordHash === null ? 'clear' : 'set';
  const f = (sql: string, gets: Get[] = []) => ({ sql, gets });

  // The snapshot: the whole user, or for a stamp what the statement compares and answers with.
  const snapshot = shape.stampOnly ? [...new Set(['id', 'version', 'active', ...targets.map((t) => t.column)])].map((c) => `u.${c}`).join(', ') : cols.select('u');
  const ctes = [
    f(`u0 as (select ${snapshot}, u.password_hash is not null as had_password from users u where u.id = ? and u.source = ?${pinned ? ' and u.version = ?' : ''})`, [
      (c) => c.id,
      (c) => c.owner,
      ...(pinned ? [(c: UserChange) => c.expectedVersion] : []),
    ]),
  ];
  // The new values, each bound once.
  const values = targets.map((t) => f(`?::${t.cast} as ${t.v}`, [(c) => c.targets[t.i].value]));
  if (emailsTargeted) values.push(f('array(select jsonb_array_elements_text(?::jsonb)) as email_index', [(c) => c.emailIndex]));
  ctes.push(
    f(
      `n as (select ${values.length ? values.map((v) => v.sql).join(', ') : '1 as nothing'})`,
      values.flatMap((v) => v.gets),
    ),
  );

  // Which attributes differ, and the audit event's list of them in the domain's order; the password
  // last (a new hash always changes it; clearing it changes it only if there was one).
  const labels = targets.map((t) => `case when x.${t.d} then '${t.label}' end`);
  if (password !== 'keep') labels.push(password === 'clear' ? `case when x.had_password then 'password' end` : `'password'`);
  const diffs = targets.map((t) => `u0.${t.column}::${t.cast} is distinct from n.${t.v} as ${t.d}`);
  ctes.push(
    f(
      `chg as (select x.*, array_remove(array[null${labels.map((l) => `, ${l}`).join('')}]::text[], null) as changed ` +
        `from (select u0.version, u0.active as was_active, u0.had_password${diffs.map((d) => `, ${d}`).join('')} from u0 cross join n) x)`,
    ),
  );

  // Only the columns that differ take their new value; the others keep theirs.
  const sets = targets.map((t) => f(`${t.column} = case when chg.${t.d} then n.${t.v} else u.${t.column}::${t.cast} end`));
  if (emailsTargeted) sets.push(f('email_index = n.email_index'));
  if (password !== 'keep') sets.push(f('password_hash = ?', [(c) => c.passwordHash]));
  sets.push(f('updated_at = ?', [(c) => c.updatedAt]), f('version = u.version + 1'));
  ctes.push(
    f(
      `upd as (update users u set ${sets.map((s) => s.sql).join(', ')} from chg cross join n ` +
        `where u.id = ? and u.source = ? and u.version = chg.version and cardinality(chg.changed) > 0 returning ${answered('u')}${shape.stampOnly ? ', u.active' : ''}, chg.changed, chg.was_active)`,
      [...sets.flatMap((s) => s.gets), (c) => c.id, (c) => c.owner],
    ),
  );
  // A deactivated user's sessions end with the write (SCIM deactivation is how an IdP signs someone out for good).
  if (shape.endSessions !== undefined) {
    ctes.push(
      f('s as (update sessions set ended_at = now(), end_reason = ? where user_id = (select id from upd where upd.was_active and not upd.active) and ended_at is null)', [(c) => c.endSessions]),
    );
  }
  ctes.push(
    f(
      `aud as (insert into ${audit.table} (${audit.columns.join(', ')}, changed) select ${audit.placeholders.join(', ')}, upd.changed from upd)`,
      audit.bindings.map((_, j) => (_c: UserChange, a: InsertParts) => a.bindings[j]),
    ),
  );
  // One row: the written one, else the snapshot (the user as it is, or a sign of a race); with the
  // user's groups as of the snapshot (this write changes no membership) when the caller answers
  // with them.
  const rows =
    `select 'written' as outcome, true as changes, ${answered('u')} from upd u` +
    ` union all select 'snapshot', coalesce(cardinality(chg.changed) > 0, false), ${answered('u')} from u0 u left join chg on true where not exists (select 1 from upd)`;
  return {
    sql: `with ${ctes.map((x) => x.sql).join(', ')} select r.*${shape.withGroups && !shape.stampOnly ? `, ${userGroupsColumn(em)}` : ''} from (${rows}) r`,
    gets: ctes.flatMap((x) => x.gets),
  };
}
