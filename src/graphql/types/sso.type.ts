import { Field, ID, ObjectType } from 'type-graphql';
import { UserType } from './user.type.js';

/** The caller, whoever they are: a person signed in by SSO, or an API key or SCIM token. */
@ObjectType('Viewer', { simpleResolvers: true, description: 'Who is making this request: a person signed in through SAML, or an API key or SCIM token.' })
export class ViewerType {
  @Field(() => UserType, { nullable: true }) user?: UserType | null;
  @Field(() => String, { description: 'USER, READER, ADMIN, OWNER or PROVISIONER' }) role!: string;
  @Field(() => String, { nullable: true, description: 'the IdP the person signed in through (a SCIM token: the IdP it serves); null for API keys' }) idp?: string | null;
  @Field(() => ID, { nullable: true, description: 'the browser session (SSO, or the console signed in with an API key); null for a bearer API key or SCIM token' }) sessionId?: string | null;
  @Field(() => String, { nullable: true, description: 'the name of the API key or SCIM token (also of the key a console session was opened with); null for SSO' }) credentialName?: string | null;
  /** the signed-in person's user id (not a GraphQL field: `user` resolves from it) */
  userId?: string | null;
}

/** One signing certificate of an IdP. */
@ObjectType('SamlCertificate', { simpleResolvers: true, description: "One of an IdP's signing certificates." })
export class SamlCertificateType {
  @Field(() => String, { description: 'the certificate, PEM-encoded' }) pem!: string;
  @Field(() => String, { description: 'its subject, e.g. "CN=dev-123456, O=Okta"' }) subject!: string;
  @Field(() => Date) notBefore!: Date;
  @Field(() => Date, { description: 'when it expires: configure the IdP again with its new certificate before then' }) notAfter!: Date;
  @Field(() => String, { description: 'SHA-256 fingerprint, colon-separated hex (as Okta and Entra show it)' }) fingerprintSha256!: string;
}

/** A group whose members sign in with a role. */
@ObjectType('SamlRoleMapping', { simpleResolvers: true, description: 'Members of this group (a group the IdP pushed, by displayName) sign in with this role.' })
export class SamlRoleMappingType {
  @Field(() => String) group!: string;
  @Field(() => String, { description: 'READER, ADMIN or OWNER' }) role!: string;
}

/** A SAML IdP people sign in through. */
@ObjectType('SamlConnection', { simpleResolvers: true, description: 'A SAML 2.0 identity provider people sign in through.' })
export class SamlConnectionType {
  @Field(() => String, { description: 'the label, the same as its provisioning label ("okta", "entra")' }) idp!: string;
  @Field(() => String, { description: "the IdP's entity ID (the Issuer of its Responses)" }) entityId!: string;
  @Field(() => String, { description: 'where Roster sends people to sign in' }) ssoUrl!: string;
  @Field(() => String, { description: 'HTTP-Redirect or HTTP-POST' }) ssoBinding!: string;
  @Field(() => [SamlCertificateType], { description: 'every signing certificate Roster accepts (two while the IdP rotates its key)' }) certificates!: SamlCertificateType[];
  @Field(() => Boolean, { description: 'whether the Response must be signed too, not only the assertion' }) wantResponseSigned!: boolean;
  @Field(() => Boolean, { description: 'whether a sign-in creates a user that does not exist yet' }) jitProvisioning!: boolean;
  @Field(() => Boolean, { description: 'whether a sign-in may find its user by email when no userName matches' }) matchEmail!: boolean;
  @Field(() => Boolean, { description: 'whether /saml/sp/login without ?idp= signs in through this IdP' }) isDefault!: boolean;
  @Field(() => [SamlRoleMappingType]) roleMappings!: SamlRoleMappingType[];
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date) updatedAt!: Date;
  @Field(() => String, { description: "Roster's SP entity ID, the same for every IdP, to paste into the IdP (Okta: Audience URI; Entra: Identifier)" }) spEntityId!: string;
  @Field(() => String, { description: "Roster's ACS URL, the same for every IdP, to paste into the IdP (Okta: Single sign-on URL; Entra: Reply URL)" }) acsUrl!: string;
}

/** A sign-in session, never its secret. */
@ObjectType('Session', { simpleResolvers: true, description: 'A session opened by a SAML sign-in.' })
export class SessionType {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: 'the IdP the person signed in through ("api_key" for a console session opened with an API key)' }) idp!: string;
  @Field(() => ID, { nullable: true, description: 'the API key a console session was opened with; null for SSO sessions' }) credentialId?: string | null;
  @Field(() => String, { description: 'USER, READER, ADMIN or OWNER, fixed at sign-in' }) role!: string;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date) lastSeenAt!: Date;
  @Field(() => Date, { description: 'when it ends however active it is (SESSION_MAX_HOURS after sign-in)' }) expiresAt!: Date;
  @Field(() => Date, { nullable: true }) endedAt?: Date | null;
  @Field(() => String, { nullable: true, description: 'logout, idle, revoked, user_deactivated or user_deleted' }) endReason?: string | null;
  @Field(() => String, { nullable: true, description: 'the client address at sign-in' }) address?: string | null;
  @Field(() => String, { nullable: true }) userAgent?: string | null;
  /** the session's user id, null for a console session (not a GraphQL field: `user` resolves from it) */
  userId!: string | null;
}

@ObjectType('SamlServiceProvider', { simpleResolvers: true, description: "Roster's SAML service provider, as every IdP is told about it." })
export class SamlServiceProviderType {
  @Field({ description: 'Audience URI (SP Entity ID) in Okta; Identifier (Entity ID) in Entra.' })
  spEntityId!: string;

  @Field({ description: 'Single sign-on URL in Okta; Reply URL (Assertion Consumer Service URL) in Entra. One for every IdP.' })
  acsUrl!: string;

  @Field({ description: "Where the SP's metadata is served (the same as the entity ID)." })
  metadataUrl!: string;

  @Field({ description: 'Where an SP-initiated sign-in starts (the default IdP; add ?idp= for another).' })
  loginUrl!: string;
}
