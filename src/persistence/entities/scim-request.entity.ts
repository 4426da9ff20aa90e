import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/**
 * One SCIM request an IdP's token made, kept so an admin can see whether the IdP reaches Roster
 * (Okta's "Test Connector Configuration", say). Diagnostics only: written in batches by
 * ScimRequestLog, newest 100 per IdP kept, and a row may be dropped when a batch fails.
 */
@Entity({ tableName: 'scim_requests' })
@Index({ name: 'scim_requests_idp_at_idx', properties: ['idp', 'at'] })
export class ScimRequest {
  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'string', length: 64 })
  idp!: string;

  /** when the request arrived */
  @Property({ type: 'datetime', columnType: 'timestamptz(3)' })
  at!: Date;

  @Property({ type: 'string', length: 8 })
  method!: string;

  /** path and query string, cut to 512 characters */
  @Property({ type: 'text' })
  path!: string;

  @Property({ type: 'integer' })
  status!: number;

  @Property({ type: 'integer' })
  durationMs!: number;
}
