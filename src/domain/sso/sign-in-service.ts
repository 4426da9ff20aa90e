import { createHash, randomBytes } from 'node:crypto';
import type { Principal } from '../../auth/principal.js';
import type { Store } from '../../persistence/store.js';
import { buildLoginRedirect, claimedIssuer, SamlRefusal, verifySamlResponse, type SpSettings } from '../../saml/index.js';
import { recordAudit } from '../audit/audit-writer.js';
import { hashSecret } from '../credentials/secrets.js';
import { NotFound } from '../errors/domain-errors.js';
import { newId } from '../ids.js';
import { UserService } from '../users/user-service.js';
import { safeReturnTo } from './return-to.js';
import type { SamlConnectionRecord, SessionRole } from './sso-records.js';

export interface SsoSettings {
  publicUrl: string;
  clockSkewMs: number;
  sessionIdleMs: number;
  sessionMaxMs: number;
}

/** A login refused: the browser sees only the status and a reference; the log and audit get the reason. */
export class SignInRefused extends Error {
  constructor(
    readonly reason: string,
    readonly detail: string,
    readonly status: 401 | 403,
  ) {
    super(`${reason}: ${detail}`);
    this.name = 'SignInRefused';
  }
}

/** How long an SP-initiated login may take at the IdP (password, MFA) before its request id expires. */
const REQUEST_LIFETIME_MS = 10 * 60 * 1000;
const ROLE_RANK: Record<SessionRole, number> = { USER: 0, READER: 1, ADMIN: 2, OWNER: 3 };
const SYSTEM_ID = '00000000-0000-0000-0000-000000000000';

/** The SP's side of a login: start it, verify the IdP's answer, bind it to the directory, open a session. */
export class SignInService {
  constructor(
    private readonly store: Store,
    private readonly settings: SsoSettings,
  ) {}

  /** The SP as every IdP knows it: one entity ID and one ACS (the Response's issuer says which IdP answers). */
  sp(): SpSettings {
    const base = `${this.settings.publicUrl}/saml/sp`;
    return { entityId: `${base}/metadata`, acsUrl: `${base}/acs` };
  }

  /** The named IdP's connection, or the default one for the bare paths. */
  async connection(idp: string | undefined): Promise<SamlConnectionRecord> {
    const c = idp ? await this.store.sso.connection(idp) : await this.store.sso.defaultConnection();
    if (!c) throw new NotFound('SAML connection', idp ?? '(default)');
    return c;
  }

  /** An SP-initiated login: the IdP URL to redirect to; the request id is kept (for InResponseTo) with where to return. */
  async startLogin(idp: string | undefined, returnTo: string | undefined): Promise<string> {
    const c = await this.connection(idp);
    const { url, requestId } = await buildLoginRedirect({ idp: { ssoUrl: c.ssoUrl }, sp: this.sp() });
    await this.store.transaction((tx) => tx.sso.saveRequest({ id: requestId, idp: c.idp, returnTo: safeReturnTo(returnTo), expiresAt: new Date(Date.now() + REQUEST_LIFETIME_MS) }));
    return url;
  }

