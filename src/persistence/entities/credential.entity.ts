import { OptionalProps } from '@mikro-orm/core';
import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type { CredentialKind, Role } from '../../domain/credentials/credential-record.js';

/** An API key or SCIM token. Only a SHA-256 of the 256-bit secret is stored. */
@Entity({ tableName: 'credentials' })
@Index({ name: 'credentials_idp_idx', properties: ['idp'] })
export class Credential {
  [OptionalProps]?: 'createdAt' | 'lastUsedAt' | 'revokedAt' | 'idp' | 'createdBy';

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'string', length: 16 })
  kind!: CredentialKind;

  @Property({ type: 'string', length: 16 })
  role!: Role;

  @Property({ type: 'string' })
  name!: string;

  /** The IdP a SCIM token serves (e.g. `okta`); null for API keys. */
  @Property({ type: 'string', nullable: true })
  idp?: string | null;

  /** hex SHA-256 of the secret; a fast hash is enough because the secret is 256 random bits. */
  @Property({ type: 'string', length: 64, unique: 'credentials_secret_hash_unique', hidden: true })
  secretHash!: string;

  /** First characters of the secret, so that people can tell keys apart. */
  @Property({ type: 'string', length: 16 })
  prefix!: string;

  @Property({ type: 'uuid', nullable: true })
  createdBy?: string | null;

  @Property({ type: 'datetime', columnType: 'timestamptz(3)' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz(3)', nullable: true })
  lastUsedAt?: Date | null;

  @Property({ type: 'datetime', columnType: 'timestamptz(3)', nullable: true })
  revokedAt?: Date | null;
}
