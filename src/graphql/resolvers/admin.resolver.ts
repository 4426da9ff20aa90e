import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Info, Query, Resolver, Root } from 'type-graphql';
import { ADMINISTER, ANY_ROLE } from '../../auth/roles.js';
import type { CredentialRecord, ProvisioningRecord } from '../../domain/credentials/credential-record.js';
import { CredentialService } from '../../domain/credentials/credential-service.js';
import { InvalidValue } from '../../domain/errors/domain-errors.js';
import { isUuid } from '../../domain/ids.js';
import type { AuditFilter, AuditRecord } from '../../persistence/audit/audit-log.js';
import type { GraphQLResolveInfo } from 'graphql';
import { listReads, type GraphContext } from '../context.js';
import { AuditFilterInput } from '../inputs/audit.input.js';
import { AuditEventPageType, AuditEventType, CredentialType, IssuedCredentialType, MeType, ProvisioningActivationType, ProvisioningType, ScimRequestType } from '../types/admin.type.js';

const withUrl = (ctx: GraphContext, p: ProvisioningRecord): ProvisioningType => ({ ...p, scimBaseUrl: ctx.scimBaseUrl });
const cred = (c: CredentialRecord): CredentialType => c;

/** Most events one auditEvents or auditLog page returns. */
export const MAX_AUDIT_PAGE = 1000;
/** Most recent SCIM requests one scimRequests call returns (and how many are kept per IdP). */
export const MAX_SCIM_REQUESTS = 100;
const MAX_FILTER_TEXT = 256;

const toAuditEvent = (e: AuditRecord): AuditEventType => ({
  id: e.id,
  at: e.at,
  actor: e.actorLabel,
  action: e.action,
  resourceType: e.resourceType,
  resourceId: e.resourceId,
  changed: e.changed,
  ignored: e.ignored ?? [],
  requestId: e.requestId,
});

/** The filter as the store takes it: empty strings dropped, lengths and the time range checked. */
function auditFilter(f: AuditFilterInput | null | undefined): AuditFilter {
  const text = (name: string, v: string | null | undefined): string | null => {
    if (v == null || v === '') return null;
    if (v.length > MAX_FILTER_TEXT) throw new InvalidValue(`${name} is longer than ${MAX_FILTER_TEXT} characters.`);
    return v;
  };
  const since = f?.since ?? null;
  const until = f?.until ?? null;
  if (since && until && since.getTime() > until.getTime()) throw new InvalidValue('since must not be after until.');
  return {
    action: text('action', f?.action),
    actor: text('actor', f?.actor),
    idp: text('idp', f?.idp),
    resourceType: text('resourceType', f?.resourceType),
    resourceId: text('resourceId', f?.resourceId),
    since,
    until,
  };
}

const checkPage = (first: number, offset: number, firstName: string): void => {
  if (first < 0 || first > MAX_AUDIT_PAGE || offset < 0) throw new InvalidValue(`${firstName} must be 0–${MAX_AUDIT_PAGE} and offset ≥ 0.`);
};

/** Credentials, provisioning, the audit trail and `me`. */
@Resolver()
export class AdminResolver {
  @Authorized(ANY_ROLE)
  @Query(() => MeType, { description: 'The credential making this request.' })
  me(@Ctx() ctx: GraphContext): MeType {
    const p = ctx.principal!;
    return { credentialId: p.credentialId, role: p.role, name: p.label, idp: p.idp };
  }

  @Authorized(ADMINISTER)
  @Query(() => [ProvisioningType], { description: 'Provisioning state of every IdP, with the SCIM base URL.' })
  async provisioning(@Ctx() ctx: GraphContext): Promise<ProvisioningType[]> {
    return (await new CredentialService(ctx.store).provisioning()).map((p) => withUrl(ctx, p));
  }

  @Authorized(ADMINISTER)
  @Query(() => [CredentialType], { description: 'API keys and SCIM tokens (never their secrets).' })
  async credentials(@Ctx() ctx: GraphContext): Promise<CredentialType[]> {
    return (await new CredentialService(ctx.store).list()).map(cred);
  }

