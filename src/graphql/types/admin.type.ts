import { Field, ID, Int, ObjectType } from 'type-graphql';

/** A credential without its secret. */
@ObjectType('Credential', { simpleResolvers: true, description: 'An API key or SCIM token. Its secret is shown only when issued.' })
export class CredentialType {
  @Field(() => ID) id!: string;
  @Field(() => String, { description: 'api_key or scim_token' }) kind!: string;
  @Field(() => String, { description: 'OWNER, ADMIN, READER or PROVISIONER' }) role!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true, description: 'the IdP a SCIM token serves' }) idp?: string | null;
  @Field(() => String, { description: 'the first characters of the secret' }) prefix!: string;
  @Field(() => Date) createdAt!: Date;
  @Field(() => Date, { nullable: true }) lastUsedAt?: Date | null;
  @Field(() => Date, { nullable: true }) revokedAt?: Date | null;
}

/** A credential with its secret, returned once. */
@ObjectType('IssuedCredential', { simpleResolvers: true, description: 'A new credential. Store the secret now: Roster keeps only its hash.' })
export class IssuedCredentialType {
  @Field(() => CredentialType) credential!: CredentialType;
  @Field(() => String) secret!: string;
}

/** Provisioning state of one IdP. */
@ObjectType('Provisioning', { simpleResolvers: true, description: 'Provisioning from one identity provider.' })
export class ProvisioningType {
  @Field(() => String) idp!: string;
  @Field(() => Boolean) active!: boolean;
  @Field(() => Date) activatedAt!: Date;
  @Field(() => Date, { nullable: true }) deactivatedAt?: Date | null;
  @Field(() => Boolean, { description: "whether this IdP's writes may adopt locally created users and groups (setProvisioningAdoption); off by default" }) adoptLocal!: boolean;
  @Field(() => String, { description: 'the SCIM base URL to paste into the IdP' }) scimBaseUrl!: string;
  /** resolved by ProvisioningResolver.lastScimRequestAt */
  lastScimRequestAt?: Date | null;
}

/** What activateProvisioning returns. */
@ObjectType('ProvisioningActivation', { simpleResolvers: true, description: 'Paste scimBaseUrl and token into the IdP. The token is shown only now.' })
export class ProvisioningActivationType {
  @Field(() => String) scimBaseUrl!: string;
  @Field(() => String) token!: string;
  @Field(() => ProvisioningType) provisioning!: ProvisioningType;
  @Field(() => CredentialType) credential!: CredentialType;
}

/** One audit event. */
@ObjectType('AuditEvent', { simpleResolvers: true, description: 'Who changed what, and when.' })
export class AuditEventType {
  @Field(() => ID) id!: string;
  @Field(() => Date) at!: Date;
  @Field(() => String) actor!: string;
  @Field(() => String) action!: string;
  @Field(() => String) resourceType!: string;
  @Field(() => String, { nullable: true }) resourceId?: string | null;
  @Field(() => [String]) changed!: string[];
  @Field(() => [String], { description: 'Attributes the client sent that were not applied (unknown to the schema).' }) ignored!: string[];
  @Field(() => String, { nullable: true }) requestId?: string | null;
}

/** A page of the audit trail. */
// Not simpleResolvers: totalCount may be a promise (see Connection).
@ObjectType('AuditEventPage', { description: 'A page of the audit trail, newest first.' })
export class AuditEventPageType {
  @Field(() => [AuditEventType]) nodes!: AuditEventType[];
  @Field(() => Int, { description: 'how many events match the filter in all (counted only when asked for)' })
  totalCount!: number | Promise<number>;
  @Field(() => Boolean, { description: 'whether events follow this page' }) hasNextPage!: boolean;
}

/** One recent SCIM request of an IdP. */
@ObjectType('ScimRequest', { simpleResolvers: true, description: "A SCIM request made with an IdP's token: whether the IdP reaches Roster, and what it was answered." })
export class ScimRequestType {
  @Field(() => ID) id!: string;
  @Field(() => String) idp!: string;
  @Field(() => Date, { description: 'when the request arrived' }) at!: Date;
  @Field(() => String) method!: string;
  @Field(() => String, { description: 'path and query string (at most 512 characters)' }) path!: string;
  @Field(() => Int, { description: 'the HTTP status answered' }) status!: number;
  @Field(() => Int) durationMs!: number;
}

/** The caller. */
@ObjectType('Me', { simpleResolvers: true, description: 'The credential making this request.' })
export class MeType {
  @Field(() => ID) credentialId!: string;
  @Field(() => String) role!: string;
  @Field(() => String) name!: string;
  @Field(() => String, { nullable: true }) idp?: string | null;
}
