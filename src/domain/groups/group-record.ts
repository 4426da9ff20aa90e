/** What a member is; a group may contain users and groups (RFC 7643 §4.2). */
export type MemberType = 'User' | 'Group';

/** A group as the directory reads it; members are read apart, page by page. */
export interface GroupRecord {
  id: string;
  displayName: string;
  externalId: string | null;
  source: string;
  createdAt: Date;
  updatedAt: Date;
  version: number;
  /**
   * Every member, in member id order, as the write that answered with this record left them (a
   * whole-list write): the answer lists these rather than reading the members again after the
   * commit, which could show another writer's change under this version.
   */
  members?: MemberRecord[];
}

/** One member of a group. */
export interface MemberRecord {
  groupId: string;
  memberId: string;
  memberType: MemberType;
  /** the member's display name (a user's displayName, else its userName; a group's displayName): every read of members names them */
  display: string | null;
}
