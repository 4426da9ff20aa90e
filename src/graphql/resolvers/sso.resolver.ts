import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { ADMINISTER, SIGNED_IN } from '../../auth/roles.js';
import { InvalidValue } from '../../domain/errors/domain-errors.js';
import { SamlConfigService, type SamlOptions } from '../../domain/sso/saml-config-service.js';
import { SessionService } from '../../domain/sso/session-service.js';
import type { SamlConnectionRecord, SamlRoleMapping, SessionRecord } from '../../domain/sso/sso-records.js';
import type { GraphContext } from '../context.js';
import { MAX_SESSIONS_PAGE } from '../limits.js';
import { SamlManualInput, SamlOptionsInput } from '../inputs/sso.input.js';
import { toUserType } from '../mappers.js';
import { describeCertificate, spUrls } from '../sso-view.js';
import { SamlConnectionType, SamlServiceProviderType, SessionType, ViewerType } from '../types/sso.type.js';
import { UserType } from '../types/user.type.js';

/** Roster's public URL, as the context's SCIM base URL (`{PUBLIC_URL}/scim/v2`) was built from it. */
const publicUrlOf = (ctx: GraphContext): string => ctx.scimBaseUrl.replace(/\/scim\/v2$/, '');

const toConnection = (ctx: GraphContext, c: SamlConnectionRecord): SamlConnectionType => ({
  ...c,
  certificates: c.certificates.map(describeCertificate),
  roleMappings: c.roleMappings.map((m) => ({ group: m.group, role: m.role })),
  ...spUrls(ctx.store, publicUrlOf(ctx)),
});

const toSession = (s: SessionRecord): SessionType => ({ ...s });

/** The options given (null is "not given": the value is kept). */
function toOptions(o: SamlOptionsInput): SamlOptions {
  const out: SamlOptions = {};
  if (o.isDefault != null) out.isDefault = o.isDefault;
  if (o.jitProvisioning != null) out.jitProvisioning = o.jitProvisioning;
  if (o.matchEmail != null) out.matchEmail = o.matchEmail;
  if (o.wantResponseSigned != null) out.wantResponseSigned = o.wantResponseSigned;
  // The role is checked by the domain, which names what it accepts.
  if (o.roleMappings != null) out.roleMappings = o.roleMappings.map((m) => ({ group: m.group, role: m.role as SamlRoleMapping['role'] }));
  return out;
}

/** `viewer`: the caller, for a session cookie and an API key or SCIM token alike. */
@Resolver(() => ViewerType)
export class ViewerResolver {
  @Authorized(SIGNED_IN)
  @Query(() => ViewerType, { nullable: true, description: 'Who is making this request: the signed-in person and their role, or the API key or SCIM token.' })
  async viewer(@Ctx() ctx: GraphContext): Promise<ViewerType> {
    const p = ctx.principal!;
    const s = p.session;
    if (!s) return { userId: null, role: p.role, idp: p.idp, sessionId: null, credentialName: p.label };
    if (s.userId) return { userId: s.userId, role: p.role, idp: s.idp, sessionId: s.id, credentialName: null };
    // A console session, opened with an API key: named after the key.
    const credentialId = (await ctx.store.sso.session(s.id))?.credentialId;
    const key = credentialId ? (await ctx.store.credentials.list()).find((c) => c.id === credentialId) : undefined;
    return { userId: null, role: p.role, idp: null, sessionId: s.id, credentialName: key?.name ?? null };
  }

  @Authorized(SIGNED_IN)
  @FieldResolver(() => UserType, { nullable: true, description: 'the signed-in person; null for API keys and SCIM tokens' })
  async user(@Root() viewer: ViewerType, @Ctx() ctx: GraphContext): Promise<UserType | null> {
    if (!viewer.userId) return null;
    const u = await ctx.loaders.user.load(viewer.userId);
    return u ? toUserType(u) : null;
  }
}

/** SAML connections: the IdPs people sign in through (OWNER and ADMIN). */
@Resolver(() => SamlConnectionType)
export class SamlResolver {
  @Authorized(ADMINISTER)
  @Query(() => SamlServiceProviderType, { description: "Roster's SAML service provider: what to paste into an IdP before any IdP is configured." })
  samlServiceProvider(@Ctx() ctx: GraphContext): SamlServiceProviderType {
    const publicUrl = publicUrlOf(ctx);
    return { ...spUrls(ctx.store, publicUrl), metadataUrl: `${publicUrl}/saml/sp/metadata`, loginUrl: `${publicUrl}/saml/sp/login` };
  }

