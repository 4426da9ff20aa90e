import { Entity, OptionalProps, PrimaryKey, Property } from '@mikro-orm/core';

/** Provisioning for one IdP: while inactive, every SCIM call with its tokens is refused. */
@Entity({ tableName: 'provisioning' })
export class Provisioning {
  [OptionalProps]?: 'activatedAt' | 'deactivatedAt';

  @PrimaryKey({ type: 'string' })
  idp!: string;

  @Property({ type: 'boolean' })
  active!: boolean;

  @Property({ type: 'datetime', columnType: 'timestamptz(3)' })
  activatedAt: Date = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz(3)', nullable: true })
  deactivatedAt?: Date | null;
}
