import type { Principal } from '../../auth/principal.js';
import { auditWriteOf, recordAudit } from '../audit/audit-writer.js';
import { canonicalJson } from '../canonical-json.js';
import { InvalidValue, NotFound, VersionMismatch } from '../errors/domain-errors.js';
import { isUuid, newEventStamp, newId } from '../ids.js';
import { actionOf, auditRefusal, checkOwnership, type Verdict } from '../ownership/ownership.js';
import { hashPassword } from './password.js';
import type { User } from '../../persistence/entities/user.entity.js';
import type { Store, Tx } from '../../persistence/store.js';
import type { UserChange, UserTarget } from '../../persistence/users/user-change.js';
import { checkMulti, checkString, checkUserName, MULTI_VALUED, SIMPLE_STRINGS, UserInput } from './user-input.js';
import type { UserAnswer, UserRecord } from './user-record.js';

/** Options every write takes. */
export interface WriteOptions {
  /** the version the caller last saw (If-Match); a mismatch is VERSION_MISMATCH */
  expectedVersion?: number | null;
  /** let an API key change data an IdP manages (a SCIM token's writes ignore it: DESIGN §5) */
  force?: boolean;
  requestId?: string;
  /** attributes the caller sent that were not applied (listed in the audit event of the write) */
  ignored?: readonly string[];
  /** whether the caller answers with the user's groups (default true): else the record may come without them */
  withGroups?: boolean;
  /** whether the caller answers with the user's id and version alone (default false): then the single-statement write reads back nothing else */
  stampOnly?: boolean;
}

const NAME_PARTS = ['formatted', 'familyName', 'givenName', 'middleName', 'honorificPrefix', 'honorificSuffix'] as const;
const ENTERPRISE = ['employeeNumber', 'costCenter', 'organization', 'division', 'department', 'managerValue'] as const;
const nameProp = (p: (typeof NAME_PARTS)[number]) => `name${p[0].toUpperCase()}${p.slice(1)}` as `name${Capitalize<(typeof NAME_PARTS)[number]>}`;

/** Single-statement tries before a write takes the row lock instead (a busy user: many writers at once). */
const OPTIMISTIC_ATTEMPTS = 3;

const uniqueMessage = (userName: string | undefined) => () => `userName ${JSON.stringify(userName)} is already taken.`;

/** Owns the rules and transactions of user writes. */
export class UserService {
  constructor(private readonly store: Store) {}

  /** Creates a user. A PROVISIONER's users are marked as managed by its IdP. */
  async create(actor: Principal, input: UserInput, opts: WriteOptions = {}): Promise<UserRecord> {
    const userName = checkUserName(input.userName);
    const passwordHash = input.password ? await hashPassword(input.password) : null;
    const id = newId();
    const user = this.store.draftUser({ id, userName, source: actor.idp ?? 'local' });
    // What differs from a blank user is what the caller gave: the audit event names only that.
    const given = this.assign(user, { ...input, userName }, 'replace');
    user.passwordHash = passwordHash;
    const changed = ['userName', ...new Set(given.map((label) => label.split('.')[0])), ...(passwordHash ? ['password'] : [])];
    const audit = auditWriteOf(actor, { action: 'user.create', resourceType: 'User', resourceId: id, ignored: opts.ignored, changed }, opts.requestId);
    // The user and its audit event in one statement: a push creates thousands of users.
    await this.store.singleStatement((w) => w.users.insertWithAudit(user, { ...audit, ...newEventStamp() }), uniqueMessage(userName));
    // A new user belongs to no group: its record is what was written, with no read back.
    return this.store.userRecordOf(user);
  }

  /** Replaces every writable attribute (omitted ones are cleared, except `active`, which is kept). */
  replace(actor: Principal, id: string, input: UserInput, opts: WriteOptions = {}): Promise<UserAnswer> {
    checkUserName(input.userName);
    return this.write(actor, id, input, 'replace', opts);
  }

  /** Changes only the attributes given; null clears one. */
  update(actor: Principal, id: string, input: UserInput, opts: WriteOptions = {}): Promise<UserAnswer> {
    if (input.userName !== undefined) checkUserName(input.userName);
    return this.write(actor, id, input, 'update', opts);
  }

  /** Activates or deactivates a user (Okta and Entra deactivate rather than delete). */
  setActive(actor: Principal, id: string, active: boolean, opts: WriteOptions = {}): Promise<UserAnswer> {
    return this.write(actor, id, { active }, 'update', opts);
  }