  @Authorized(ADMINISTER)
  @Query(() => [SamlConnectionType], { description: 'The SAML IdPs people sign in through, with the SP entity ID and ACS URL to paste into each.' })
  async samlConnections(@Ctx() ctx: GraphContext): Promise<SamlConnectionType[]> {
    return (await new SamlConfigService(ctx.store).list()).map((c) => toConnection(ctx, c));
  }

  @Authorized(ADMINISTER)
  @Mutation(() => SamlConnectionType, {
    description:
      'Adds or updates a SAML IdP from its metadata XML (entity ID, SSO URL, every signing certificate). Metadata Roster cannot use is refused with INVALID_VALUE; nothing is stored. The options are kept.',
  })
  async configureSaml(@Arg('idp', () => String) idp: string, @Arg('metadataXml', () => String) metadataXml: string, @Ctx() ctx: GraphContext): Promise<SamlConnectionType> {
    return toConnection(ctx, await new SamlConfigService(ctx.store).configureFromMetadata(ctx.principal!, idp, metadataXml, ctx.requestId));
  }

  @Authorized(ADMINISTER)
  @Mutation(() => SamlConnectionType, { description: 'Adds or updates a SAML IdP that publishes no metadata, field by field. The options are kept.' })
  async configureSamlManually(@Arg('idp', () => String) idp: string, @Arg('input', () => SamlManualInput) input: SamlManualInput, @Ctx() ctx: GraphContext): Promise<SamlConnectionType> {
    const { entityId, ssoUrl, certificates } = input;
    return toConnection(ctx, await new SamlConfigService(ctx.store).configureManually(ctx.principal!, idp, { entityId, ssoUrl, certificates }, ctx.requestId));
  }

  @Authorized(ADMINISTER)
  @Mutation(() => SamlConnectionType, { description: "Sets a SAML IdP's options; those left out keep their value. roleMappings replaces every mapping." })
  async setSamlOptions(@Arg('idp', () => String) idp: string, @Arg('options', () => SamlOptionsInput) options: SamlOptionsInput, @Ctx() ctx: GraphContext): Promise<SamlConnectionType> {
    return toConnection(ctx, await new SamlConfigService(ctx.store).setOptions(ctx.principal!, idp, toOptions(options), ctx.requestId));
  }

  @Authorized(ADMINISTER)
  @Mutation(() => Boolean, { description: 'Removes a SAML IdP: nobody signs in through it any more. False when there was none.' })
  async removeSaml(@Arg('idp', () => String) idp: string, @Ctx() ctx: GraphContext): Promise<boolean> {
    return new SamlConfigService(ctx.store).remove(ctx.principal!, idp, ctx.requestId);
  }
}

/** Sign-in sessions (OWNER and ADMIN). */
@Resolver(() => SessionType)
export class SessionResolver {
  @Authorized(ADMINISTER)
  @Query(() => [SessionType], { description: `Sign-in sessions, newest first: live ones, or every one with includeEnded; of one user with userId. At most ${MAX_SESSIONS_PAGE}.` })
  async sessions(
    @Arg('userId', () => ID, { nullable: true }) userId: string | null,
    @Arg('includeEnded', () => Boolean, { defaultValue: false }) includeEnded: boolean,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
    @Ctx() ctx: GraphContext,
  ): Promise<SessionType[]> {
    if (first < 0 || first > MAX_SESSIONS_PAGE) throw new InvalidValue(`first must be between 0 and ${MAX_SESSIONS_PAGE}.`);
    const rows = await new SessionService(ctx.store, 0).list({ userId: userId ?? undefined, includeEnded, limit: first });
    return rows.map(toSession);
  }

  @Authorized(ADMINISTER)
  @Mutation(() => SessionType, { description: 'Ends a session at once: its next request is unauthenticated. Audited as session.revoke; an ended session is returned as it is.' })
  async revokeSession(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphContext): Promise<SessionType> {
    return toSession(await new SessionService(ctx.store, 0).revoke(ctx.principal!, id, ctx.requestId));
  }

  @Authorized(ADMINISTER)
  @FieldResolver(() => UserType, { nullable: true, description: 'the person signed in by SSO; null for a console session, and once the user is deleted' })
  async user(@Root() session: SessionType, @Ctx() ctx: GraphContext): Promise<UserType | null> {
    if (!session.userId) return null;
    const u = await ctx.loaders.user.load(session.userId);
    return u ? toUserType(u) : null;
  }
}
