import { Field, ID, Int, ObjectType } from 'type-graphql';
import type { GroupRecord } from '../../domain/groups/group-record.js';

/** An element of a multi-valued attribute (RFC 7643 §2.4). */
@ObjectType({ simpleResolvers: true, description: 'A value of a multi-valued attribute: an email, a phone number, a role…' })
export class MultiValueType {
  @Field(() => String, { nullable: true }) value?: string;
  @Field(() => String, { nullable: true }) display?: string;
  @Field(() => String, { nullable: true }) type?: string;
  @Field(() => Boolean, { nullable: true }) primary?: boolean;
}

/** A postal address (RFC 7643 §4.1.2). */
@ObjectType({ simpleResolvers: true, description: 'A postal address.' })
export class AddressType {
  @Field(() => String, { nullable: true }) formatted?: string;
  @Field(() => String, { nullable: true }) streetAddress?: string;
  @Field(() => String, { nullable: true }) locality?: string;
  @Field(() => String, { nullable: true }) region?: string;
  @Field(() => String, { nullable: true }) postalCode?: string;
  @Field(() => String, { nullable: true }) country?: string;
  @Field(() => String, { nullable: true }) type?: string;
  @Field(() => Boolean, { nullable: true }) primary?: boolean;
}

/** The components of a name. */
@ObjectType({ simpleResolvers: true, description: "The components of a user's name." })
export class NameType {
  @Field(() => String, { nullable: true }) formatted?: string | null;
  @Field(() => String, { nullable: true }) familyName?: string | null;
  @Field(() => String, { nullable: true }) givenName?: string | null;
  @Field(() => String, { nullable: true }) middleName?: string | null;
  @Field(() => String, { nullable: true }) honorificPrefix?: string | null;
  @Field(() => String, { nullable: true }) honorificSuffix?: string | null;
}

/** A user's manager (enterprise extension). */
@ObjectType({ simpleResolvers: true, description: "A user's manager, as the IdP named them." })
export class ManagerType {
  @Field(() => String, { description: 'the manager id the IdP sent' }) value!: string;
}

/** The enterprise extension (urn:ietf:params:scim:schemas:extension:enterprise:2.0:User). */
@ObjectType({ simpleResolvers: true, description: 'Enterprise attributes (RFC 7643 §4.3).' })
export class EnterpriseType {
  @Field(() => String, { nullable: true }) employeeNumber?: string | null;
  @Field(() => String, { nullable: true }) costCenter?: string | null;
  @Field(() => String, { nullable: true }) organization?: string | null;
  @Field(() => String, { nullable: true }) division?: string | null;
  @Field(() => String, { nullable: true }) department?: string | null;
  @Field(() => ManagerType, { nullable: true }) manager?: ManagerType | null;
}

/** A person in the directory. */
@ObjectType('User', { simpleResolvers: true, description: 'A person in the directory.' })
export class UserType {
  @Field(() => ID) id!: string;
  @Field(() => String) userName!: string;
  @Field(() => String, { nullable: true }) externalId?: string | null;
  @Field(() => Boolean) active!: boolean;
  @Field(() => NameType) name!: NameType;
  @Field(() => String, { nullable: true }) displayName?: string | null;
  @Field(() => String, { nullable: true }) nickName?: string | null;
  @Field(() => String, { nullable: true }) profileUrl?: string | null;
  @Field(() => String, { nullable: true }) title?: string | null;
  @Field(() => String, { nullable: true }) userType?: string | null;
  @Field(() => String, { nullable: true }) preferredLanguage?: string | null;
  @Field(() => String, { nullable: true }) locale?: string | null;
  @Field(() => String, { nullable: true }) timezone?: string | null;
  @Field(() => [MultiValueType]) emails!: MultiValueType[];
  @Field(() => [MultiValueType]) phoneNumbers!: MultiValueType[];
  @Field(() => [MultiValueType]) ims!: MultiValueType[];
  @Field(() => [MultiValueType]) photos!: MultiValueType[];
  @Field(() => [AddressType]) addresses!: AddressType[];
  @Field(() => [MultiValueType]) entitlements!: MultiValueType[];
  @Field(() => [MultiValueType]) roles!: MultiValueType[];
  @Field(() => [MultiValueType]) x509Certificates!: MultiValueType[];
  @Field(() => EnterpriseType) enterprise!: EnterpriseType;
  @Field(() => String, { nullable: true, description: 'product extension: the static IP address' }) staticIp?: string | null;
  @Field(() => String, { nullable: true, description: 'product extension: the MAC address' }) macAddress?: string | null;
  @Field(() => String, { nullable: true, description: 'profile view: the primary (else work, else first) email' }) email?: string | null;
  @Field(() => String, { nullable: true, description: 'profile view: the email of type "other"' }) secondEmail?: string | null;
  @Field(() => String, { nullable: true, description: 'profile view: the phone number of type "mobile"' }) mobilePhone?: string | null;
  @Field(() => String, { nullable: true, description: "profile view: the primary (else first) address' formatted text" }) postalAddress?: string | null;
  @Field(() => String, { description: '"local", or the label of the IdP that manages this user' }) source!: string;
  @Field(() => Date) created!: Date;
  @Field(() => Date) lastModified!: Date;
  @Field(() => Int, { description: 'increases with every change; send it back as expectedVersion' }) version!: number;
  /** the groups read with the user, when they were (not a GraphQL field: `groups` resolves from it) */
  memberOf?: GroupRecord[];
}
