import type { Principal } from '../../auth/principal.js';
import { auditWriteOf, recordAudit } from '../audit/audit-writer.js';
import { canonicalJson } from '../canonical-json.js';
import { NotFound, VersionMismatch } from '../errors/domain-errors.js';
import { newId } from '../ids.js';
import { actionOf, auditRefusal, checkOwnership, type Verdict } from '../ownership/ownership.js';
import { hashPassword } from './password.js';
import type { User } from '../../persistence/entities/user.entity.js';
import type { Store, Tx } from '../../persistence/store.js';
import { checkMulti, checkString, checkUserName, MULTI_VALUED, SIMPLE_STRINGS, UserInput } from './user-input.js';
import { UserRecord } from './user-record.js';

/** Options every write takes. */
export interface WriteOptions {
  /** the version the caller last saw (If-Match); a mismatch is VERSION_MISMATCH */
  expectedVersion?: number | null;
  /** let an API key change data an IdP manages (a SCIM token's writes ignore it: DESIGN §5) */
  force?: boolean;
  requestId?: string;
  /** attributes the caller sent that were not applied (listed in the audit event of the write) */
  ignored?: readonly string[];
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
    await this.store.singleStatement((w) => w.users.insertWithAudit(user, { ...audit, id: newId(), at: new Date() }), uniqueMessage(userName));
    // A new user belongs to no group: its record is what was written, with no read back.
    return this.store.userRecordOf(user);
  }

  /** Replaces every writable attribute (omitted ones are cleared). */
  replace(actor: Principal, id: string, input: UserInput, opts: WriteOptions = {}): Promise<UserRecord> {
    checkUserName(input.userName);
    return this.write(actor, id, input, 'replace', opts);
  }

  /** Changes only the attributes given; null clears one. */
  update(actor: Principal, id: string, input: UserInput, opts: WriteOptions = {}): Promise<UserRecord> {
    if (input.userName !== undefined) checkUserName(input.userName);
    return this.write(actor, id, input, 'update', opts);
  }

  /** Activates or deactivates a user (Okta and Entra deactivate rather than delete). */
  setActive(actor: Principal, id: string, active: boolean, opts: WriteOptions = {}): Promise<UserRecord> {
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

  private async write(actor: Principal, id: string, input: UserInput, mode: 'replace' | 'update', opts: WriteOptions): Promise<UserRecord> {
    const passwordHash = input.password ? await hashPassword(input.password) : undefined;
    for (let attempt = 0; attempt < OPTIMISTIC_ATTEMPTS; attempt++) {
      const outcome = await this.writeInOneStatement(actor, id, input, mode, opts, passwordHash);
      if (outcome === 'written') return (await this.store.users.byId(id))!;
      if (outcome === 'locked path') break;
    }
    await auditRefusal(this.store, actor, opts.requestId, () =>
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
        if (!changed.length && verdict !== 'adopt') return;
        user.updatedAt = new Date();
        await tx.flush();
        if (verdict === 'adopt') await recordAudit(tx, actor, { action: 'user.adopt', resourceType: 'User', resourceId: id, changed: ['source'] }, opts.requestId);
        if (changed.length) await recordAudit(tx, actor, { action: actionOf('user.update', verdict), resourceType: 'User', resourceId: id, changed, ignored: opts.ignored }, opts.requestId);
      }, uniqueMessage(input.userName)),
    );
    return (await this.store.users.byId(id))!;
  }

  /**
   * The usual write of a push, where the caller owns the user (an IdP its own user, an API key a
   * local one): read it, apply the change, and write the changed columns, the audit event and
   * (on a deactivation) the end of its sessions in ONE statement that holds only if nobody wrote
   * the user since the read. 'raced' when somebody did (nothing written: read again); 'locked path'
   * for what this path leaves to the locking transaction: another owner's user (refusal, adoption,
   * force), a missing user, a version mismatch, a change of nothing.
   */
  private async writeInOneStatement(
    actor: Principal,
    id: string,
    input: UserInput,
    mode: 'replace' | 'update',
    opts: WriteOptions,
    passwordHash: string | undefined,
  ): Promise<'written' | 'raced' | 'locked path'> {
    const user = await this.store.userForWrite(id);
    if (!user) return 'locked path';
    const owns = actor.idp ? user.source === actor.idp : user.source === 'local';
    if (!owns || (opts.expectedVersion != null && opts.expectedVersion !== user.version)) return 'locked path';
    const version = user.version;
    const before = this.store.userSnapshot(user);
    const wasActive = user.active;
    const changed = this.assign(user, input, mode);
    changed.push(...assignPassword(user, input, passwordHash));
    if (!changed.length) return 'locked path';
    user.updatedAt = new Date();
    const after = this.store.userSnapshot(user);
    const props = [...after.keys()].filter((p) => p !== 'updatedAt' && after.get(p) !== before.get(p));
    const audit = auditWriteOf(actor, { action: 'user.update', resourceType: 'User', resourceId: id, changed, ignored: opts.ignored }, opts.requestId);
    const written = await this.store.singleStatement(
      (w) => w.users.updateWithAudit(user, version, props, { ...audit, id: newId(), at: new Date() }, wasActive && !user.active ? 'user_deactivated' : null),
      uniqueMessage(input.userName),
    );
    return written ? 'written' : 'raced';
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
    const set = <K extends keyof User>(key: K, value: User[K], label: string = String(key)) => {
      if (!sameValue(user[key] ?? null, value ?? null)) {
        user[key] = value;
        changed.push(label);
      }
    };
    const take = <T>(v: T | undefined, cleared: T): T | undefined => (v === undefined ? (mode === 'replace' ? cleared : undefined) : v);

    if (input.userName !== undefined) set('userName', input.userName);
    const ext = take(checkString('externalId', input.externalId), null);
    if (ext !== undefined) set('externalId', ext);
    const active = take(input.active, true);
    if (active !== undefined) set('active', active);
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
    user.emailIndex = user.emails.map((e) => (e.value ?? '').toLowerCase()).filter(Boolean);
    if (input.enterprise !== undefined || mode === 'replace') {
      for (const key of ENTERPRISE) {
        const v = input.enterprise === null ? null : take(checkString(key, input.enterprise?.[key]), null);
        if (v !== undefined) set(key, v, key === 'managerValue' ? 'manager' : key);
      }
    }
    return changed;
  }
}

/** Whether two attribute values are the same, whatever the order of the keys of their objects. */
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

function sameValue(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}