  /** Deletes a user and its memberships in one transaction. */
  async delete(actor: Principal, id: string, opts: WriteOptions = {}): Promise<void> {
    await auditRefusal(this.store, actor, opts.requestId, () =>
      this.store.transaction(async (tx) => {
        const { user, verdict } = await this.load(tx, id, opts, actor, 'delete');
        await tx.users.leaveAllGroups(user.id);
        // Sign-in ends with the account, in the same transaction: no instance accepts the cookie after the commit.
        await tx.sso.endSessionsOf(user.id, 'user_deleted');
        tx.users.remove(user);
        await tx.flush();
        await recordAudit(tx, actor, { action: actionOf('user.delete', verdict), resourceType: 'User', resourceId: id }, opts.requestId);
      }),
    );
  }

  private async write(actor: Principal, id: string, input: UserInput, mode: 'replace' | 'update', opts: WriteOptions): Promise<UserAnswer> {
    const passwordHash = input.password ? await hashPassword(input.password) : undefined;
    const change = this.ownersChange(actor, id, input, mode, opts, passwordHash);
    if (change) {
      for (let attempt = 0; attempt < OPTIMISTIC_ATTEMPTS; attempt++) {
        const audit = auditWriteOf(actor, { action: 'user.update', resourceType: 'User', resourceId: id, ignored: opts.ignored }, opts.requestId);
        const r = await this.store.singleStatement((w) => w.users.changeWithAudit({ ...change, updatedAt: new Date() }, { ...audit, ...newEventStamp() }), uniqueMessage(input.userName));
        // Answered from the statement's own rows: nothing is read back.
        if (r.outcome === 'written' || r.outcome === 'unchanged') return r.user;
        if (r.outcome === 'refused') break;
      }
    }
    return auditRefusal(this.store, actor, opts.requestId, () =>
      this.store.transaction(async (tx) => {
        const { user, verdict } = await this.load(tx, id, opts, actor, 'update');
        const wasActive = user.active;
        const changed = this.assign(user, input, mode);
        // A deactivated user's sessions end in the same transaction (SCIM deactivation is how an IdP signs someone out for good).
        if (wasActive && !user.active) await tx.sso.endSessionsOf(user.id, 'user_deactivated');
        changed.push(...assignPassword(user, input, passwordHash));
        // Adoption (DESIGN §5) is a change of its own, even when no attribute changes.
        if (verdict === 'adopt') user.source = actor.idp!;
        // A write that changes nothing leaves version, lastModified and the audit trail alone (DESIGN §8).
        if (changed.length || verdict === 'adopt') {
          user.updatedAt = new Date();
          await tx.flush();
          if (verdict === 'adopt') await recordAudit(tx, actor, { action: 'user.adopt', resourceType: 'User', resourceId: id, changed: ['source'] }, opts.requestId);
          if (changed.length) await recordAudit(tx, actor, { action: actionOf('user.update', verdict), resourceType: 'User', resourceId: id, changed, ignored: opts.ignored }, opts.requestId);
        }
        // The user as this write left it, read under its lock: a read after the commit could
        // already show a later writer's version (two answers with one ETag).
        return (await tx.read.users.byId(user.id))!;
      }, uniqueMessage(input.userName)),
    );
  }

  /**
   * The usual write of a push, where the caller owns the user (an IdP its own user, an API key a
   * local one), as ONE statement that finds what changes from its own snapshot and writes the
   * changed columns, the audit event and (on a deactivation) the end of its sessions
   * (persistence/users/user-change.ts). Null for what only the locking path reports, in its order
   * (404 before a refusal before 412 before a bad value): an id that is not a UUID, a value the
   * checks refuse. The statement itself refuses another owner's user (refusal, adoption, force),
   * a missing one, another version.
   */
  private ownersChange(actor: Principal, id: string, input: UserInput, mode: 'replace' | 'update', opts: WriteOptions, passwordHash: string | undefined): Omit<UserChange, 'updatedAt'> | null {
    if (!isUuid(id)) return null;
    let targets: Target[];
    try {
      targets = this.targets(input, mode);
    } catch (err) {
      if (err instanceof InvalidValue) return null;
      throw err;
    }
    const emails = targets.find((t) => t.prop === 'emails');
    const active = targets.find((t) => t.prop === 'active');
    return {
      id,
      owner: actor.idp ?? 'local',
      expectedVersion: opts.expectedVersion ?? null,
      targets,
      emailIndex: emails ? emailIndexOf(emails.value as User['emails']) : undefined,
      // An omitted password is kept (see assignPassword).
      passwordHash: passwordHash ?? (input.password === null ? null : undefined),
      endSessions: active?.value === false ? 'user_deactivated' : undefined,
      withGroups: opts.withGroups ?? true,
      stampOnly: opts.stampOnly ?? false,
    };
  }

