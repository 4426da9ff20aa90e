import { Field, InputType } from 'type-graphql';

/** A value of a multi-valued attribute. */
@InputType({ description: 'A value of a multi-valued attribute.' })
export class MultiValueInput {
  @Field(() => String, { nullable: true }) value?: string;
  @Field(() => String, { nullable: true }) display?: string;
  @Field(() => String, { nullable: true }) type?: string;
  @Field(() => Boolean, { nullable: true }) primary?: boolean;
}

/** A postal address. */
@InputType({ description: 'A postal address.' })
export class AddressInput {
  @Field(() => String, { nullable: true }) formatted?: string;
  @Field(() => String, { nullable: true }) streetAddress?: string;
  @Field(() => String, { nullable: true }) locality?: string;
  @Field(() => String, { nullable: true }) region?: string;
  @Field(() => String, { nullable: true }) postalCode?: string;
  @Field(() => String, { nullable: true }) country?: string;
  @Field(() => String, { nullable: true }) type?: string;
  @Field(() => Boolean, { nullable: true }) primary?: boolean;
}

/** Name components. */
@InputType({ description: 'Name components.' })
export class NameInput {
  @Field(() => String, { nullable: true }) formatted?: string | null;
  @Field(() => String, { nullable: true }) familyName?: string | null;
  @Field(() => String, { nullable: true }) givenName?: string | null;
  @Field(() => String, { nullable: true }) middleName?: string | null;
  @Field(() => String, { nullable: true }) honorificPrefix?: string | null;
  @Field(() => String, { nullable: true }) honorificSuffix?: string | null;
}

/** Enterprise attributes. */
@InputType({ description: 'Enterprise attributes (RFC 7643 §4.3); manager is the manager user id.' })
export class EnterpriseInput {
  @Field(() => String, { nullable: true }) employeeNumber?: string | null;
  @Field(() => String, { nullable: true }) costCenter?: string | null;
  @Field(() => String, { nullable: true }) organization?: string | null;
  @Field(() => String, { nullable: true }) division?: string | null;
  @Field(() => String, { nullable: true }) department?: string | null;
  @Field(() => String, { nullable: true }) manager?: string | null;
}

/**
 * A user's writable attributes. In createUser and replaceUser an omitted attribute is empty; in
 * updateUser it is kept, and null clears it. `active` is the exception: omitted or null, it keeps
 * its value everywhere (true for a new user).
 */
@InputType({
  description: 'Writable user attributes. replaceUser clears what is omitted; updateUser keeps it (null clears). active is never cleared: omitted or null, it keeps its value (true for a new user).',
})
export class UserInputType {
  @Field(() => String, { nullable: true }) userName?: string;
  @Field(() => String, { nullable: true }) externalId?: string | null;
  @Field(() => Boolean, { nullable: true }) active?: boolean | null;
  @Field(() => NameInput, { nullable: true }) name?: NameInput | null;
  @Field(() => String, { nullable: true }) displayName?: string | null;
  @Field(() => String, { nullable: true }) nickName?: string | null;
  @Field(() => String, { nullable: true }) profileUrl?: string | null;
  @Field(() => String, { nullable: true }) title?: string | null;
  @Field(() => String, { nullable: true }) userType?: string | null;
  @Field(() => String, { nullable: true }) preferredLanguage?: string | null;
  @Field(() => String, { nullable: true }) locale?: string | null;
  @Field(() => String, { nullable: true }) timezone?: string | null;
  @Field(() => [MultiValueInput], { nullable: true }) emails?: MultiValueInput[] | null;
  @Field(() => [MultiValueInput], { nullable: true }) phoneNumbers?: MultiValueInput[] | null;
  @Field(() => [MultiValueInput], { nullable: true }) ims?: MultiValueInput[] | null;
  @Field(() => [MultiValueInput], { nullable: true }) photos?: MultiValueInput[] | null;
  @Field(() => [AddressInput], { nullable: true }) addresses?: AddressInput[] | null;
  @Field(() => [MultiValueInput], { nullable: true }) entitlements?: MultiValueInput[] | null;
  @Field(() => [MultiValueInput], { nullable: true }) roles?: MultiValueInput[] | null;
  @Field(() => [MultiValueInput], { nullable: true }) x509Certificates?: MultiValueInput[] | null;
  @Field(() => EnterpriseInput, { nullable: true }) enterprise?: EnterpriseInput | null;
  @Field(() => String, { nullable: true }) staticIp?: string | null;
  @Field(() => String, { nullable: true }) macAddress?: string | null;
  @Field(() => String, { nullable: true, description: 'profile view: sets the email of type "other"' }) secondEmail?: string | null;
  @Field(() => String, { nullable: true, description: 'profile view: sets the phone number of type "mobile"' }) mobilePhone?: string | null;
  @Field(() => String, { nullable: true, description: "profile view: sets the primary address' formatted text" }) postalAddress?: string | null;
  @Field(() => String, { nullable: true, description: 'write-only; stored as a slow hash, never returned' }) password?: string | null;
}
