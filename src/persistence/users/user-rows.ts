import type { SqlEntityManager } from '@mikro-orm/sql';
import type { GroupRecord } from '../../domain/groups/group-record.js';
import type { UserRecord } from '../../domain/users/user-record.js';
import { Group } from '../entities/group.entity.js';
import { User } from '../entities/user.entity.js';
import { columnsOf, type ColumnSet } from '../rows.js';

/** The record's nested groups, by entity property name; every other property maps one to one. */
const NAME_PARTS = ['formatted', 'familyName', 'givenName', 'middleName', 'honorificPrefix', 'honorificSuffix'] as const;
const ENTERPRISE = ['employeeNumber', 'costCenter', 'organization', 'division', 'department', 'managerValue'] as const;
const namePropOf = (part: string) => `name${part[0].toUpperCase()}${part.slice(1)}`;
const MULTI_VALUED = ['emails', 'phoneNumbers', 'ims', 'photos', 'addresses', 'entitlements', 'roles', 'x509Certificates'] as const;

/** Entity properties that the record nests under `name` and `enterprise`. */
const NESTED = new Set<string>([...NAME_PARTS.map(namePropOf), ...ENTERPRISE]);

/** Columns a user read selects: all of the entity's but the password hash and the derived email index. */
export const userColumns = (em: SqlEntityManager): ColumnSet => columnsOf(em, User, ['emailIndex']);

/** Columns a group read selects. */
export const groupColumns = (em: SqlEntityManager): ColumnSet => columnsOf(em, Group);

/** The user's groups as one JSON column: one statement serves a SCIM lookup, not one per relation. */
export function userGroupsColumn(em: SqlEntityManager): string {
  return (
    `(select coalesce(json_agg(${groupColumns(em).jsonObject('g')} order by g.display_name, g.id), '[]'::json)` +
    ` from memberships m join groups g on g.id = m.group_id where m.member_id = r.id) as groups_json`
  );
}

/** Maps a group row (or JSON object with the same keys). */
export function groupFromRow(em: SqlEntityManager, row: Record<string, unknown>): GroupRecord {
  const p = groupColumns(em).toProps(row);
  return { ...(p as unknown as GroupRecord), externalId: (p.externalId as string | null) ?? null };
}

/** Maps a row selected with `userColumns` (and optionally `userGroupsColumn`). */
export function userFromRow(em: SqlEntityManager, row: Record<string, unknown>): UserRecord {
  return assembleUser(em, userColumns(em).toProps(row), row.groups_json);
}

/**
 * The record of an entity this transaction has just written, with its groups: the same record a
 * read would return, without reading it back.
 */
export function userFromEntity(em: SqlEntityManager, user: User, groups: readonly GroupRecord[]): UserRecord {
  const p: Record<string, unknown> = {};
  for (const c of userColumns(em).columns) p[c.prop] = (user as unknown as Record<string, unknown>)[c.prop] ?? null;
  return { ...assembleUser(em, p, undefined), groups: [...groups] };
}

/** The record's top-level properties: every selected column but the ones nested under `name` and `enterprise` (worked out once). */
let flatProps: readonly string[] | undefined;

function assembleUser(em: SqlEntityManager, p: Record<string, unknown>, groupsJson: unknown): UserRecord {
  flatProps ??= userColumns(em)
    .columns.map((c) => c.prop)
    .filter((k) => !NESTED.has(k));
  const record: Record<string, unknown> = {};
  for (const k of flatProps) record[k] = p[k];
  // Literal names: a page maps thousands of users, and names built per call (`name${Part}`) were
  // this function's main cost.
  record.name = {
    formatted: p.nameFormatted ?? null,
    familyName: p.nameFamilyName ?? null,
    givenName: p.nameGivenName ?? null,
    middleName: p.nameMiddleName ?? null,
    honorificPrefix: p.nameHonorificPrefix ?? null,
    honorificSuffix: p.nameHonorificSuffix ?? null,
  };
  record.enterprise = {
    employeeNumber: p.employeeNumber ?? null,
    costCenter: p.costCenter ?? null,
    organization: p.organization ?? null,
    division: p.division ?? null,
    department: p.department ?? null,
    managerValue: p.managerValue ?? null,
  };
  for (const k of MULTI_VALUED) record[k] = p[k] ?? [];
  if (groupsJson !== undefined) {
    const groups = typeof groupsJson === 'string' ? (JSON.parse(groupsJson) as Record<string, unknown>[]) : ((groupsJson as Record<string, unknown>[] | null) ?? []);
    record.groups = groups.map((g) => groupFromRow(em, g));
  }
  return record as unknown as UserRecord;
}
