import { OptionalProps } from '@mikro-orm/core';
import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { rowCountTriggers } from './row-count-delta.entity.js';
import type { MultiValue, Source } from '../../domain/users/user-record.js';

/** A person in the directory: RFC 7643 §4.1 plus the enterprise and product extensions. */
@Entity({ tableName: 'users', triggers: rowCountTriggers('users') })
@Index({ name: 'users_external_id_idx', properties: ['externalId'] })
@Index({ name: 'users_email_index_gin', properties: ['emailIndex'], type: 'gin' })
@Index({ name: 'users_created_at_id_idx', properties: ['createdAt', 'id'] })
export class User {
  [OptionalProps]?:
    'active' | 'source' | 'createdAt' | 'updatedAt' | 'version' | 'emailIndex' | 'emails' | 'phoneNumbers' | 'ims' | 'photos' | 'addresses' | 'entitlements' | 'roles' | 'x509Certificates';

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  /** Unique without regard to case: citext plus a unique constraint, so the database decides races. */
  @Property({ type: 'text', columnType: 'citext', unique: 'users_user_name_unique' })
  userName!: string;

  @Property({ type: 'text', nullable: true })
  externalId?: string | null;

  @Property({ type: 'boolean', default: true })
  active: boolean = true;

  @Property({ type: 'text', nullable: true }) nameFormatted?: string | null;
  @Property({ type: 'text', nullable: true }) nameFamilyName?: string | null;
  @Property({ type: 'text', nullable: true }) nameGivenName?: string | null;
  @Property({ type: 'text', nullable: true }) nameMiddleName?: string | null;
  @Property({ type: 'text', nullable: true }) nameHonorificPrefix?: string | null;
  @Property({ type: 'text', nullable: true }) nameHonorificSuffix?: string | null;

  @Property({ type: 'text', nullable: true }) displayName?: string | null;
  @Property({ type: 'text', nullable: true }) nickName?: string | null;
  @Property({ type: 'text', nullable: true }) profileUrl?: string | null;
  @Property({ type: 'text', nullable: true }) title?: string | null;
  @Property({ type: 'text', nullable: true }) userType?: string | null;
  @Property({ type: 'text', nullable: true }) preferredLanguage?: string | null;
  @Property({ type: 'text', nullable: true }) locale?: string | null;
  @Property({ type: 'text', nullable: true }) timezone?: string | null;

  @Property({ type: 'json', defaultRaw: "'[]'" }) emails: MultiValue[] = [];
  @Property({ type: 'json', defaultRaw: "'[]'" }) phoneNumbers: MultiValue[] = [];
  @Property({ type: 'json', defaultRaw: "'[]'" }) ims: MultiValue[] = [];
  @Property({ type: 'json', defaultRaw: "'[]'" }) photos: MultiValue[] = [];
  @Property({ type: 'json', defaultRaw: "'[]'" }) addresses: MultiValue[] = [];
  @Property({ type: 'json', defaultRaw: "'[]'" }) entitlements: MultiValue[] = [];
  @Property({ type: 'json', defaultRaw: "'[]'" }) roles: MultiValue[] = [];
  @Property({ type: 'json', defaultRaw: "'[]'" }) x509Certificates: MultiValue[] = [];

  /** Lower-cased email values, kept by the user service so that `emails.value eq` uses a GIN index. */
  @Property({ type: 'text[]', defaultRaw: "'{}'" })
  emailIndex: string[] = [];

  // urn:ietf:params:scim:schemas:extension:enterprise:2.0:User
  @Property({ type: 'text', nullable: true }) employeeNumber?: string | null;
  @Property({ type: 'text', nullable: true }) costCenter?: string | null;
  @Property({ type: 'text', nullable: true }) organization?: string | null;
  @Property({ type: 'text', nullable: true }) division?: string | null;
  @Property({ type: 'text', nullable: true }) department?: string | null;
  /** The manager's id as the IdP sent it; it may name a user Roster has not seen yet. */
  @Property({ type: 'text', nullable: true }) managerValue?: string | null;

  // urn:ietf:params:scim:schemas:extension:querypie:2.0:User
  @Property({ type: 'text', nullable: true }) staticIp?: string | null;
  @Property({ type: 'text', nullable: true }) macAddress?: string | null;

  /** scrypt hash (never the password, never returned). */
  @Property({ type: 'text', nullable: true, hidden: true, lazy: true })
  passwordHash?: string | null;

  @Property({ type: 'text', default: 'local' })
  source: Source = 'local';

  @Property({ type: 'datetime', columnType: 'timestamptz(3)' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz(3)' })
  updatedAt: Date = new Date();

  @Property({ type: 'integer', version: true })
  version!: number;
}