  @Authorized(ADMINISTER)
  @Query(() => [AuditEventType], { description: 'The audit trail, newest first. auditLog takes the same filters as one input and counts the matches.' })
  async auditEvents(
    @Arg('resourceId', () => ID, { nullable: true }) resourceId: string | null,
    @Arg('limit', () => Int, { defaultValue: 50 }) limit: number,
    @Arg('offset', () => Int, { defaultValue: 0 }) offset: number,
    @Ctx() ctx: GraphContext,
    @Info() info: GraphQLResolveInfo,
    @Arg('action', () => String, { nullable: true, description: 'exact, or a prefix when it ends with "." or "*"' }) action?: string | null,
    @Arg('actor', () => String, { nullable: true, description: 'part of the actor label, in any case' }) actor?: string | null,
    @Arg('idp', () => String, { nullable: true, description: 'events of actors that acted for this IdP' }) idp?: string | null,
    @Arg('resourceType', () => String, { nullable: true }) resourceType?: string | null,
    @Arg('since', () => Date, { nullable: true, description: 'at or after' }) since?: Date | null,
    @Arg('until', () => Date, { nullable: true, description: 'before' }) until?: Date | null,
  ): Promise<AuditEventType[]> {
    checkPage(limit, offset, 'limit');
    const filter = auditFilter({ resourceId, action, actor, idp, resourceType, since, until });
    return (await listReads(ctx, info).audit.page(filter, limit, offset)).items.map(toAuditEvent);
  }

