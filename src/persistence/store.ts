import { ForeignKeyConstraintViolationException, OptimisticLockError, UniqueConstraintViolationException } from '@mikro-orm/core';
import type { SqlEntityManager } from '@mikro-orm/sql';
import { DatabaseTimeout, InvalidValue, Uniqueness, VersionMismatch } from '../domain/errors/domain-errors.js';
import { AuditLog } from './audit/audit-log.js';
import { CredentialReads, CredentialWrites } from './credentials/credential-store.js';
import { GroupReads } from './groups/group-reads.js';
import { GroupWrites } from './groups/group-writes.js';
import { frag, NUL_MESSAGE } from './sql/fragment.js';
import { isNulRejection, isStatementTimeout, runSql } from './sql/run.js';
import { UserReads } from './users/user-reads.js';
import { UserWrites } from './users/user-writes.js';
import { User } from './entities/user.entity.js';
import { userFromEntity } from './users/user-rows.js';
import type { UserRecord } from '../domain/users/user-record.js';
import { SsoReads, SsoWrites, touchSession } from './sso/sso-store.js';
import { ScimRequestStore } from './scim-requests/scim-request-store.js';
import { recountRows, type Recount } from './row-counts.js';
import { resourceTable } from './filter/attribute-table.js';
import { anchorSettings, prewarmAnchors } from './list-anchors.js';

/** What one transaction may do; everything it writes commits or rolls back together. */
export class Tx {
  readonly users: UserWrites;
  readonly groups: GroupWrites;
  readonly credentials: CredentialWrites;
  readonly audit: AuditLog;
  readonly sso: SsoWrites;
  /** reads that see this transaction's own writes */
  readonly read: { users: UserReads; groups: GroupReads; sso: SsoReads };

  constructor(private readonly em: SqlEntityManager) {
    this.users = new UserWrites(em);
    this.groups = new GroupWrites(em);
    this.credentials = new CredentialWrites(em);
    this.audit = new AuditLog(em);
    this.sso = new SsoWrites(em);
    this.read = { users: new UserReads(em), groups: new GroupReads(em), sso: new SsoReads(em) };
  }

  /** Writes pending entity changes now. */
  flush(): Promise<void> {
    return this.em.flush();
  }

  /** channels notified in this transaction, announced in this process too once it commits */
  readonly notified = new Set<string>();

  /** NOTIFY on commit (NOTIFY is transactional): other processes hear it only if the change lands. */
  async notify(channel: string): Promise<void> {
    await runSql(this.em, frag('select pg_notify(?, ?)', [channel, '']));
    this.notified.add(channel);
  }
}

/**
 * The way to the database for one request (or one CLI command): reads by aggregate, and
 * transactions. Nothing above this layer sees the ORM or SQL.
 */
export class Store {
  private forked?: SqlEntityManager;
  private userReads?: UserReads;
  private groupReads?: GroupReads;
  private credentialReads?: CredentialReads;
  private auditLog?: AuditLog;
  private ssoReads?: SsoReads;
  private scimRequestStore?: ScimRequestStore;

  /**
   * @param own the request's own entity manager, or how to make it: it is made on first use, so a
   * request that only reads users and groups never forks one (a fork cost 2 % of a lookup's CPU).
   * @param onCommit hears this process's own notifications synchronously, before the writer's caller does.
   * @param sharedPlain an entity manager every request may share for what runs plain SQL outside
   * any transaction and never touches an identity map: user and group reads, and single-statement
   * writes (a sequential PATCH then forks nothing: MikroORM's fork writes process.env twice).
   */
  constructor(
    private readonly own: SqlEntityManager | (() => SqlEntityManager),
    private readonly onCommit: (channel: string) => void = () => undefined,
    private readonly sharedPlain?: SqlEntityManager,
  ) {}

  private get em(): SqlEntityManager {
    return (this.forked ??= typeof this.own === 'function' ? this.own() : this.own);
  }

  /** For plain SQL outside a transaction (metadata only, no identity map): see `sharedPlain`. */
  private get plain(): SqlEntityManager {
    return this.sharedPlain ?? this.em;
  }

  get users(): UserReads {
    return (this.userReads ??= new UserReads(this.plain));
  }

  get groups(): GroupReads {
    return (this.groupReads ??= new GroupReads(this.plain));
  }

  get credentials(): CredentialReads {
    return (this.credentialReads ??= new CredentialReads(this.em));
  }

  get audit(): AuditLog {
    return (this.auditLog ??= new AuditLog(this.em));
  }

  get sso(): SsoReads {
    return (this.ssoReads ??= new SsoReads(this.em));
  }

