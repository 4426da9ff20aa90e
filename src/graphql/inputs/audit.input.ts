import { Field, ID, InputType } from 'type-graphql';

/** Which audit events auditLog returns; every criterion given must hold. */
@InputType('AuditFilterInput', { description: 'Narrows the audit trail; every criterion given must hold. Empty strings are ignored.' })
export class AuditFilterInput {
  @Field(() => String, { nullable: true, description: 'the action exactly (user.create), or a prefix when it ends with "." or "*" (sso. or user.*)' })
  action?: string | null;
  @Field(() => String, { nullable: true, description: 'part of the actor label, in any case' })
  actor?: string | null;
  @Field(() => String, { nullable: true, description: 'events of actors that acted for this IdP (SCIM tokens: their labels end with " (<idp>)")' })
  idp?: string | null;
  @Field(() => String, { nullable: true, description: 'User, Group, Credential…' })
  resourceType?: string | null;
  @Field(() => ID, { nullable: true }) resourceId?: string | null;
  @Field(() => Date, { nullable: true, description: 'events at or after this instant' }) since?: Date | null;
  @Field(() => Date, { nullable: true, description: 'events before this instant' }) until?: Date | null;
}
