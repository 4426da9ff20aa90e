import { OptionalProps } from '@mikro-orm/core';
import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import type { SessionRole } from '../../domain/sso/sso-records.js';

/**
 * A signed-in browser. The cookie holds a random secret; only its SHA-256 is stored, as for
 * credentials. Ended by logout, revocation, or the user's deactivation or deletion.
 */
@Entity({ tableName: 'sessions' })
@Index({ name: 'sessions_user_id_idx', properties: ['userId'] })
export class Session {
  [OptionalProps]?: 'createdAt' | 'lastSeenAt' | 'endedAt' | 'endReason' | 'address' | 'userAgent';

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'string', length: 64, unique: 'sessions_secret_hash_unique', hidden: true })
  secretHash!: string;

  @Property({ type: 'uuid' })
  userId!: string;

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
