import { Field, InputType } from 'type-graphql';

/** An IdP configured field by field. */
@InputType({ description: 'An IdP that publishes no metadata, field by field.' })
export class SamlManualInput {
  @Field(() => String, { description: "the IdP's entity ID (the Issuer of its Responses)" }) entityId!: string;
  @Field(() => String, { description: "the IdP's single sign-on URL (HTTP-Redirect)" }) ssoUrl!: string;
  @Field(() => [String], { description: 'one or more signing certificates, PEM or base64 DER' }) certificates!: string[];
}

/** A group mapped to a role. */
@InputType({ description: 'Members of this group (by displayName) sign in with this role.' })
export class SamlRoleMappingInput {
  @Field(() => String) group!: string;
  @Field(() => String, { description: 'READER, ADMIN or OWNER' }) role!: string;
}

/** The options of an IdP; those not given are left as they are. */
@InputType({ description: 'Options of a SAML IdP; those left out keep their value.' })
export class SamlOptionsInput {
  @Field(() => Boolean, { nullable: true, description: 'sign in through this IdP at /saml/sp/login without ?idp= (the previous default stops being one)' }) isDefault?: boolean | null;
  @Field(() => Boolean, { nullable: true, description: 'create a user who signs in and does not exist yet' }) jitProvisioning?: boolean | null;
  @Field(() => Boolean, { nullable: true, description: 'find the user by email when no userName matches' }) matchEmail?: boolean | null;
  @Field(() => Boolean, { nullable: true, description: 'require the Response to be signed too, not only the assertion' }) wantResponseSigned?: boolean | null;
  @Field(() => [SamlRoleMappingInput], { nullable: true, description: 'replaces every mapping; [] clears them' }) roleMappings?: SamlRoleMappingInput[] | null;
}