  /** Loads a user for change, enforcing IdP ownership (DESIGN §5) and the expected version. */
  private async load(tx: Tx, id: string, opts: WriteOptions, actor: Principal, operation: 'update' | 'delete'): Promise<{ user: User; verdict: Verdict }> {
    // Locked for the transaction: concurrent writes queue up instead of failing the version check
    // on flush (a caller that named no expectedVersion must never see VERSION_MISMATCH).
    const user = await tx.users.lockForUpdate(id);
    if (!user) throw new NotFound('User', id);
    const verdict = await checkOwnership(tx, actor, { resource: 'user', id: user.id, source: user.source }, operation, opts.force);
    if (opts.expectedVersion != null && opts.expectedVersion !== user.version) throw new VersionMismatch(user.version);
    return { user, verdict };
  }

  /** Copies input onto the entity; returns the names of attributes whose value changed. */
  private assign(user: User, input: UserInput, mode: 'replace' | 'update'): string[] {
    const changed: string[] = [];
    for (const t of this.targets(input, mode)) {
      const fields = user as unknown as Record<string, unknown>;
      if (!sameValue(fields[t.prop] ?? null, t.value)) {
        fields[t.prop] = t.value;
        changed.push(t.label);
      }
    }
    user.emailIndex = emailIndexOf(user.emails);
    return changed;
  }

  /**
   * The attributes a write sets, checked, with their new values, in the order (and with the labels)
   * the audit event names them: on replace every writable attribute (omitted ones cleared), on
   * update those given. The password is not among them (see assignPassword).
   */
  private targets(input: UserInput, mode: 'replace' | 'update'): Target[] {
    const out: Target[] = [];
    const set = <K extends keyof User & string>(key: K, value: User[K], label: string = key) => out.push({ prop: key, label, value: value ?? null });
    const take = <T>(v: T | undefined, cleared: T): T | undefined => (v === undefined ? (mode === 'replace' ? cleared : undefined) : v);

    if (input.userName !== undefined) set('userName', input.userName);
    const ext = take(checkString('externalId', input.externalId), null);
    if (ext !== undefined) set('externalId', ext);
    // `active` is never cleared: left out (or null) it keeps its value, on replace too. A replace that
    // omits it must not re-enable a disabled account (RFC 7644 §3.5.1 lets a server keep omitted
    // values), and SCIM's PUT needs nothing of the stored user for it.
    if (input.active !== undefined && input.active !== null) set('active', input.active);
    if (input.name !== undefined || mode === 'replace') {
      for (const part of NAME_PARTS) {
        const v = input.name === null ? null : take(checkString(`name.${part}`, input.name?.[part]), null);
        if (v !== undefined) set(nameProp(part), v, `name.${part}`);
      }
    }
    for (const key of SIMPLE_STRINGS) {
      const v = take(checkString(key, input[key]), null);
      if (v !== undefined) set(key, v);
    }
    for (const key of MULTI_VALUED) {
      const v = take(checkMulti(key, input[key]), []);
      if (v !== undefined) set(key, v);
    }
    if (input.enterprise !== undefined || mode === 'replace') {
      for (const key of ENTERPRISE) {
        const v = input.enterprise === null ? null : take(checkString(key, input.enterprise?.[key]), null);
        if (v !== undefined) set(key, v, key === 'managerValue' ? 'manager' : key);
      }
    }
    return out;
  }
}

/** An attribute a write sets: the entity property, its audit label and its new value. */
type Target = UserTarget & { prop: keyof User & string };

/** The lower-cased email values (for the GIN index that serves `emails.value eq`). */
const emailIndexOf = (emails: User['emails']): string[] => emails.map((e) => (e.value ?? '').toLowerCase()).filter(Boolean);

/**
 * Sets a new password hash, or clears it when the input says `password: null`; ['password'] when
 * either changed the user. An omitted password is kept even on replace: IdPs rarely resend it
 * (it is write-only).
 */
function assignPassword(user: User, input: UserInput, passwordHash: string | undefined): string[] {
  if (passwordHash !== undefined) {
    user.passwordHash = passwordHash;
    return ['password'];
  }
  if (input.password === null && user.passwordHash) {
    user.passwordHash = null;
    return ['password'];
  }
  return [];
}

/** Whether two attribute values are the same, whatever the order of the keys of their objects. */
function sameValue(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