  /**
   * Verifies a posted Response and opens a session for the directory user it names. Throws
   * SignInRefused (audited as `sso.login.refused` with the reason) for every refusal.
   */
  async completeLogin(input: {
    samlResponse: string;
    relayState?: string;
    idp?: string;
    address: string | null;
    userAgent: string | null;
    requestId: string;
  }): Promise<{ secret: string; sessionId: string; userId: string; returnTo: string }> {
    const c = await this.answering(input.idp, input.samlResponse, input.requestId);
    const actor: Principal = { credentialId: SYSTEM_ID, role: 'OWNER', label: 'sso', idp: c.idp };
    let returnTo: string | undefined;
    try {
      const verified = await verifySamlResponse({
        samlResponse: input.samlResponse,
        connection: { idpEntityId: c.entityId, certificates: c.certificates, wantResponseSigned: c.wantResponseSigned },
        sp: this.sp(),
        clockSkewMs: this.settings.clockSkewMs,
        // Both stores commit at once, outside the login's transaction: a request id or assertion is
        // spent even when the login is refused later (unknown user), so it can never be tried twice.
        requests: {
          take: async (id) => {
            const taken = await this.store.transaction((tx) => tx.sso.takeRequest(id, c.idp));
            if (taken) returnTo = taken.returnTo;
            return !!taken;
          },
        },
        assertions: { remember: (id, until) => this.store.transaction((tx) => tx.sso.rememberAssertion(createHash('sha256').update(`${c.entityId}\n${id}`).digest('hex'), until)) },
      });
      const userName = verified.attributes.loginId ?? verified.nameId;
      let user = await this.store.sso.signInCandidate(userName, c.matchEmail ? verified.attributes.email : undefined);
      if (!user && c.jitProvisioning) {
        const created = await new UserService(this.store).create(
          actor,
          {
            userName,
            name: { givenName: verified.attributes.firstName ?? null, familyName: verified.attributes.lastName ?? null },
            emails: verified.attributes.email ? [{ value: verified.attributes.email, type: 'work', primary: true }] : [],
          },
          { requestId: input.requestId },
        );
        user = { id: created.id, userName: created.userName, active: created.active };
      }
      if (!user) throw new SignInRefused('unknown_user', `no user has userName ${JSON.stringify(userName)}${c.matchEmail ? ' or that email' : ''}`, 403);
      if (!user.active) throw new SignInRefused('inactive_user', `user ${user.id} is deactivated`, 403);
      const known = user;
      const role = await this.roleOf(c, known.id);
      const secret = randomBytes(32).toString('base64url');
      const sessionId = newId();
      await this.store.transaction(async (tx) => {
        await tx.sso.insertSession({
          id: sessionId,
          secretHash: hashSecret(secret),
          userId: known.id,
          idp: c.idp,
          role,
          expiresAt: new Date(Date.now() + this.settings.sessionMaxMs),
          address: input.address,
          userAgent: input.userAgent,
        });
        await recordAudit(tx, { ...actor, label: `${known.userName} via sso` }, { action: 'sso.login', resourceType: 'User', resourceId: known.id, changed: [role] }, input.requestId);
      });
      return { secret, sessionId, userId: known.id, returnTo: returnTo ?? safeReturnTo(input.relayState) };
    } catch (err) {
      const refusal = err instanceof SamlRefusal ? new SignInRefused(err.reason, err.detail, 401) : err instanceof SignInRefused ? err : undefined;
      if (!refusal) throw err;
      await this.store.transaction((tx) => recordAudit(tx, actor, { action: 'sso.login.refused', resourceType: 'SamlConnection', resourceId: c.idp, changed: [refusal.reason] }, input.requestId));
      throw refusal;
    }
  }

  /**
   * The connection a Response is verified against: the one named by `?idp=`, else the one whose
   * entity ID the Response claims as issuer, else the default. The claim is only a choice: the
   * verification then requires that issuer and that IdP's signature.
   */
  private async answering(idp: string | undefined, samlResponse: string, requestId: string): Promise<SamlConnectionRecord> {
    if (idp) {
      const named = await this.store.sso.connection(idp);
      if (!named) throw new SignInRefused('no_connection', `no SAML connection ${JSON.stringify(idp)}`, 401);
      return named;
    }
    let issuer: string | undefined;
    try {
      issuer = claimedIssuer(samlResponse);
    } catch (err) {
      if (!(err instanceof SamlRefusal)) throw err;
      const fallback = await this.store.sso.defaultConnection();
      await this.store.transaction((tx) =>
        recordAudit(
          tx,
          { credentialId: SYSTEM_ID, role: 'OWNER', label: 'sso', idp: fallback?.idp ?? null },
          { action: 'sso.login.refused', resourceType: 'SamlConnection', resourceId: fallback?.idp ?? null, changed: [err.reason] },
          requestId,
        ),
      );
      throw new SignInRefused(err.reason, err.detail, 401);
    }
    const connections = await this.store.sso.connections();
    const c = connections.find((x) => x.entityId === issuer) ?? (await this.store.sso.defaultConnection());
    if (!c) throw new SignInRefused('no_connection', `no SAML connection has the issuer ${JSON.stringify(issuer)} and none is the default`, 401);
    return c;
  }

  /** USER unless a role mapping names one of the user's groups; the highest mapped role wins. */
  private async roleOf(c: SamlConnectionRecord, userId: string): Promise<SessionRole> {
    if (c.roleMappings.length === 0) return 'USER';
    const groups = new Set((await this.store.sso.groupNamesOf(userId)).map((g) => g.toLowerCase()));
    let role: SessionRole = 'USER';
    for (const m of c.roleMappings) if (groups.has(m.group.toLowerCase()) && ROLE_RANK[m.role] > ROLE_RANK[role]) role = m.role;
    return role;
  }
}
