import { OptionalProps } from '@mikro-orm/core';
import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type { SessionRole } from '../../domain/sso/sso-records.js';

/**
 * A signed-in browser. The cookie holds a random secret; only its SHA-256 is stored, as for
 * credentials. Ended by logout, revocation, or the user's deactivation or deletion.
 */
@Entity({ tableName: 'sessions' })
@Index({ name: 'sessions_user_id_idx', properties: ['userId'] })
@Index({ name: 'sessions_credential_id_idx', properties: ['credentialId'] })
export class Session {
  [OptionalProps]?: 'createdAt' | 'lastSeenAt' | 'endedAt' | 'endReason' | 'address' | 'userAgent' | 'userId' | 'credentialId';

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'string', length: 64, unique: 'sessions_secret_hash_unique', hidden: true })
  secretHash!: string;

  /** the person signed in by SSO; null for a console session opened with an API key */
  @Property({ type: 'uuid', nullable: true })
  userId?: string | null;

  /** the API key a console session was opened with; null for SSO */
  @Property({ type: 'uuid', nullable: true })
  credentialId?: string | null;

  /** the IdP the user signed in through ('api_key' for a console session opened with a key) */
  @Property({ type: 'string', length: 64 })
  idp!: string;

  @Property({ type: 'string', length: 16 })
  role!: SessionRole;

  @Property({ type: 'datetime', columnType: 'timestamptz(3)' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz(3)' })
  lastSeenAt: Date = new Date();

  /** the absolute end, whatever the activity */
  @Property({ type: 'datetime', columnType: 'timestamptz(3)' })
  expiresAt!: Date;

  @Property({ type: 'datetime', columnType: 'timestamptz(3)', nullable: true })
  endedAt?: Date | null;

  @Property({ type: 'string', length: 32, nullable: true })
  endReason?: string | null;

  @Property({ type: 'string', length: 64, nullable: true })
  address?: string | null;

  @Property({ type: 'string', length: 256, nullable: true })
  userAgent?: string | null;
}
