import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/**
 * An AuthnRequest this SP sent and has not yet seen answered: consumed (deleted) by the first
 * Response that names it, so each is used once, on whichever instance the browser comes back to.
 */
@Entity({ tableName: 'saml_requests' })
@Index({ name: 'saml_requests_expires_at_idx', properties: ['expiresAt'] })
export class SamlRequest {
  @PrimaryKey({ type: 'string', length: 128 })
  id!: string;

  @Property({ type: 'string', length: 64 })
  idp!: string;

  /** the same-origin path to go to after the login */
  @Property({ type: 'text' })
  returnTo!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz(3)' })
  expiresAt!: Date;
}

/** An assertion already used to sign in, kept until it could no longer be valid: a replay is refused. */
@Entity({ tableName: 'saml_assertions' })
@Index({ name: 'saml_assertions_expires_at_idx', properties: ['expiresAt'] })
export class SamlAssertion {
  /** hex SHA-256 of issuer and assertion ID */
  @PrimaryKey({ type: 'string', length: 64 })
  key!: string;

  @Property({ type: 'datetime', columnType: 'timestamptz(3)' })
  expiresAt!: Date;
}