  @Authorized(ADMINISTER)
  @Query(() => AuditEventPageType, { description: `The audit trail, newest first (ties by id), filtered, with the number of matches. At most ${MAX_AUDIT_PAGE} per page.` })
  async auditLog(
    @Arg('filter', () => AuditFilterInput, { nullable: true }) filter: AuditFilterInput | null,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
    @Arg('offset', () => Int, { defaultValue: 0 }) offset: number,
    @Ctx() ctx: GraphContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<AuditEventPageType> {
    checkPage(first, offset, 'first');
    const page = await listReads(ctx, info).audit.page(auditFilter(filter), first, offset);
    return {
      nodes: page.items.map(toAuditEvent),
      hasNextPage: page.hasNextPage,
      // a getter: the count runs only when totalCount is selected
      get totalCount() {
        return page.totalCount();
      },
    };
  }

  @Authorized(ADMINISTER)
  @Query(() => [ScimRequestType], {
    description: `The recent SCIM requests made with this IdP's tokens, newest first: whether the IdP reaches Roster. The newest ${MAX_SCIM_REQUESTS} are kept; they show up within a second or so.`,
  })
  async scimRequests(
    @Arg('idp', () => String) idp: string,
    @Arg('first', () => Int, { defaultValue: 20 }) first: number,
    @Ctx() ctx: GraphContext,
    @Info() info: GraphQLResolveInfo,
  ): Promise<ScimRequestType[]> {
    if (first < 0 || first > MAX_SCIM_REQUESTS) throw new InvalidValue(`first must be between 0 and ${MAX_SCIM_REQUESTS}.`);
    return listReads(ctx, info).scimRequests.recent(idp, first);
  }

  @Authorized(ADMINISTER)
  @Mutation(() => ProvisioningActivationType, { description: 'Turns provisioning on for an IdP and returns the SCIM base URL and a new token, once.' })
  async activateProvisioning(@Arg('idp', () => String, { defaultValue: 'okta' }) idp: string, @Ctx() ctx: GraphContext): Promise<ProvisioningActivationType> {
    const svc = new CredentialService(ctx.store);
    const issued = await svc.activateProvisioning(ctx.principal!, idp, { requestId: ctx.requestId });
    const p = (await svc.provisioning()).find((x) => x.idp === idp)!;
    return { scimBaseUrl: ctx.scimBaseUrl, token: issued.secret, provisioning: withUrl(ctx, p), credential: issued.credential };
  }

  @Authorized(ADMINISTER)
  @Mutation(() => ProvisioningType, { description: 'Suspends provisioning: every SCIM call of this IdP is refused until activated again.' })
  async deactivateProvisioning(@Arg('idp', () => String, { defaultValue: 'okta' }) idp: string, @Ctx() ctx: GraphContext): Promise<ProvisioningType> {
    return withUrl(ctx, await new CredentialService(ctx.store).deactivateProvisioning(ctx.principal!, idp, ctx.requestId));
  }

  @Authorized(ADMINISTER)
  @Mutation(() => ProvisioningType, {
    description:
      "Lets an IdP adopt locally created users and groups, or stops it (off by default). While on, the IdP's next update of a local user or group makes it managed by the IdP; each adoption is audited.",
  })
  async setProvisioningAdoption(@Arg('idp', () => String) idp: string, @Arg('adoptLocal', () => Boolean) adoptLocal: boolean, @Ctx() ctx: GraphContext): Promise<ProvisioningType> {
    return withUrl(ctx, await new CredentialService(ctx.store).setProvisioningAdoption(ctx.principal!, idp, adoptLocal, ctx.requestId));
  }

  @Authorized(ADMINISTER)
  @Mutation(() => IssuedCredentialType, {
    description: 'Issues one more SCIM token for an IdP and keeps the old ones valid (rotation with overlap: revoke the old one once the IdP uses the new). The secret is shown only now.',
  })
  async issueScimToken(@Arg('idp', () => String) idp: string, @Arg('name', () => String, { nullable: true }) name: string | null, @Ctx() ctx: GraphContext): Promise<IssuedCredentialType> {
    return new CredentialService(ctx.store).issueScimToken(ctx.principal!, idp, name ?? undefined, ctx.requestId);
  }

  @Authorized(ADMINISTER)
  @Mutation(() => IssuedCredentialType, { description: 'Issues a new SCIM token for an IdP and revokes its old ones.' })
  async rotateScimToken(@Arg('idp', () => String, { defaultValue: 'okta' }) idp: string, @Ctx() ctx: GraphContext): Promise<IssuedCredentialType> {
    return new CredentialService(ctx.store).rotateScimToken(ctx.principal!, idp, ctx.requestId);
  }

  @Authorized(ADMINISTER)
  @Mutation(() => IssuedCredentialType, { description: 'Creates an API key (OWNER, ADMIN or READER). The secret is shown only now.' })
  async createApiKey(@Arg('name', () => String) name: string, @Arg('role', () => String) role: string, @Ctx() ctx: GraphContext): Promise<IssuedCredentialType> {
    if (role !== 'OWNER' && role !== 'ADMIN' && role !== 'READER') throw new InvalidValue('role must be OWNER, ADMIN or READER.');
    return new CredentialService(ctx.store).createApiKey(ctx.principal!, name, role, { requestId: ctx.requestId });
  }

  @Authorized(ADMINISTER)
  @Mutation(() => CredentialType, { description: 'Revokes an API key or SCIM token at once.' })
  async revokeCredential(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphContext): Promise<CredentialType> {
    if (!isUuid(id)) throw new InvalidValue('id is not a credential id.');
    return new CredentialService(ctx.store).revoke(ctx.principal!, id, ctx.requestId);
  }
}

/** Fields of Provisioning that are read on demand. */
@Resolver(() => ProvisioningType)
export class ProvisioningResolver {
  @Authorized(ADMINISTER)
  @FieldResolver(() => Date, { nullable: true, description: "when a SCIM request with this IdP's token last arrived (as recorded by scimRequests); null if none is recorded" })
  lastScimRequestAt(@Root() p: ProvisioningType, @Ctx() ctx: GraphContext): Promise<Date | null> {
    return ctx.loaders.lastScimRequestAt.load(p.idp);
  }
}
