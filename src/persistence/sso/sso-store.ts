import type { SqlEntityManager } from '@mikro-orm/sql';
import type { SamlConnectionRecord, SamlRoleMapping, SessionRecord, SessionRole } from '../../domain/sso/sso-records.js';
import { isUuid } from '../../domain/ids.js';
import { frag } from '../sql/fragment.js';
import { runSql } from '../sql/run.js';

type Row = Record<string, unknown>;

const date = (v: unknown): Date => (v instanceof Date ? v : new Date(String(v)));
const json = <T>(v: unknown): T => (typeof v === 'string' ? (JSON.parse(v) as T) : (v as T));

const toConnection = (r: Row): SamlConnectionRecord => ({
  idp: String(r.idp),
  entityId: String(r.entity_id),
  ssoUrl: String(r.sso_url),
  ssoBinding: r.sso_binding as SamlConnectionRecord['ssoBinding'],
  certificates: json<string[]>(r.certificates),
  wantResponseSigned: r.want_response_signed === true,
  jitProvisioning: r.jit_provisioning === true,
  matchEmail: r.match_email === true,
  isDefault: r.is_default === true,
  roleMappings: json<SamlRoleMapping[]>(r.role_mappings),
  createdAt: date(r.created_at),
  updatedAt: date(r.updated_at),
});

const toSession = (r: Row): SessionRecord => ({
  id: String(r.id),
  userId: (r.user_id as string | null) ?? null,
  credentialId: (r.credential_id as string | null) ?? null,
  idp: String(r.idp),
  role: r.role as SessionRole,
  createdAt: date(r.created_at),
  lastSeenAt: date(r.last_seen_at),
  expiresAt: date(r.expires_at),
  endedAt: r.ended_at == null ? null : date(r.ended_at),
  endReason: (r.end_reason as string | null) ?? null,
  address: (r.address as string | null) ?? null,
  userAgent: (r.user_agent as string | null) ?? null,
});

/** How long an ended or expired session stays listed (for the admin's history) before it is deleted. */
export const SESSION_RETENTION_DAYS = 30;

const SESSION_COLUMNS = 'id, user_id, credential_id, idp, role, created_at, last_seen_at, expires_at, ended_at, end_reason, address, user_agent';

/** What sign-in needs to know of a user. */
export interface SignInCandidate {
  id: string;
  userName: string;
  active: boolean;
}

/** A live session with its user's state, read in one statement for every request that carries the cookie. */
export interface LiveSession extends SessionRecord {
  /** the user's name (SSO) or the API key's name (console session opened with a key) */
  name: string;
  /** whether the session may still be used: its user is active, or its API key is not revoked */
  usable: boolean;
}

/** Reads of SAML connections and sessions. */
export class SsoReads {
  constructor(private readonly em: SqlEntityManager) {}

  async connections(): Promise<SamlConnectionRecord[]> {
    return (await runSql(this.em, frag('select * from saml_connections order by idp'))).map(toConnection);
  }

  async connection(idp: string): Promise<SamlConnectionRecord | null> {
    const row = (await runSql(this.em, frag('select * from saml_connections where idp = ?', [idp])))[0];
    return row ? toConnection(row) : null;
  }

  /** The IdP the bare paths use: the one marked default, else the only one. */
  async defaultConnection(): Promise<SamlConnectionRecord | null> {
    const rows = await runSql(this.em, frag('select * from saml_connections order by is_default desc, idp limit 2'));
    if (rows.length === 0) return null;
    if (rows[0].is_default === true || rows.length === 1) return toConnection(rows[0]);
    return null;
  }

  /** The session with this secret hash, live (not ended, not past its absolute end), with its user. */
  async liveSession(secretHash: string): Promise<LiveSession | null> {
    const row = (
      await runSql(
        this.em,
        frag(
          `select s.id, s.user_id, s.credential_id, s.idp, s.role, s.created_at, s.last_seen_at, s.expires_at, s.ended_at, s.end_reason, s.address, s.user_agent,
                  coalesce(u.user_name::text, c.name) as name,
                  case when s.user_id is not null then coalesce(u.active, false) else (c.id is not null and c.revoked_at is null) end as usable
             from sessions s left join users u on u.id = s.user_id left join credentials c on c.id = s.credential_id
            where s.secret_hash = ? and s.ended_at is null and s.expires_at > now()`,
          [secretHash],
        ),
        { prepare: true },
      )
    )[0];
    if (!row) return null;
    return { ...toSession(row), name: (row.name as string | null) ?? '', usable: row.usable === true };
  }

