import { groupFromRow, type GroupRecord } from '../groups/group-record';
import type { MultiValue } from './user.entity';

/** A user as the directory reads it: plain data, no password hash, no ORM state. */
export interface UserRecord {
  id: string;
  userName: string;
  externalId: string | null;
  active: boolean;
  name: {
    formatted: string | null;
    familyName: string | null;
    givenName: string | null;
    middleName: string | null;
    honorificPrefix: string | null;
    honorificSuffix: string | null;
  };
  displayName: string | null;
  nickName: string | null;
  profileUrl: string | null;
  title: string | null;
  userType: string | null;
  preferredLanguage: string | null;
  locale: string | null;
  timezone: string | null;
  emails: MultiValue[];
  phoneNumbers: MultiValue[];
  ims: MultiValue[];
  photos: MultiValue[];
  addresses: MultiValue[];
  entitlements: MultiValue[];
  roles: MultiValue[];
  x509Certificates: MultiValue[];
  enterprise: {
    employeeNumber: string | null;
    costCenter: string | null;
    organization: string | null;
    division: string | null;
    department: string | null;
    managerValue: string | null;
  };
  staticIp: string | null;
  macAddress: string | null;
  source: string;
  createdAt: Date;
  updatedAt: Date;
  version: number;
  /** the groups the user directly belongs to, when they were read in the same statement */
  groups?: GroupRecord[];
}

/** Columns read for a user: everything but the password hash. */
export const USER_COLUMNS = [
  'id', 'user_name', 'external_id', 'active', 'name_formatted', 'name_family_name', 'name_given_name',
  'name_middle_name', 'name_honorific_prefix', 'name_honorific_suffix', 'display_name', 'nick_name',
  'profile_url', 'title', 'user_type', 'preferred_language', 'locale', 'timezone', 'emails',
  'phone_numbers', 'ims', 'photos', 'addresses', 'entitlements', 'roles', 'x509certificates',
  'employee_number', 'cost_center', 'organization', 'division', 'department', 'manager_value',
  'static_ip', 'mac_address', 'source', 'created_at', 'updated_at', 'version',
].map((c) => `r.${c}`).join(', ');

/** The user's groups as one column: one statement serves a SCIM lookup, not one per relation. */
export const USER_GROUPS_COLUMN =
  `(select coalesce(json_agg(json_build_object('id', g.id, 'display_name', g.display_name, 'external_id', g.external_id, 'source', g.source,` +
  ` 'created_at', g.created_at, 'updated_at', g.updated_at, 'version', g.version) order by g.display_name, g.id), '[]'::json)` +
  ` from memberships m join groups g on g.id = m.group_id where m.member_id = r.id) as groups_json`;

type Row = Record<string, unknown>;
const s = (v: unknown): string | null => (v === null || v === undefined ? null : String(v));
const arr = (v: unknown): MultiValue[] => (Array.isArray(v) ? (v as MultiValue[]) : typeof v === 'string' ? (JSON.parse(v) as MultiValue[]) : []);
const date = (v: unknown): Date => (v instanceof Date ? v : new Date(String(v)));

/** Maps a row selected with USER_COLUMNS. */
export function userFromRow(r: Row): UserRecord {
  return {
    id: String(r.id),
    userName: String(r.user_name),
    externalId: s(r.external_id),
    active: Boolean(r.active),
    name: {
      formatted: s(r.name_formatted),
      familyName: s(r.name_family_name),
      givenName: s(r.name_given_name),
      middleName: s(r.name_middle_name),
      honorificPrefix: s(r.name_honorific_prefix),
      honorificSuffix: s(r.name_honorific_suffix),
    },
    displayName: s(r.display_name),
    nickName: s(r.nick_name),
    profileUrl: s(r.profile_url),
    title: s(r.title),
    userType: s(r.user_type),
    preferredLanguage: s(r.preferred_language),
    locale: s(r.locale),
    timezone: s(r.timezone),
    emails: arr(r.emails),
    phoneNumbers: arr(r.phone_numbers),
    ims: arr(r.ims),
    photos: arr(r.photos),
    addresses: arr(r.addresses),
    entitlements: arr(r.entitlements),
    roles: arr(r.roles),
    x509Certificates: arr(r.x509certificates),
    enterprise: {
      employeeNumber: s(r.employee_number),
      costCenter: s(r.cost_center),
      organization: s(r.organization),
      division: s(r.division),
      department: s(r.department),
      managerValue: s(r.manager_value),
    },
    staticIp: s(r.static_ip),
    macAddress: s(r.mac_address),
    source: String(r.source),
    createdAt: date(r.created_at),
    updatedAt: date(r.updated_at),
    version: Number(r.version),
    groups:
      r.groups_json === undefined
        ? undefined
        : (typeof r.groups_json === 'string' ? (JSON.parse(r.groups_json) as Record<string, unknown>[]) : ((r.groups_json as Record<string, unknown>[] | null) ?? [])).map(groupFromRow),
  };
}