  /** recent SCIM requests per IdP (diagnostics; written in batches outside any transaction) */
  get scimRequests(): ScimRequestStore {
    return (this.scimRequestStore ??= new ScimRequestStore(this.em));
  }

  /** A detached new user with the entity's defaults (version 1, as the column's default), for a single-statement create. */
  draftUser(data: { id: string; userName: string; source: string }): User {
    const user = Object.assign(new User(), data);
    user.version = 1;
    return user;
  }

  /** The record of a user the caller has just written, as a read would return it (a new user: no groups). */
  userRecordOf(user: User): UserRecord {
    return userFromEntity(this.plain, user, []);
  }

  /**
   * Builds the list anchors of users and groups (list-anchors.ts) in the background, so that a
   * process's first jump into a long list (a walk resumed after a restart) is as cheap as the next.
   */
  prewarmListAnchors(): Promise<void> {
    return prewarmAnchors(() => this.em.fork(), Object.values(resourceTable), anchorSettings.onError);
  }

  /** Marks a session seen now (outside any transaction). */
  touchSession(id: string): Promise<void> {
    return touchSession(this.em, id);
  }

  /**
   * Runs `fn` in one transaction and turns the database's verdicts into domain errors: the unique
   * constraint decides concurrent creates, and the version column decides concurrent updates.
   */
  async transaction<T>(fn: (tx: Tx) => Promise<T>, uniqueMessage?: (constraint: string) => string): Promise<T> {
    let tx: Tx | undefined;
    let result: T;
    try {
      result = await this.em.transactional((em) => fn((tx = new Tx(em))));
    } catch (err) {
      throw writeError(err, uniqueMessage);
    }
    // Committed: this process hears its own notifications now, before the caller goes on (the
    // LISTEN feed would bring them a moment later, after a request could use a stale cache).
    for (const channel of tx?.notified ?? []) this.onCommit(channel);
    return result;
  }

  /**
   * A write that is one statement, atomic by itself (no BEGIN/COMMIT round trips), with the same
   * mapping of the database's verdicts as `transaction`.
   */
  async singleStatement<T>(fn: (w: { users: UserWrites; groups: GroupWrites }) => Promise<T>, uniqueMessage?: (constraint: string) => string): Promise<T> {
    try {
      return await fn({ users: new UserWrites(this.plain), groups: new GroupWrites(this.plain) });
    } catch (err) {
      throw writeError(err, uniqueMessage);
    }
  }

  /** The server's current WAL position (`16/B374D848`), to measure how far a replica is behind. */
  async walPosition(): Promise<string> {
    const [row] = await runSql<{ lsn: string }>(this.em, frag('select pg_current_wal_lsn()::text as lsn'));
    return row.lsn;
  }

  /** Whether the server is a standby, and the WAL position it has replayed (null on a primary). */
  async replayState(): Promise<{ standby: boolean; lsn: string | null }> {
    const [row] = await runSql<{ standby: boolean; lsn: string | null }>(this.em, frag('select pg_is_in_recovery() as standby, pg_last_wal_replay_lsn()::text as lsn'));
    return row;
  }

  /** Rebuilds the counts behind unfiltered list totals from count(*) (row-counts.ts). */
  recountRows(): Promise<Recount[]> {
    return recountRows(this.em);
  }

  /** A trivial round trip: the database answers. */
  async ping(): Promise<void> {
    await runSql(this.em, frag('select 1'));
  }
}

/** The domain error a failed write means, or the error itself when it means none. */
function writeError(err: unknown, uniqueMessage?: (constraint: string) => string): unknown {
  // Entity writes reach the driver without runSql: the same refusal of U+0000 is mapped here.
  if (isNulRejection(err)) return new InvalidValue(NUL_MESSAGE);
  if (isStatementTimeout(err)) return new DatabaseTimeout();
  if (err instanceof UniqueConstraintViolationException) {
    const constraint = /unique constraint "([^"]+)"/.exec(err.message)?.[1] ?? '';
    return new Uniqueness(uniqueMessage?.(constraint) ?? 'A unique value is already taken.');
  }
  if (err instanceof OptimisticLockError) return new VersionMismatch(-1);
  // The membership trigger's refusal: a member deleted while the write that adds it was under way
  // (the services' own check, on an earlier snapshot, still saw it). Said as that check says it.
  const missing = err instanceof ForeignKeyConstraintViolationException ? /member ([0-9a-f-]{36}) does not exist/.exec(err.message)?.[1] : undefined;
  if (missing) return new InvalidValue(`Member ${JSON.stringify(missing)} does not exist.`);
  return err;
}