  /** Sessions, newest first: of one user, or all live ones. */
  async sessions(opts: { userId?: string; includeEnded?: boolean; limit: number }): Promise<SessionRecord[]> {
    if (opts.userId !== undefined && !isUuid(opts.userId)) return [];
    const where = [opts.userId !== undefined ? 'user_id = ?' : 'true', opts.includeEnded ? 'true' : 'ended_at is null and expires_at > now()'].join(' and ');
    const bindings: unknown[] = opts.userId !== undefined ? [opts.userId] : [];
    return (await runSql(this.em, frag(`select ${SESSION_COLUMNS} from sessions where ${where} order by created_at desc, id limit ?`, [...bindings, opts.limit]))).map(toSession);
  }

  async session(id: string): Promise<SessionRecord | null> {
    if (!isUuid(id)) return null;
    const row = (await runSql(this.em, frag(`select ${SESSION_COLUMNS} from sessions where id = ?`, [id])))[0];
    return row ? toSession(row) : null;
  }

  /** The user a SAML subject names: by userName (citext: case-insensitive, as SCIM filters), else by email when asked. */
  async signInCandidate(userName: string, email: string | undefined): Promise<SignInCandidate | null> {
    const byName = (await runSql(this.em, frag('select id, user_name, active from users where user_name = ?', [userName]), { prepare: true }))[0];
    const row =
      byName ??
      (email ? (await runSql(this.em, frag('select id, user_name, active from users where email_index @> array[?]::text[] order by created_at limit 2', [email.toLowerCase()])))[0] : undefined);
    return row ? { id: String(row.id), userName: String(row.user_name), active: row.active === true } : null;
  }

  /** displayNames of the groups a user is a direct member of. */
  async groupNamesOf(userId: string): Promise<string[]> {
    const rows = await runSql(this.em, frag('select g.display_name from memberships m join groups g on g.id = m.group_id where m.member_id = ?', [userId]));
    return rows.map((r) => String(r.display_name));
  }
}

/** SAML and session writes inside one transaction. */
export class SsoWrites {
  constructor(private readonly em: SqlEntityManager) {}

  async upsertConnection(c: Pick<SamlConnectionRecord, 'idp' | 'entityId' | 'ssoUrl' | 'ssoBinding' | 'certificates'>): Promise<void> {
    await runSql(
      this.em,
      frag(
        `insert into saml_connections (idp, entity_id, sso_url, sso_binding, certificates, created_at, updated_at) values (?, ?, ?, ?, ?::jsonb, now(), now())
         on conflict (idp) do update set entity_id = excluded.entity_id, sso_url = excluded.sso_url, sso_binding = excluded.sso_binding, certificates = excluded.certificates, updated_at = now()`,
        [c.idp, c.entityId, c.ssoUrl, c.ssoBinding, c.certificates],
      ),
    );
  }

  /** Sets the options; false when the IdP has no connection. */
  async setOptions(idp: string, o: Partial<Pick<SamlConnectionRecord, 'wantResponseSigned' | 'jitProvisioning' | 'matchEmail' | 'isDefault' | 'roleMappings'>>): Promise<boolean> {
    if (o.isDefault === true) await runSql(this.em, frag('update saml_connections set is_default = false where idp <> ? and is_default', [idp]));
    const rows = await runSql(
      this.em,
      frag(
        `update saml_connections set
           want_response_signed = coalesce(?, want_response_signed), jit_provisioning = coalesce(?, jit_provisioning), match_email = coalesce(?, match_email),
           is_default = coalesce(?, is_default), role_mappings = coalesce(?::jsonb, role_mappings), updated_at = now()
         where idp = ? returning idp`,
        [o.wantResponseSigned ?? null, o.jitProvisioning ?? null, o.matchEmail ?? null, o.isDefault ?? null, o.roleMappings ?? null, idp],
      ),
    );
    return rows.length > 0;
  }

