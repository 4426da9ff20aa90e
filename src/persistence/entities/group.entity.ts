import { OptionalProps } from '@mikro-orm/core';
import { Entity, Index, PrimaryKey, Property } from '@mikro-orm/decorators/legacy';
import { rowCountTriggers } from './row-count-delta.entity.js';

/** A group of users and groups. Members live in `memberships`, never as a collection loaded here. */
@Entity({ tableName: 'groups', triggers: rowCountTriggers('groups') })
@Index({ name: 'groups_external_id_idx', properties: ['externalId'] })
@Index({ name: 'groups_created_at_id_idx', properties: ['createdAt', 'id'] })
export class Group {
  [OptionalProps]?: 'source' | 'createdAt' | 'updatedAt' | 'version';

  @PrimaryKey({ type: 'uuid' })
  id!: string;

  @Property({ type: 'text', columnType: 'citext', unique: 'groups_display_name_unique' })
  displayName!: string;

  @Property({ type: 'text', nullable: true })
  externalId?: string | null;

  @Property({ type: 'text', default: 'local' })
  source: string = 'local';

  @Property({ type: 'datetime', columnType: 'timestamptz(3)' })
  createdAt: Date = new Date();

  @Property({ type: 'datetime', columnType: 'timestamptz(3)' })
  updatedAt: Date = new Date();

  @Property({ type: 'integer', version: true })
  version!: number;
}
