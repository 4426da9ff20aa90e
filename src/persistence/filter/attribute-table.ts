/**
 * The declared table of what may be filtered and sorted, per resource. Anything not listed is an
 * INVALID_FILTER: a filter Roster cannot honour must never silently match nothing (IdPs would
 * create duplicates).
 */

/** Value types a filter compares against (RFC 7643 §2.3). */
export type ScalarType = 'string' | 'boolean' | 'dateTime' | 'uuid' | 'reference';

/** A single-valued attribute stored in a column. */
export interface ColumnAttribute {
  kind: 'column';
  /** SQL column of the resource's table (alias `r`) */
  column: string;
  type: ScalarType;
  caseExact: boolean;
  /** citext columns compare without regard to case by themselves and keep their unique index usable */
  citext?: boolean;
  sortable?: boolean;
}

/** A sub-attribute of a JSON multi-valued attribute. */
export interface JsonSub {
  type: ScalarType | 'booleanJson';
  caseExact: boolean;
}

/** A multi-valued complex attribute stored as a JSON array on the row. */
export interface JsonArrayAttribute {
  kind: 'jsonArray';
  column: string;
  subs: Record<string, JsonSub>;
  /** `emails eq "x"` means `emails.value eq "x"` (RFC 7644 §3.4.2.2) */
  defaultSub: string;
  /** a text[] column of lower-cased `value`s with a GIN index (emails) */
  valueIndexColumn?: string;
}

/** A multi-valued attribute held in the memberships table (Group.members, User.groups). */
export interface MembershipAttribute {
  kind: 'membership';
  /** which side of the membership row the resource is on */
  side: 'group' | 'member';
  subs: Record<string, { column: string; type: ScalarType; caseExact: boolean }>;
  defaultSub: string;
}

/** Any filterable attribute. */
export type AttributeSpec = ColumnAttribute | JsonArrayAttribute | MembershipAttribute;

/** The two resources the directory filters. */
export type ResourceKind = 'User' | 'Group';

export const ENTERPRISE_URN = 'urn:ietf:params:scim:schemas:extension:enterprise:2.0:User';
export const PRODUCT_URN = 'urn:ietf:params:scim:schemas:extension:querypie:2.0:User';

const str = (column: string, caseExact = false): ColumnAttribute => ({ kind: 'column', column, type: 'string', caseExact, sortable: true });
const sub = (type: JsonSub['type'] = 'string', caseExact = false): JsonSub => ({ type, caseExact });
const plainMulti = (column: string, extra: Record<string, JsonSub> = {}): JsonArrayAttribute => ({
  kind: 'jsonArray',
  column,
  defaultSub: 'value',
  subs: { value: sub(), display: sub(), type: sub(), primary: sub('booleanJson'), ...extra },
});

const common: Record<string, AttributeSpec> = {
  id: { kind: 'column', column: 'id', type: 'uuid', caseExact: true, sortable: true },
  externalid: str('external_id', true),
  'meta.created': { kind: 'column', column: 'created_at', type: 'dateTime', caseExact: true, sortable: true },
  'meta.lastmodified': { kind: 'column', column: 'updated_at', type: 'dateTime', caseExact: true, sortable: true },
  // the managing IdP ("local" for Roster's own): GraphQL only, for the console's Auth Provider filter
  source: { kind: 'column', column: 'source', type: 'string', caseExact: true, sortable: true },
};

const user: Record<string, AttributeSpec> = {
  ...common,
  username: { kind: 'column', column: 'user_name', type: 'string', caseExact: false, citext: true, sortable: true },
  active: { kind: 'column', column: 'active', type: 'boolean', caseExact: true, sortable: true },
  'name.formatted': str('name_formatted'),
  'name.familyname': str('name_family_name'),
  'name.givenname': str('name_given_name'),
  'name.middlename': str('name_middle_name'),
  'name.honorificprefix': str('name_honorific_prefix'),
  'name.honorificsuffix': str('name_honorific_suffix'),
  displayname: str('display_name'),
  nickname: str('nick_name'),
  profileurl: str('profile_url', true),
  title: str('title'),
  usertype: str('user_type'),
  preferredlanguage: str('preferred_language'),
  locale: str('locale'),
  timezone: str('timezone'),
  emails: { ...plainMulti('emails'), valueIndexColumn: 'email_index' },
  phonenumbers: plainMulti('phone_numbers'),
  ims: plainMulti('ims'),
  photos: plainMulti('photos'),
  addresses: {
    kind: 'jsonArray',
    column: 'addresses',
    defaultSub: 'formatted',
    subs: {
      formatted: sub(),
      streetaddress: sub(),
      locality: sub(),
      region: sub(),
      postalcode: sub(),
      country: sub(),
      type: sub(),
      primary: sub('booleanJson'),
    },
  },
  entitlements: plainMulti('entitlements'),
  roles: plainMulti('roles'),
  x509certificates: plainMulti('x509certificates'),
  groups: {
    kind: 'membership',
    side: 'member',
    defaultSub: 'value',
    subs: { value: { column: 'group_id', type: 'uuid', caseExact: true } },
  },
  [`${ENTERPRISE_URN}:employeenumber`.toLowerCase()]: str('employee_number'),
  [`${ENTERPRISE_URN}:costcenter`.toLowerCase()]: str('cost_center'),
  [`${ENTERPRISE_URN}:organization`.toLowerCase()]: str('organization'),
  [`${ENTERPRISE_URN}:division`.toLowerCase()]: str('division'),
  [`${ENTERPRISE_URN}:department`.toLowerCase()]: str('department'),
  [`${ENTERPRISE_URN}:manager.value`.toLowerCase()]: str('manager_value', true),
  [`${PRODUCT_URN}:staticip`.toLowerCase()]: str('static_ip'),
  [`${PRODUCT_URN}:macaddress`.toLowerCase()]: str('mac_address'),
};
// `manager` alone means its value (a complex attribute's key sub-attribute).
user[`${ENTERPRISE_URN}:manager`.toLowerCase()] = user[`${ENTERPRISE_URN}:manager.value`.toLowerCase()];

const group: Record<string, AttributeSpec> = {
  ...common,
  displayname: { kind: 'column', column: 'display_name', type: 'string', caseExact: false, citext: true, sortable: true },
  members: {
    kind: 'membership',
    side: 'group',
    defaultSub: 'value',
    subs: {
      value: { column: 'member_id', type: 'uuid', caseExact: true },
      type: { column: 'member_type', type: 'string', caseExact: false },
    },
  },
};

const tables: Record<ResourceKind, Record<string, AttributeSpec>> = { User: user, Group: group };

/** The SQL table of each resource. */
export const resourceTable: Record<ResourceKind, string> = { User: 'users', Group: 'groups' };

/** Finds an attribute by dotted path, without regard to case; undefined when it is not filterable. */
export function lookupAttribute(resource: ResourceKind, path: string): { spec: AttributeSpec; sub?: string } | undefined {
  const key = path.toLowerCase();
  const table = tables[resource];
  if (table[key]) return { spec: table[key] };
  // `emails.value`, `members.value`: a multi-valued attribute and one of its sub-attributes.
  const dot = key.lastIndexOf('.');
  const colon = key.lastIndexOf(':');
  if (dot > colon && dot > 0) {
    const parent = table[key.slice(0, dot)];
    if (parent && parent.kind !== 'column') return { spec: parent, sub: key.slice(dot + 1) };
  }
  return undefined;
}