  async removeConnection(idp: string): Promise<boolean> {
    return (await runSql(this.em, frag('delete from saml_connections where idp = ? returning idp', [idp]))).length > 0;
  }

  async saveRequest(r: { id: string; idp: string; returnTo: string; expiresAt: Date }): Promise<void> {
    await runSql(this.em, frag('insert into saml_requests (id, idp, return_to, expires_at) values (?, ?, ?, ?)', [r.id, r.idp, r.returnTo, r.expiresAt]));
    // Expired requests go as new ones come: the table stays the size of the logins in flight.
    await runSql(this.em, frag('delete from saml_requests where expires_at < now()'));
  }

  /** Consumes a request id: its row, once; null when unknown, expired, of another IdP, or already used. */
  async takeRequest(id: string, idp: string): Promise<{ returnTo: string } | null> {
    const row = (await runSql(this.em, frag('delete from saml_requests where id = ? returning idp, return_to, expires_at', [id])))[0];
    if (!row || row.idp !== idp || date(row.expires_at).getTime() < Date.now()) return null;
    return { returnTo: String(row.return_to) };
  }

  /** Remembers an assertion until it expires; false when it was already used. */
  async rememberAssertion(key: string, expiresAt: Date): Promise<boolean> {
    await runSql(this.em, frag('delete from saml_assertions where expires_at < now()'));
    return (await runSql(this.em, frag('insert into saml_assertions (key, expires_at) values (?, ?) on conflict (key) do nothing returning key', [key, expiresAt]))).length > 0;
  }

  /**
   * Opens a session. Sessions that ended (or expired) more than SESSION_RETENTION_DAYS ago go as new
   * ones come, so that the table holds the recent history admins look at, not every login ever.
   */
  async insertSession(s: {
    id: string;
    secretHash: string;
    userId: string | null;
    credentialId?: string | null;
    idp: string;
    role: SessionRole;
    expiresAt: Date;
    address: string | null;
    userAgent: string | null;
  }): Promise<void> {
    await runSql(
      this.em,
      frag('insert into sessions (id, secret_hash, user_id, credential_id, idp, role, created_at, last_seen_at, expires_at, address, user_agent) values (?, ?, ?, ?, ?, ?, now(), now(), ?, ?, ?)', [
        s.id,
        s.secretHash,
        s.userId,
        s.credentialId ?? null,
        s.idp,
        s.role,
        s.expiresAt,
        s.address,
        s.userAgent ? s.userAgent.slice(0, 256) : null,
      ]),
    );
    await runSql(this.em, frag(`delete from sessions where coalesce(ended_at, expires_at) < now() - make_interval(days => ?)`, [SESSION_RETENTION_DAYS]));
  }

  /** Ends one session; its record, or null when it was not live. */
  async endSession(id: string, reason: string): Promise<SessionRecord | null> {
    if (!isUuid(id)) return null;
    const row = (await runSql(this.em, frag(`update sessions set ended_at = now(), end_reason = ? where id = ? and ended_at is null returning ${SESSION_COLUMNS}`, [reason, id])))[0];
    return row ? toSession(row) : null;
  }

  /** Ends every live console session opened with an API key (revoked); how many were live. */
  async endSessionsOfCredential(credentialId: string, reason: string): Promise<number> {
    return (await runSql(this.em, frag('update sessions set ended_at = now(), end_reason = ? where credential_id = ? and ended_at is null returning id', [reason, credentialId]))).length;
  }

  /** Ends every live session of a user (deactivated or deleted); how many were live. */
  async endSessionsOf(userId: string, reason: string): Promise<number> {
    return (await runSql(this.em, frag('update sessions set ended_at = now(), end_reason = ? where user_id = ? and ended_at is null returning id', [reason, userId]))).length;
  }
}

/** Marks a session seen, outside any transaction: the idle lifetime counts from here. */
export async function touchSession(em: SqlEntityManager, id: string): Promise<void> {
  await runSql(em.fork(), frag('update sessions set last_seen_at = now() where id = ?', [id]));
}
