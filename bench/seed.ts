import { createHash } from 'node:crypto';

/** How big the seeded directory is. */
export interface Sizes {
  /** users in the directory (user1@example.com … userN@example.com) */
  users: number;
  /** members of the group that receives Okta's full-list PUT (users 1…putGroup) */
  putGroup: number;
  /** members of the big group for the PATCH comparison (every seeded user) */
  bigGroup: number;
  /** members of the small group for the PATCH comparison (users 1…10) */
  smallGroup: number;
  /** extra users that belong to no group: the members a PATCH adds (spare 1: the PATCH scenario; the others: the mixed scenario) */
  spare: number;
  /** members of the group the mixed scenario's PATCHes change (users 1…mixGroup) */
  mixGroup: number;
}

/** Ids and names the scenarios need; every id is derived from a name, so nothing is read back. */
export interface Seeded {
  sizes: Sizes;
  groups: { put: GroupRef; big: GroupRef; small: GroupRef; mix: GroupRef };
  /** id of seeded user n (1-based) */
  userId(n: number): string;
  userName(n: number): string;
  spareId(n: number): string;
}

export interface GroupRef {
  id: string;
  displayName: string;
  members: number;
}

/** md5 of a label as a uuid; the SQL below computes the same with `md5(label)::uuid`. */
export function labelUuid(label: string): string {
  const h = createHash('md5').update(label, 'utf8').digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

const userLabel = (n: number) => `roster-bench-user-${n}`;
const spareLabel = (n: number) => `roster-bench-spare-${n}`;

/** The seeded directory as the scenarios see it. */
export function seededDirectory(sizes: Sizes): Seeded {
  const group = (key: string, members: number): GroupRef => ({ id: labelUuid(`roster-bench-group-${key}`), displayName: `bench-${key}`, members });
  return {
    sizes,
    groups: { put: group('put', sizes.putGroup), big: group('big', sizes.bigGroup), small: group('small', sizes.smallGroup), mix: group('mix', sizes.mixGroup) },
    userId: (n) => labelUuid(userLabel(n)),
    userName: (n) => `user${n}@example.com`,
    spareId: (n) => labelUuid(spareLabel(n)),
  };
}

/**
 * The seeding, as set-based SQL statements (one statement per table: seconds, not hours).
 * Rows look like what Okta provisions: source 'okta' (the bootstrap SCIM token's IdP), version 1,
 * a work email (and its lower-cased copy in email_index, which the GIN index serves), name parts,
 * and created_at one millisecond apart so that the default order (created_at, id) is stable.
 */
export function seedStatements(d: Seeded): string[] {
  const { users, putGroup, bigGroup, smallGroup, spare, mixGroup } = d.sizes;
  const g = d.groups;
  const userRows = (label: string, name: string, from: string, count: number, epoch: string) => `
    insert into users (id, user_name, external_id, active, name_formatted, name_family_name, name_given_name, display_name,
                       emails, email_index, source, created_at, updated_at, version)
    select md5('${label}' || n)::uuid, ${name}, '00u' || lpad(n::text, 17, '0'), true,
           'Given' || n || ' Family' || n, 'Family' || n, 'Given' || n, 'Given' || n || ' Family' || n,
           jsonb_build_array(jsonb_build_object('value', ${name}, 'type', 'work', 'primary', true)),
           array[lower(${name})], 'okta',
           timestamptz '${epoch}' + n * interval '1 millisecond', timestamptz '${epoch}' + n * interval '1 millisecond', 1
    from generate_series(${from}, ${count}) as n`;
  const members = (groupId: string, count: number) => memberRows(groupId, 1, count);
  const groupRow = (r: GroupRef) => `('${r.id}', '${r.displayName}', 'okta-${r.displayName}', 'okta', timestamptz '2025-06-01T00:00:00Z', timestamptz '2025-06-01T00:00:00Z', 1)`;
  return [
    userRows('roster-bench-user-', `'user' || n || '@example.com'`, '1', users, '2025-01-01T00:00:00Z'),
    userRows('roster-bench-spare-', `'spare' || n || '@example.com'`, '1', spare, '2025-05-01T00:00:00Z'),
    `insert into groups (id, display_name, external_id, source, created_at, updated_at, version) values ${[g.put, g.big, g.small, g.mix].map(groupRow).join(', ')}`,
    members(g.put.id, putGroup),
    members(g.big.id, bigGroup),
    members(g.small.id, smallGroup),
    members(g.mix.id, mixGroup),
  ];
}

/** Memberships of seeded users from…to in a group, in one statement. */
const memberRows = (groupId: string, from: number, to: number) => `
    insert into memberships (group_id, member_id, member_type, created_at)
    select '${groupId}'::uuid, md5('roster-bench-user-' || n)::uuid, 'User', timestamptz '2025-06-01T00:00:00Z'
    from generate_series(${from}, ${to}) as n`;

/**
 * Grows a seeded directory from `d.sizes.users` to `users` (the scale scenario): the new users
 * (same rows as seedStatements writes, created after the first ones, so the import order and the
 * last page stay at the end) and their memberships of the big group, which keeps every user.
 */
export function growStatements(d: Seeded, users: number): string[] {
  const from = d.sizes.users + 1;
  const name = `'user' || n || '@example.com'`;
  return [
    `insert into users (id, user_name, external_id, active, name_formatted, name_family_name, name_given_name, display_name,
                       emails, email_index, source, created_at, updated_at, version)
    select md5('roster-bench-user-' || n)::uuid, ${name}, '00u' || lpad(n::text, 17, '0'), true,
           'Given' || n || ' Family' || n, 'Family' || n, 'Given' || n, 'Given' || n || ' Family' || n,
           jsonb_build_array(jsonb_build_object('value', ${name}, 'type', 'work', 'primary', true)),
           array[lower(${name})], 'okta',
           timestamptz '2025-01-01T00:00:00Z' + n * interval '1 millisecond', timestamptz '2025-01-01T00:00:00Z' + n * interval '1 millisecond', 1
    from generate_series(${from}, ${users}) as n`,
    memberRows(d.groups.big.id, from, users),
  ];
}

/** Statements that remove what a previous phase created (users from the create scenario). */
export const CLEANUP_CREATED = `delete from users where user_name like 'bench-create-%'`;
