import { OptionalProps } from '@mikro-orm/core';
import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/** Provisioning for one IdP: while inactive, every SCIM call with its tokens is refused. */
@Entity({ tableName: 'provisioning' })
export class Provisioning {
  [OptionalProps]?: 'activatedAt' | 'deactivatedAt' | 'adoptLocal';

  @PrimaryKey({ type: 'string' })
  idp!: string;

  @Property({ type: 'boolean' })
  active!: boolean;

  @Property({ type: 'datetime', columnType: 'timestamptz(3)' })
  activatedAt: Date = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz(3)', nullable: true })
  deactivatedAt?: Date | null;

  /** whether the IdP's writes may take over locally created users and groups (DESIGN §5); off by default */
  @Property({ type: 'boolean', default: false })
  adoptLocal?: boolean;
}
