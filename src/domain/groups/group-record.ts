import type { MemberType } from './membership.entity';

/** A group as the directory reads it; members are read apart, page by page. */
export interface GroupRecord {
  id: string;
  displayName: string;
  externalId: string | null;
  source: string;
  createdAt: Date;
  updatedAt: Date;
  version: number;
}

/** One member of a group. */
export interface MemberRecord {
  groupId: string;
  memberId: string;
  memberType: MemberType;
}

/** Columns read for a group. */
export const GROUP_COLUMNS = 'r.id, r.display_name, r.external_id, r.source, r.created_at, r.updated_at, r.version';

/** Maps a row selected with GROUP_COLUMNS. */
export function groupFromRow(r: Record<string, unknown>): GroupRecord {
  return {
    id: String(r.id),
    displayName: String(r.display_name),
    externalId: r.external_id === null || r.external_id === undefined ? null : String(r.external_id),
    source: String(r.source),
    createdAt: r.created_at instanceof Date ? r.created_at : new Date(String(r.created_at)),
    updatedAt: r.updated_at instanceof Date ? r.updated_at : new Date(String(r.updated_at)),
    version: Number(r.version),
  };
}
