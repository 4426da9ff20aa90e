import { Entity, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';

/**
 * Rate-limit counters shared by every Roster process on one Postgres (rate-limiter-flexible's
 * table layout; src/http/rate-limit.ts). The table is UNLOGGED (see its migration): counters are
 * rewritten on every request and worth nothing after a crash, so they must not flood the WAL or
 * the replicas. Never read by the application itself.
 */
@Entity({ tableName: 'rate_limits' })
export class RateLimitCounter {
  /** the limiter's prefix and its key: `cred:<credential id>`, `fail:<address>` */
  @PrimaryKey({ type: 'string', length: 255 })
  key!: string;

  @Property({ type: 'integer', default: 0 })
  points!: number;

  /** epoch milliseconds when the window ends */
  @Property({ type: 'bigint', nullable: true })
  expire?: bigint | null;
}
