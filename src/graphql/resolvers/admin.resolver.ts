import { Arg, Authorized, Ctx, ID, Int, Mutation, Query, Resolver } from 'type-graphql';
import { ADMINISTER, ANY_ROLE } from '../../auth/roles.js';
import type { CredentialRecord, ProvisioningRecord } from '../../domain/credentials/credential-record.js';
import { CredentialService } from '../../domain/credentials/credential-service.js';
import { InvalidValue } from '../../domain/errors/domain-errors.js';
import { isUuid } from '../../domain/ids.js';
import type { GraphContext } from '../context.js';
import { AuditEventType, CredentialType, IssuedCredentialType, MeType, ProvisioningActivationType, ProvisioningType } from '../types/admin.type.js';

const withUrl = (ctx: GraphContext, p: ProvisioningRecord): ProvisioningType => ({ ...p, scimBaseUrl: ctx.scimBaseUrl });
const cred = (c: CredentialRecord): CredentialType => c;

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
  @Query(() => [AuditEventType], { description: 'The audit trail, newest first.' })
  async auditEvents(
    @Arg('resourceId', () => ID, { nullable: true }) resourceId: string | null,
    @Arg('limit', () => Int, { defaultValue: 50 }) limit: number,
    @Arg('offset', () => Int, { defaultValue: 0 }) offset: number,
    @Ctx() ctx: GraphContext,
  ): Promise<AuditEventType[]> {
    if (limit < 0 || limit > 1000 || offset < 0) throw new InvalidValue('limit must be 0–1000 and offset ≥ 0.');
    const rows = await ctx.store.audit.list(resourceId, limit, offset);
    return rows.map((e) => ({
      id: e.id,
      at: e.at,
      actor: e.actorLabel,
      action: e.action,
      resourceType: e.resourceType,
      resourceId: e.resourceId,
      changed: e.changed,
      ignored: e.ignored ?? [],
      requestId: e.requestId,
    }));
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
